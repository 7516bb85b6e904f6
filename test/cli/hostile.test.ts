/**
 * Hostile and careless use, class by class (issue 9): mxsim deletes only what
 * it wrote, reads only regular files and never without limit, bounds its work,
 * escapes what it echoes, keeps error floods short, refuses impossible dates
 * and numbers, warns about silent no-ops, reports environment failures as such,
 * handles signals at once, and reads a scenario from standard input.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchScenario } from "../../src/bench/scenario.js";
import { EnvironmentError, writing } from "../../src/cli/exit-codes.js";
import { FileTooLarge, readRegularFile } from "../../src/cli/read-file.js";
import { cli, spawnCli, tempDir } from "./helpers.js";

const SMALL = `name: small
seed: 3
duration: 1d
dns:
  example.com:
    mx:
      - { preference: 10, host: p.example.com }
      - { preference: 20, host: s.example.com }
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    outages:
      - { start: 6h, duration: 3h, mode: refused }
  s.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: p.example.com }
senders:
  a.example:
    to: example.com
    rate: 4/h
`;

/** A folder with the small scenario in it. */
function setup(): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, "s.yaml");
  writeFileSync(file, SMALL);
  return { dir, file };
}

const oneLine = (stderr: string) => expect(stderr.trimEnd().split("\n")).toHaveLength(1);

describe("1. mxsim deletes only what it wrote", () => {
  it("refuses a folder that merely holds a results.json, naming the file in the way; the user's files stay", async () => {
    const { dir, file } = setup();
    const out = join(dir, "notes");
    mkdirSync(out);
    writeFileSync(join(out, "results.json"), "{}");
    writeFileSync(join(out, "my-notes.txt"), "precious");
    const r = await cli("run", file, "--out", out, "--no-charts");
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`${out}/my-notes.txt is in the way`);
    expect(r.stderr).toMatch(/choose another --out/);
    expect(readdirSync(out).sort()).toEqual(["my-notes.txt", "results.json"]);
    expect(readFileSync(join(out, "my-notes.txt"), "utf8")).toBe("precious");
  });

  it("replaces its own output, but not once a user's file has been put into it", async () => {
    const { dir, file } = setup();
    const out = join(dir, "o");
    expect((await cli("run", file, "--out", out)).code).toBe(0);
    expect(readdirSync(out)).toContain("latency.png");
    const marker = JSON.parse(readFileSync(join(out, ".mxsim-output"), "utf8"));
    expect(marker).toMatchObject({ tool: "mxsim", complete: true });
    expect([...marker.files, ".mxsim-output"].sort()).toEqual(readdirSync(out).sort());
    // A second run without charts replaces the folder whole: the old charts are gone.
    expect((await cli("run", file, "--out", out, "--no-charts")).code).toBe(0);
    expect(readdirSync(out)).not.toContain("latency.png");
    writeFileSync(join(out, "analysis.ods"), "mine");
    const r = await cli("run", file, "--out", out, "--no-charts");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${out}/analysis.ods is in the way: mxsim did not write it`);
    expect(readFileSync(join(out, "analysis.ods"), "utf8")).toBe("mine");
    expect(readdirSync(dir).filter((f) => f.includes("mxsim-"))).toEqual([]);
  });

  it("a forged or broken marker, or a listed name that is a folder, does not make a folder replaceable", async () => {
    const { dir, file } = setup();
    const forged = join(dir, "forged");
    mkdirSync(forged);
    writeFileSync(join(forged, ".mxsim-output"), "not json");
    writeFileSync(join(forged, "results.json"), "{}");
    expect((await cli("run", file, "--out", forged, "--no-charts")).code).toBe(2);
    const sub = join(dir, "sub");
    mkdirSync(join(sub, "results.json"), { recursive: true });
    writeFileSync(join(sub, "results.json", "inside.txt"), "x");
    writeFileSync(join(sub, ".mxsim-output"), JSON.stringify({ tool: "mxsim", files: ["results.json"] }));
    const r = await cli("run", file, "--out", sub, "--no-charts");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results\.json is in the way: mxsim writes only plain files/);
    expect(existsSync(join(sub, "results.json", "inside.txt"))).toBe(true);
  });

  it("never the folder holding the scenario, the current folder or a parent of it", () => {
    const { dir } = setup();
    const inside = spawnSync(process.execPath, [join(process.cwd(), "dist/cli/main.js"), "run", "s.yaml", "--out", ".", "--no-charts"], { cwd: dir, encoding: "utf8" });
    expect(inside.status).toBe(2);
    expect(inside.stderr).toMatch(/^\. is the current folder; mxsim never replaces it/);
    const parent = spawnSync(process.execPath, [join(process.cwd(), "dist/cli/main.js"), "run", "s.yaml", "--out", "..", "--no-charts"], { cwd: dir, encoding: "utf8" });
    expect(parent.status).toBe(2);
    expect(parent.stderr).toMatch(/^\.\. is a parent of the current folder/);
    // The scenario's own folder, even when it is empty otherwise and named from elsewhere.
    const proj = join(dir, "proj");
    mkdirSync(proj);
    writeFileSync(join(proj, "results.json"), "{}");
    writeFileSync(join(proj, ".mxsim-output"), JSON.stringify({ tool: "mxsim", files: ["results.json", "s.yaml"] }));
    writeFileSync(join(proj, "s.yaml"), SMALL);
    const r = spawnCli("run", join(proj, "s.yaml"), "--out", proj, "--no-charts");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds the scenario file .*s\.yaml; mxsim never replaces it/);
    expect(readFileSync(join(proj, "s.yaml"), "utf8")).toBe(SMALL);
    expect(readdirSync(dir).sort()).toEqual(["proj", "s.yaml"]);
  });

  it("an empty folder is written into; a symbolic link to an mxsim output is followed and stays a link", async () => {
    const { dir, file } = setup();
    const empty = join(dir, "empty");
    mkdirSync(empty);
    expect((await cli("run", file, "--out", empty, "--no-charts")).code).toBe(0);
    symlinkSync("empty", join(dir, "link"));
    expect((await cli("run", file, "--out", join(dir, "link"), "--no-charts")).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["empty", "link", "s.yaml"]);
    expect(readdirSync(join(dir, "link"))).toContain("results.json");
  });

  it("compare and sweep refuse a folder in the way before any work, and leave it as it was", async () => {
    const { dir, file } = setup();
    const out = join(dir, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "todo.txt"), "x");
    const c = await cli("compare", file, file, "--out", out, "--no-charts");
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("todo.txt is in the way");
    const s = await cli("sweep", file, "--set", "servers/p.example.com/outages/0/duration", "--values", "1h,2h", "--out", out, "--no-charts");
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("todo.txt is in the way");
    expect(readdirSync(out)).toEqual(["todo.txt"]);
    expect(readdirSync(dir).sort()).toEqual(["mine", "s.yaml"]);
  });

  it("explain --chart: a folder is refused and nothing is half-written; a user's file is kept; its own chart is replaced", async () => {
    const { dir, file } = setup();
    const folder = join(dir, "charts");
    mkdirSync(folder);
    const f = await cli("explain", file, "--chart", folder);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--chart .*charts is a folder; give a file name/);
    expect(f.stdout).toBe("");
    expect(readdirSync(folder)).toEqual([]);
    // The scenario itself given as the chart: never overwritten.
    const self = await cli("explain", file, "--chart", file);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/s\.yaml exists and was not written by mxsim/);
    expect(readFileSync(file, "utf8")).toBe(SMALL);
    const png = join(dir, "m.png");
    expect((await cli("explain", file, "--chart", png)).code).toBe(0);
    expect((await cli("explain", file, "--chart", png, "--message", "1")).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["charts", "m.png", "s.yaml"]);
  });

  it("init never overwrites a file it did not write, even with --force; its own starter it may", async () => {
    const { dir, file } = setup();
    const mine = await cli("init", file, "--force");
    expect(mine.code).toBe(2);
    expect(mine.stderr).toMatch(/s\.yaml exists and was not written by mxsim init; mxsim does not overwrite it, even with --force/);
    expect(readFileSync(file, "utf8")).toBe(SMALL);
    const starter = join(dir, "new.yaml");
    expect((await cli("init", starter)).code).toBe(0);
    expect((await cli("init", starter)).code).toBe(2);
    expect((await cli("init", starter, "--force")).code).toBe(0);
    const folder = await cli("init", dir);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder; give a file name/);
    expect(readdirSync(dir).sort()).toEqual(["new.yaml", "s.yaml"]);
  });
});

describe("2. only regular files are read, and never without limit", () => {
  it("a FIFO, a symbolic link to one, a device and a socket: 'not a regular file', exit 2, at once", async () => {
    const { dir } = setup();
    const fifo = join(dir, "fifo.yaml");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    symlinkSync(fifo, join(dir, "link.yaml"));
    const sock = join(dir, "sock.yaml");
    const server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      for (const [path, kind] of [
        [fifo, "FIFO"],
        [join(dir, "link.yaml"), "FIFO"],
        ["/dev/zero", "character device"],
        [sock, "socket"],
      ] as const) {
        for (const cmd of ["run", "validate"]) {
          const r = await cli(cmd, path);
          expect(r.code, `${cmd} ${path}`).toBe(2);
          expect(r.stderr).toBe(`${path}: not a regular file (a ${kind}); give a scenario file, e.g. scenarios/02-article-outage.yaml\n`);
        }
      }
    } finally {
      server.close();
    }
  });

  it("the size limit holds while reading: a file that reports size 0 is cut at the limit", () => {
    // /proc files report a size of 0 whatever they hold.
    expect(() => readRegularFile("/proc/self/maps", 64)).toThrow(FileTooLarge);
    expect(readRegularFile("/proc/self/maps", 1 << 22).length).toBeGreaterThan(64);
  });
});

describe("3. the resource guard bounds the real work", () => {
  const refused = (r: { code: number; stderr: string }, what: RegExp) => {
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).toMatch(/; add --allow-large to run it anyway\n$/);
  };

  it("a flapping server's outage windows", async () => {
    const { dir, file } = setup();
    writeFileSync(file, SMALL.replace("duration: 1d", "duration: 365d").replace("    outages:", "    flapping: { up: 1s, down: 1s }\n    outages:"));
    refused(await cli("run", file, "--out", join(dir, "o")), /outage windows .*over the limit of 2,000,000 outage windows/);
    expect(readdirSync(dir)).toEqual(["s.yaml"]);
  });

  it("MX fan-out: every attempt walks 200 blackholed MX hosts", async () => {
    const { file } = setup();
    const hosts = Array.from({ length: 200 }, (_, i) => `mx${i}.example.com`);
    writeFileSync(
      file,
      `name: fan\nduration: 30d\ndns:\n  example.com:\n    mx:\n${hosts.map((h, i) => `      - { preference: ${i}, host: ${h} }\n`).join("")}servers:\n` +
        hosts.map((h) => `  ${h}: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 30d, mode: timeout }] }\n`).join("") +
        "senders:\n  a.example: { to: example.com, rate: 40/h, mta: { name: sendmail, queue_run_interval: 5m, queuereturn: 30d } }\n",
    );
    refused(await cli("validate", file).then(() => cli("run", file)), /connections .*over the limit of .*800,000,000 connections/);
  });

  it("thousands of servers and senders: memory grows with what the run uses, and the summary stays short", async () => {
    const { dir, file } = setup();
    const n = 2000;
    const relays = Array.from({ length: n }, (_, i) => `  r${i}.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: ${i < n - 1 ? `r${i + 1}` : "p"}.example.com } }\n`);
    const senders = Array.from({ length: n }, (_, i) => `  s${i}.example: { to: example.com, rate: 1/d, mta: exim }\n`);
    writeFileSync(
      file,
      `name: many\nduration: 2h\ndns:\n  example.com: { mx: [{ preference: 10, host: r0.example.com }] }\nservers:\n${relays.join("")}` +
        `  p.example.com: { role: mailbox, domains: [example.com] }\nsenders:\n${senders.join("")}`,
    );
    const r = await cli("run", file, "--out", join(dir, "o"), "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/… and 1980 more queues \(see results\.json\)/);
    expect(r.stdout.split("\n").length).toBeLessThan(90);
  });

  it("a queue lifetime of a year retried every second", async () => {
    const { file } = setup();
    writeFileSync(
      file,
      SMALL.replace("duration: 1d", "duration: 365d")
        .replace("mode: refused", "mode: timeout")
        .replace("duration: 3h", "duration: 365d")
        .replace("    rate: 4/h", "    rate: 4/d\n    mta: { name: sendmail, queuereturn: 365d, queue_run_interval: 1s }"),
    );
    // Compared (no story kept): over the event limit. Run: every attempt of the first messages would be kept
    // in memory for the story, more than the machine has, which --allow-large cannot lift.
    refused(await cli("compare", file, file), /up to [\d.e+]+ events.*over the limit of 800,000,000 events/);
    const run = await cli("run", file, "--allow-large");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/one run would need about [\d,]+ GB of memory, more than this machine has .*, even with --allow-large/);
  });

  it("the files a run writes: ten million notifications and message rows", async () => {
    const { file } = setup();
    writeFileSync(file, SMALL.replace("rate: 4/h", "rate: 8000000/d"));
    refused(await cli("run", file), /MB written, at worst \d+ minutes?\); that is over the limit of 2048 MB written;/);
  });

  it("replications and sweep points multiply the work", async () => {
    const { file } = setup();
    writeFileSync(file, SMALL.replace("rate: 4/h", "rate: 2000/h"));
    refused(await cli("run", file, "--runs", "10000"), /over the limit of .*(messages|events)/);
    refused(
      await cli("sweep", file, "--set", "servers/p.example.com/outages/0/duration", "--range", "1h..10h", "--steps", "50", "--runs", "1000"),
      /50 points × 1000 runs\): about .* over the limit/,
    );
  });

  it("the watchdog stops a run that does far more work than estimated: exit 2, nothing left behind", () => {
    const { dir, file } = setup();
    // Large enough for the watchdog to look (it checks every 65,536 events).
    writeFileSync(file, SMALL.replace("rate: 4/h", "rate: 2000/h"));
    const r = spawnSync(process.execPath, ["dist/cli/main.js", "run", file, "--out", join(dir, "o")], {
      encoding: "utf8",
      env: { ...process.env, MXSIM_WATCHDOG_FACTOR: "0.0001" },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml: stopped: the run went past [\d,]+ (events|connections|bytes written), far more than estimated/);
    expect(readdirSync(dir)).toEqual(["s.yaml"]);
  });
});

describe("4. echoed values are escaped and short", () => {
  it("control characters in a key, a value and a file name are escaped; long values are cut; one line each", async () => {
    const { dir, file } = setup();
    writeFileSync(file, `${SMALL}"evil\\u001b[2Jkey\\nline2": 1\n`);
    const key = await cli("run", file);
    oneLine(key.stderr);
    expect(key.stderr).toContain('unknown key "evil\\x1b[2Jkey\\nline2"');
    expect(key.stderr).not.toMatch(/\u001b/);
    writeFileSync(file, SMALL.replace("to: example.com", `to: "${"x".repeat(5000)}\\u202e"`));
    const long = await cli("run", file);
    oneLine(long.stderr);
    expect(long.stderr).toMatch(/"x{59}…" is not a host or domain name/);
    expect(long.stderr.length).toBeLessThan(400);
    const weird = join(dir, "we\nird\u001b[31m.yaml");
    const name = await cli("run", weird);
    expect(name.code).toBe(2);
    expect(name.stderr).toBe(`${dir}/we\\nird\\x1b[31m.yaml: no such file; give a scenario file, e.g. scenarios/02-article-outage.yaml\n`);
    const arg = await cli("run", file, "--\u001b]0;title\u0007");
    expect(arg.code).toBe(2);
    expect(arg.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe("5. error floods stay small", () => {
  it("thousands of problems print the first 20 and how many more", async () => {
    const { file } = setup();
    const servers = Array.from({ length: 3000 }, (_, i) => `  srv${i}.example.com: { role: mailbox, domains: [example.com] }\n`).join("");
    const senders = Array.from({ length: 3000 }, (_, i) => `  snd${i}.example: { to: dom${i}.example.com, rate: 1/h }\n`).join("");
    writeFileSync(file, SMALL.replace("servers:\n", `servers:\n${servers}`).replace("senders:\n", `senders:\n${senders}`));
    const r = await cli("run", file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/snd0\.example.*"dom0\.example\.com" has no MX records under dns/);
    expect(lines[20]).toBe(`… and 2980 more problems in ${file}`);
    // YAML syntax errors and duplicate keys too.
    writeFileSync(file, "a: [\n".repeat(5000));
    expect((await cli("validate", file)).stderr.trimEnd().split("\n")).toHaveLength(21);
    writeFileSync(file, `${SMALL}${Array.from({ length: 5000 }, (_, i) => `seed: ${i}\n`).join("")}`);
    const dup = (await cli("validate", file)).stderr.trimEnd().split("\n");
    expect(dup).toHaveLength(21);
    expect(dup[0]).toMatch(/:23:1: YAML syntax: the key "seed" appears twice in this mapping/);
  });
});

describe("6. dates and numbers are what they say", () => {
  const start = (v: string) => SMALL.replace("seed: 3", `seed: 3\nstart: ${v}`);
  it.each([
    ["2023-02-30T00:00:00Z", "February 2023 has 28 days"],
    ["2023-02-29T12:00:00Z", "February 2023 has 28 days"],
    ["2023-04-31", "April 2023 has 30 days"],
    ["2023-06-31T00:00:00Z", "June 2023 has 30 days"],
    ["2023-01-01T24:30:00Z", "hours go from 00 to 23"],
    ["2023-13-01T00:00:00Z", "months go from 01 to 12"],
  ])("%s is refused: %s", async (date, why) => {
    const { file } = setup();
    writeFileSync(file, start(date));
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`start: "${date}" is not a date: ${why}`);
  });

  it("29 February of a leap year is a date", async () => {
    const { file } = setup();
    writeFileSync(file, start("2024-02-29T12:00:00Z"));
    expect((await cli("validate", file)).code).toBe(0);
  });

  it.each([
    ["duration: 1d", "duration: .inf", /duration: Infinity is not a finite number of seconds; a duration is at most 3650d/],
    ["duration: 1d", "duration: 1e400", /Infinity is not a finite number of seconds/],
    ["duration: 3h", `duration: ${"9".repeat(30)}d`, /is longer than the 3650d \(ten years\) mxsim can represent/],
    ["duration: 3h", "duration: 3651d", /longer than the 3650d \(ten years\)/],
    ["rate: 4/h", `rate: ${"9".repeat(400)}/s`, /is more than the 1000\/s mxsim simulates for one sender/],
    ["role: mailbox", "role: mailbox\n    capacity: 1e300", /capacity: .*sessions is more than mxsim simulates \(1000000\)/],
  ])("%s → %s is an error naming the limit", async (from, to, message) => {
    const { file } = setup();
    writeFileSync(file, SMALL.replace(from, to));
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("fractional units are exact: 2.3d is 198720 s, 1.1h is 3960 s", async () => {
    const { file } = setup();
    writeFileSync(file, SMALL.replace("duration: 1d", "duration: 2.3d").replace("duration: 3h", "duration: 1.1h"));
    const r = await cli("run", file, "--json", "--no-charts", "--out", join(tempDir(), "o"));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(JSON.stringify(json)).toContain('"duration_s":198720');
  });
});

describe("7. silent no-ops are warned about, once; --strict makes them errors", () => {
  const SILENT = `name: silent
duration: 2d
dns:
  example.com:
    mx:
      - { preference: 10, host: s.example.com }
      - { preference: 20, host: p.example.com }
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    outages:
      - { start: 1d, duration: 36, mode: refused }
      - { start: 5d, duration: 1h }
  lonely.example.com:
    role: mailbox
    domains: [example.com]
  s.example.com:
    role: relay
    relay_domains: [example.com]
senders:
  a.example: { to: example.com, rate: 2/h }
`;
  it("each warning names line:col and the fix; the run goes on (exit 0)", async () => {
    const { dir, file } = setup();
    writeFileSync(file, SILENT);
    const r = await cli("run", file, "--out", join(dir, "o"), "--no-charts");
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/s\.yaml:13:32: warning: .*outages\[0\]\.duration: 36 is read as 36 seconds .*write duration: 36h/),
      expect.stringMatching(/s\.yaml:14:9: warning: .*outages\[1\]: this outage starts 5d after the start, when the run \(duration 2d\) is already over/),
      expect.stringMatching(/s\.yaml:15:3: warning: .*"lonely\.example\.com", so no mail reaches it; add it to a domain's mx: list/),
      expect.stringMatching(/s\.yaml:20:5: warning: .*"s\.example\.com" is the best MX of "example\.com" and has no route for it, so every message it accepts .* bounces/),
    ]);
  });

  it("--strict: exit 2 and nothing written; a sweep warns once, not once per point", async () => {
    const { dir, file } = setup();
    writeFileSync(file, SILENT);
    const strict = await cli("run", file, "--out", join(dir, "o"), "--strict");
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/4 warnings with --strict: nothing was run/);
    expect(readdirSync(dir)).toEqual(["s.yaml"]);
    const sweep = await cli("sweep", file, "--set", "senders/a.example/rate", "--values", "1/h,2/h,3/h", "--out", join(dir, "w"), "--no-charts");
    expect(sweep.code).toBe(0);
    expect(sweep.stderr.trimEnd().split("\n")).toHaveLength(4);
  });
});

describe("9. environment failures are not bugs", () => {
  // Real file systems: a full one and a read-only one (tmpfs, which needs root, as CI has).
  const mount = (opts: string) => {
    const dir = tempDir();
    const r = spawnSync("mount", ["-t", "tmpfs", "-o", opts, "tmpfs", dir]);
    return r.status === 0 ? dir : undefined;
  };
  const umount = (dir: string) => spawnSync("umount", [dir]);
  const canMount = (() => {
    const d = mount("size=64k");
    if (d) umount(d);
    return d !== undefined;
  })();

  it.runIf(canMount)("a full disk: exit 3, 'no space left on device', nothing left behind", () => {
    const full = mount("size=96k")!;
    try {
      const { file } = setup();
      const r = spawnCli("run", file, "--out", join(full, "out"));
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`^mxsim: cannot write ${full}/out/\\S+: no space left on device\\n$`));
      expect(readdirSync(full)).toEqual([]);
    } finally {
      umount(full);
    }
  });

  it.runIf(canMount)("a read-only folder: exit 3, 'read-only file system'", () => {
    const ro = mount("ro,size=64k")!;
    try {
      const { file } = setup();
      const r = spawnCli("run", file, "--out", join(ro, "out"), "--no-charts");
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`mxsim: cannot write ${ro}/out: read-only file system\n`);
      expect(spawnCli("init", join(ro, "x.yaml")).code).toBe(3);
    } finally {
      umount(ro);
    }
  });

  it("--out under a file, a dangling symbolic link, standard output on /dev/full: exit 3 with the reason", async () => {
    const { dir, file } = setup();
    const under = await cli("run", file, "--out", join(file, "out"), "--no-charts");
    expect(under).toMatchObject({ code: 3, stderr: `mxsim: cannot write ${file}/out: a part of the path is a file, not a folder\n` });
    symlinkSync("/nonexistent/place", join(dir, "dangling"));
    const dangling = await cli("run", file, "--out", join(dir, "dangling"), "--no-charts");
    expect(dangling.code).toBe(3);
    expect(dangling.stderr).toMatch(/cannot write .*dangling: it is a dangling symbolic link to \/nonexistent\/place/);
    const chart = await cli("explain", file, "--chart", join(dir, "dangling"));
    expect(chart.code).toBe(3);
    const full = spawnSync("sh", ["-c", `"${process.execPath}" dist/cli/main.js profiles qmail > /dev/full`], { encoding: "utf8" });
    expect(full.status).toBe(3);
    expect(full.stderr).toBe("mxsim: cannot write standard output: no space left on device\n");
    // The mapping itself, for the reasons a test cannot provoke.
    const err = Object.assign(new Error("x"), { code: "EDQUOT", syscall: "write" });
    expect(() => writing("out/a.csv", () => { throw err; })).toThrow(new EnvironmentError("cannot write out/a.csv: disk quota exceeded"));
  });

  it("an option given twice is a usage error (exit 2)", async () => {
    const { file } = setup();
    for (const args of [["--out", "a", "--out", "b"], ["--out=a", "--out=b"], ["--charts", "--no-charts"], ["--seed", "1", "--seed", "2"]]) {
      const r = await cli("run", file, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^mxsim: --(out|charts|seed) is given twice; give it once/);
    }
  });
});

describe("10. interruptions", () => {
  /** Starts a long run (a million messages: seconds of simulation) and waits until it has begun writing. */
  async function longRun(dir: string) {
    writeFileSync(join(dir, "big.yaml"), benchScenario(1_500_000));
    const child = spawn(process.execPath, ["dist/cli/main.js", "run", join(dir, "big.yaml"), "--out", join(dir, "out"), "--no-charts"], { stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exit = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    for (let waited = 0; !readdirSync(dir).some((f) => f.startsWith(".out.mxsim-tmp-")); waited += 20) {
      if (waited > 30_000) throw new Error("the run never started writing");
      await new Promise((r) => setTimeout(r, 20));
    }
    return { child, exit, stderr: () => stderr };
  }

  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
    ["SIGINT", 130],
  ] as const)("%s in the middle of a long simulation takes effect at once, exit %i, nothing left", async (signal, code) => {
    const dir = tempDir();
    const run = await longRun(dir);
    // The simulation is under way (it takes several seconds here); the signal must not wait for its end.
    await new Promise((r) => setTimeout(r, 300));
    const sent = Date.now();
    run.child.kill(signal);
    expect(await run.exit).toBe(code);
    const took = Date.now() - sent;
    expect(took, "the signal waited for the simulation to end").toBeLessThan(2500);
    expect(run.stderr()).toContain(`interrupted (${signal}); no output was written`);
    expect(readdirSync(dir)).toEqual(["big.yaml"]);
  }, 60_000);

  it("a temporary folder left by a killed process is removed by the next run", async () => {
    const dir = tempDir();
    const run = await longRun(dir);
    run.child.kill("SIGKILL");
    await run.exit;
    expect(readdirSync(dir).some((f) => /^\.out\.mxsim-tmp-\d+$/.test(f))).toBe(true);
    writeFileSync(join(dir, "s.yaml"), SMALL);
    expect((await cli("run", join(dir, "s.yaml"), "--out", join(dir, "out"), "--no-charts")).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["big.yaml", "out", "s.yaml"]);
  }, 60_000);

  it("a stale temporary folder killed while it replaced its marker is removed whole (the marker is renamed into place)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "s.yaml"), SMALL);
    // Killed during its first marker: only a half-written next marker. Killed later: the previous
    // marker, the files it lists, and a half-written next one.
    const first = join(dir, ".out.mxsim-tmp-99999997");
    mkdirSync(first);
    writeFileSync(join(first, ".mxsim-output.next"), '{"tool": "mxs');
    const later = join(dir, ".out.mxsim-tmp-99999996");
    mkdirSync(later);
    writeFileSync(join(later, ".mxsim-output"), JSON.stringify({ tool: "mxsim", version: "0", complete: false, files: ["results.json"] }));
    writeFileSync(join(later, "results.json"), "{}");
    writeFileSync(join(later, ".mxsim-output.next"), "");
    expect((await cli("run", join(dir, "s.yaml"), "--out", join(dir, "out"), "--no-charts")).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["out", "s.yaml"]);
    expect(readdirSync(join(dir, "out"))).not.toContain(".mxsim-output.next");
  });

  it("a stale temporary folder without a marker goes only when empty (killed before writing the marker)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "s.yaml"), SMALL);
    // A pid that cannot be running: above the kernel's pid_max (at most 2^22).
    mkdirSync(join(dir, ".out.mxsim-tmp-99999999"));
    mkdirSync(join(dir, ".out.mxsim-tmp-99999998"));
    writeFileSync(join(dir, ".out.mxsim-tmp-99999998", "notes.txt"), "mine");
    expect((await cli("run", join(dir, "s.yaml"), "--out", join(dir, "out"), "--no-charts")).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".out.mxsim-tmp-99999998", "out", "s.yaml"]);
    expect(readFileSync(join(dir, ".out.mxsim-tmp-99999998", "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("12. run - reads the scenario from standard input", () => {
  it("runs it, and names it <stdin> in messages", () => {
    const dir = tempDir();
    const ok = spawnSync(process.execPath, ["dist/cli/main.js", "run", "-", "--out", join(dir, "o"), "--no-charts"], { input: SMALL, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/small/);
    expect(readdirSync(join(dir, "o"))).toContain("results.json");
    const bad = spawnSync(process.execPath, ["dist/cli/main.js", "validate", "-"], { input: SMALL.replace("rate: 4/h", "rate: 4/x"), encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^<stdin>:22:11: senders\.a\.example\.rate|^<stdin>:22:11: senders\["a\.example"\]\.rate: "4\/x" is not a rate/);
    const huge = spawnSync(process.execPath, ["dist/cli/main.js", "run", "-"], { input: "#".repeat(2 * 1024 * 1024), encoding: "utf8" });
    expect(huge.stderr).toBe("<stdin>: more than 1048576 bytes is too large for a scenario (limit 1048576); check that this is the right file\n");
  });
});
