import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, spawnCli, tempDir } from "./helpers.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const scenarios = readdirSync("scenarios").filter((f) => f.endsWith(".yaml"));

describe("mxsim run on every shipped scenario", () => {
  it("ships the scenarios issue 2 asks for", () => {
    expect(scenarios).toEqual(
      expect.arrayContaining(["02-article-outage.yaml", "01-normal-week.yaml", "04-outage-longer-than-lifetime.yaml", "05-no-secondary.yaml"]),
    );
  });

  it.each(scenarios)("%s runs through the built CLI with exit 0 and writes every file", (file) => {
    const out = join(tempDir(), "out");
    const r = spawnCli("run", join("scenarios", file), "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created/);
    // With two sender profiles or more, one more chart: each profile's mail delivered within a given time.
    const profiles = Object.keys(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).summary.by_profile).length;
    expect(readdirSync(out).sort()).toEqual(
      [
        ".mxsim-output",
        ...(profiles >= 2 ? ["delivery-by-profile.png"] : []),
        "attempts.csv",
        "latency.png",
        "message-timeline.png",
        "messages.csv",
        "notifications.csv",
        "queue-depth.png",
        "queue.csv",
        "report.html",
        "results.json",
        "story.txt",
        "timeline.png",
      ].sort(),
    );
    for (const png of ["latency.png", "queue-depth.png", "timeline.png", "message-timeline.png"]) {
      const bytes = readFileSync(join(out, png));
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(bytes.length).toBeGreaterThan(10_000);
    }
    // Every shipped scenario says in a comment what it teaches.
    expect(readFileSync(join("scenarios", file), "utf8")).toMatch(/^# What it teaches:/m);
  });
});

describe("mxsim run outputs", () => {
  it("the article's scenario tells the story: failover, queueing on the secondary, late delivery, no loss", async () => {
    const out = join(tempDir(), "a");
    const r = await cli("run", "scenarios/02-article-outage.yaml", "--out", out, "--json", "--no-charts");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const m = json.summary.messages;
    expect(m.delivered_via_secondary).toBeGreaterThan(100);
    expect(m.delivered_direct).toBeGreaterThan(m.delivered_via_secondary);
    expect(m.bounced).toBe(0);
    expect(m.still_queued).toBe(0);
    // Mail queued on the secondary arrives late: hours, not seconds.
    expect(json.summary.latency["via-secondary"].p50_s).toBeGreaterThan(3600);
    const peak = json.summary.peak_queue.find((p: { node: string }) => p.node === "fcmx2.blyx.com");
    expect(peak.peak).toBeGreaterThan(100);
    const drain = json.summary.drain.find((d: { queue: string }) => d.queue === "fcmx2.blyx.com");
    expect(drain.drain_s).toBeGreaterThan(0);
    expect(json.meta).toMatchObject({ tool: "mxsim", scenario: "article-outage", seed: 42 });
    expect(json.meta.scenario_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("an outage longer than 7 days makes the qmail secondary bounce", async () => {
    const r = await cli("run", "scenarios/04-outage-longer-than-lifetime.yaml", "--out", join(tempDir(), "b"), "--json", "--no-charts");
    const m = JSON.parse(r.stdout).summary.messages;
    expect(m.bounced).toBeGreaterThan(0);
    expect(m.bounced_by).toEqual({ "fcmx2.blyx.com": m.bounced });
    expect(m.bounced_why).toEqual({ lifetime: m.bounced });
  });

  it("without a secondary the mail waits in the senders' own queues", async () => {
    const r = await cli("run", "scenarios/05-no-secondary.yaml", "--out", join(tempDir(), "c"), "--json", "--no-charts");
    const s = JSON.parse(r.stdout).summary;
    expect(s.messages.delivered_via_secondary).toBe(0);
    expect(s.messages.delivered_after_sender_retry).toBeGreaterThan(100);
    expect(s.peak_queue).toEqual([expect.objectContaining({ node: "hotmail.com", kind: "sender" })]);
  });

  it("the same scenario and seed give a byte-identical results.json; another seed does not", async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await cli("run", "scenarios/02-article-outage.yaml", "--out", a, "--no-charts");
    await cli("run", "scenarios/02-article-outage.yaml", "--out", b, "--no-charts");
    await cli("run", "scenarios/02-article-outage.yaml", "--out", c, "--no-charts", "--seed", "7");
    for (const f of ["results.json", "messages.csv", "attempts.csv", "queue.csv"]) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    expect(readFileSync(join(a, "results.json")).equals(readFileSync(join(c, "results.json")))).toBe(false);
    expect(JSON.parse(readFileSync(join(c, "results.json"), "utf8")).meta.seed).toBe(7);
  });

  it("CSV rows carry the scenario, seed and run, and the totals match results.json", async () => {
    const out = tempDir();
    await cli("run", "scenarios/02-article-outage.yaml", "--out", out, "--no-charts");
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const rows = readFileSync(join(out, "messages.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toMatch(/^scenario,seed,run,message_id,/);
    expect(rows.length - 1).toBe(results.summary.messages.created);
    expect(rows[1]).toMatch(/^article-outage,42,0,0,hotmail.com,blyx.com,/);
    const attempts = readFileSync(join(out, "attempts.csv"), "utf8").trim().split("\n");
    expect(attempts.length - 1).toBe(results.summary.attempts);
  });

  it("replaces an earlier output folder whole", async () => {
    const out = join(tempDir(), "o");
    await cli("run", "scenarios/02-article-outage.yaml", "--out", out);
    const r = await cli("run", "scenarios/01-normal-week.yaml", "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    expect(readdirSync(out)).not.toContain("latency.png");
    expect(readdirSync(join(out, ".."))).toEqual(["o"]); // no temporary folders left behind
  });

  it("refuses to overwrite a folder that is not an mxsim output", async () => {
    const r = await cli("run", "scenarios/01-normal-week.yaml", "--out", "src", "--no-charts");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^src\/\S+ is in the way: src was not written by mxsim \(it has no valid \.mxsim-output marker\); choose another --out/);
    expect(existsSync("src/results.json")).toBe(false);
  });
});

describe("report.html", () => {
  it("is one self-contained file: charts embedded, no external references, scenario text escaped", async () => {
    const dir = tempDir();
    const scenario = join(dir, "x.yaml");
    writeFileSync(
      scenario,
      readFileSync("scenarios/02-article-outage.yaml", "utf8").replace(
        /^description:\n(  .*\n)+/m,
        'description: "<script>alert(1)</script> & <img src=x onerror=alert(2)>"\n',
      ),
    );
    const r = await cli("run", scenario, "--out", join(dir, "out"));
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, "out", "report.html"), "utf8");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;");
    expect(html).not.toContain("<script");
    expect(html.match(/<img [^>]*src="data:image\/png;base64,/g)).toHaveLength(4);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("What you are looking at.");
    expect(html).toMatch(/<h2>The story of message \d+<\/h2>/);
  });
});
