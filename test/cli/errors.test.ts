import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, spawnCli, tempDir } from "./helpers.js";

const GOOD = `name: bad
seed: 1
duration: 2d
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
      - { start: 1d, duration: 6h, mode: refused }
  s.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: p.example.com }
senders:
  hotmail.com:
    to: example.com
    rate: 20/h
`;

/** [what is wrong, the scenario text, expected line:col, expected path, message pattern] */
const CASES: [string, string, string, string, RegExp][] = [
  ["YAML syntax", GOOD.replace("rate: 20/h", "rate: [20/h"), "23:", "", /YAML syntax: .*; /],
  ["a tab for indentation", GOOD.replace("    role: mailbox", "\trole: mailbox"), "11:1", "", /tabs.*indent with spaces/i],
  ["a duplicate key", GOOD.replace("seed: 1\n", "seed: 1\nseed: 2\n"), "3:1", "", /unique.*remove or rename/],
  ["an unknown key", GOOD.replace("    relay_domains:", "    rcpthosts: [example.com]\n    relay_domains:"), "17:5", 'servers["s.example.com"].rcpthosts', /unknown key "rcpthosts"/],
  ["a misspelt key", GOOD.replace("    domains: [example.com]", "    domain: [example.com]"), "12:5", 'servers["p.example.com"].domain', /unknown key "domain"; did you mean "domains"\?/],
  ["a wrong type", GOOD.replace("seed: 1", "seed: lots"), "2:7", "seed", /expected a seed, got "lots"; write a whole number, e.g. seed: 42/],
  ["a duration without a unit it knows", GOOD.replace("duration: 2d", "duration: 2x"), "3:11", "duration", /"2x" is not a duration; write a number and a unit/],
  ["an unknown failure mode", GOOD.replace("mode: refused", "mode: down"), "14:42", 'servers["p.example.com"].outages[0].mode', /"down" is not allowed here; write refused, timeout, silent, greeting-4xx, greeting-5xx, rcpt-4xx or reject-5xx/],
  ["a missing field", GOOD.replace("duration: 2d\n", ""), "1:1", "", /duration is missing; add e.g. duration: 5d/],
  ["an MX host that is not a server", GOOD.replace("host: s.example.com", "host: s2.example.com"), "8:33", 'dns["example.com"].mx[1].host', /"s2.example.com" is not one of the servers; did you mean "s.example.com"\?/],
  ["a preference out of range", GOOD.replace("preference: 20", "preference: 70000"), "8:23", 'dns["example.com"].mx[1].preference', /above 65535/],
  ["a rate of zero", GOOD.replace("rate: 20/h", "rate: 0/h"), "22:11", 'senders["hotmail.com"].rate', /sends nothing/],
  ["an outage that ends before it starts", GOOD.replace("duration: 6h, mode", "end: 12h, mode"), "14:27", 'servers["p.example.com"].outages[0].end', /ends before it starts/],
  [
    "overlapping outages",
    GOOD.replace("      - { start: 1d, duration: 6h, mode: refused }", "      - { start: 1d, duration: 6h }\n      - { start: 1d2h, duration: 1h }"),
    "15:9",
    'servers["p.example.com"].outages[1]',
    /overlaps outage 1/,
  ],
  ["an unknown role", GOOD.replace("role: relay", "role: backup"), "16:11", 'servers["s.example.com"].role', /"backup" is not a server role; write role: mailbox .*, role: relay .* or role: balancer/],
  ["a sender to an unknown domain", GOOD.replace("    to: example.com", "    to: exampel.com"), "21:9", 'senders["hotmail.com"].to', /did you mean "example.com"/],
  ["an unknown MTA", GOOD.replace("    rate: 20/h", "    rate: 20/h\n    mta: postfx"), "23:10", 'senders["hotmail.com"].mta', /"postfx" is not an MTA profile; write one of: qmail/],
  [
    "a misspelt MTA setting",
    GOOD.replace("    rate: 20/h", "    rate: 20/h\n    mta: { name: postfix, maximal_queue_lifetim: 2d }"),
    "23:27",
    'senders["hotmail.com"].mta.maximal_queue_lifetim',
    /unknown key "maximal_queue_lifetim"; did you mean "maximal_queue_lifetime"\?/,
  ],
  [
    "a malformed Exim retry rule",
    GOOD.replace("    rate: 20/h", '    rate: 20/h\n    mta: { name: exim, retry: "F,2h,15m; X,1d" }'),
    "23:31",
    'senders["hotmail.com"].mta.retry',
    /"X,1d" is not a retry parameter set; write F,<cutoff>,<interval>/,
  ],
  [
    "a null MX beside other MX records",
    GOOD.replace("      - { preference: 10, host: p.example.com }", '      - { preference: 0, host: "." }\n      - { preference: 10, host: p.example.com }'),
    "7:7",
    'dns["example.com"].mx',
    /a null MX must be the only MX record/,
  ],
  [
    "a route loop between relays",
    GOOD.replace("    routes: { example.com: p.example.com }", "    routes: { example.com: t.example.com }").replace(
      "senders:",
      "  t.example.com: { role: relay, relay_domains: [example.com], routes: { example.com: s.example.com } }\nsenders:",
    ),
    "18:28",
    'servers["s.example.com"].routes["example.com"]',
    /routes for "example.com" go round in a loop between relays \(s\.example\.com → t\.example\.com → s\.example\.com\)/,
  ],
  ["a flush of an unknown node", `${GOOD}actions:\n  - { at: 1h, flush: s.exmaple.com }\n`, "24:22", "actions[0].flush", /did you mean "s.example.com"\?/],
  ["an empty file", "", "1:1", "", /the file is empty/],
  ["a list instead of a mapping", "- a\n- b\n", "1:1", "", /expected a mapping of keys/],
  ["binary junk", "\u0000\u0001\u0002PNG", "1:1", "", /not a text file/],
  ["an alias bomb", `a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`, "1:1", "", /aliases expand too far/],
];

describe("bad scenarios get one line naming file:line:col, the field and the fix, exit 2, no output", () => {
  it.each(CASES)("%s", async (_what, text, pos, path, message) => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, text);
    const out = join(dir, "out");
    const r = await cli("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const first = r.stderr.split("\n")[0]!;
    expect(first.startsWith(`${file}:${pos}`), first).toBe(true);
    if (path) expect(first).toContain(`: ${path}: `);
    expect(first).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("a missing file, a folder, bad flags and unknown commands are usage errors (exit 2)", async () => {
    const missing = await cli("run", "no/such.yaml");
    expect(missing).toMatchObject({ code: 2, stderr: "no/such.yaml: no such file; give a scenario file, e.g. scenarios/02-article-outage.yaml\n" });
    const dir = tempDir();
    mkdirSync(join(dir, "d.yaml"));
    expect((await cli("run", join(dir, "d.yaml"))).stderr).toMatch(/is a folder/);
    expect((await cli("run", "scenarios/01-normal-week.yaml", "--seed", "-3")).stderr).toMatch(/--seed -3: write a whole number/);
    expect((await cli("run", "scenarios/01-normal-week.yaml", "--bogus")).code).toBe(2);
    const unknown = await cli("rnu", "scenarios/01-normal-week.yaml");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect((await cli()).code).toBe(2);
    const huge = join(dir, "huge.yaml");
    writeFileSync(huge, `# ${"x".repeat(2 * 1024 * 1024)}\n`);
    expect((await cli("run", huge)).stderr).toMatch(/huge\.yaml: \d+ bytes is too large for a scenario \(limit 1048576\)/);
  });

  it("the real process exits 2 with one line and no stack trace", () => {
    const dir = tempDir();
    const file = join(dir, "bad.yaml");
    writeFileSync(file, GOOD.replace("mode: refused", "mode: down"));
    const r = spawnCli("run", file, "--out", join(dir, "out"));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
