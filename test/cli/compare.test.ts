import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

const SHIPPED = readdirSync("scenarios/compare").filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios/compare", f));

/** A copy of a shipped scenario with some text replaced, written into `dir`. */
function variant(dir: string, from: string, name: string, edit: (yaml: string) => string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(from, "utf8")));
  return file;
}

const row = (stdout: string, label: string) => stdout.split("\n").find((l) => l.startsWith(`│ ${label} `) || l.startsWith(`│   ${label} `) || l.startsWith(`│     ${label} `));

describe("mxsim compare", () => {
  it("runs the sysadmin's comparison on one seed and counts every message, delivered or not", async () => {
    const out = join(tempDir(), "c");
    const r = await cli("compare", ...SHIPPED, "--out", out, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { meta: { seed: number; baseline: string }; scenarios: { name: string; summary: any; verdict: string | null }[] };
    const by = Object.fromEntries(json.scenarios.map((s) => [s.name, s.summary]));
    expect(Object.keys(by)).toEqual(["no-secondary", "qmail-secondary", "postfix-secondary", "cluster"]);
    // Same seed, same senders: the same messages are created in every setup.
    expect(new Set(json.scenarios.map((s) => s.summary.messages.created)).size).toBe(1);
    // Without a backup, the Exchange sender gives up after 2 days (docs/model.md#exchange); a backup takes the mail at once.
    const bounced = by["no-secondary"].messages.bounced;
    expect(by["no-secondary"].messages.bounced_by).toEqual({ "corp.example": bounced });
    expect(by["no-secondary"].by_profile.exchange.bounced).toBe(bounced);
    expect(bounced).toBeGreaterThan(0);
    expect(by["qmail-secondary"].messages.bounced).toBe(0);
    // Postfix retries a queued message at least every 4000 s (+ the scan); qmail's gaps grow to hours.
    const drain = (s: any) => Math.max(...s.drain.map((d: any) => d.drain_s));
    expect(drain(by["postfix-secondary"])).toBeLessThan(drain(by["qmail-secondary"]));
    expect(by.cluster.messages.delivered_direct).toBe(by.cluster.messages.created);
    expect(readdirSync(out).sort()).toEqual([
      ".mxsim-output",
      "compare-by-profile.png",
      "compare-delivery.png",
      "compare-outcomes.png",
      "compare-queue.png",
      "compare.csv",
      "compare.html",
      "results.json",
    ]);
    // The qmail secondary delivers everything, so it saves exactly what no-secondary bounced, all Exchange's.
    expect(json.meta.baseline).toBe("no-secondary");
    const share = ((100 * bounced) / by["no-secondary"].messages.created).toFixed(1);
    const qmail = json.scenarios.find((s) => s.name === "qmail-secondary")!.verdict;
    expect(qmail).toContain(`qmail-secondary saves ${bounced} messages (${share}%) that the baseline bounces or leaves queued, all from exchange senders, which give up after 2d; it loses none;`);
    expect(json.scenarios[0]!.verdict).toBeNull();
  });

  it("prints the table by section, a p99 that falls on bounced mail as \"not delivered\", and a verdict per scenario", async () => {
    const out = join(tempDir(), "t");
    const r = await cli("compare", SHIPPED[0]!, SHIPPED[3]!, "--out", out, "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ +│ +no-secondary │ +cluster │/);
    expect(row(r.stdout, "directly")).toMatch(/│ +\d+ \(\d+\.\d%\) │ +\d+ \(100\.0%\) │/);
    // 2.5% of no-secondary's mail bounced: more than 1%, so its p99 is no time at all; the cluster's is 0 s.
    expect(row(r.stdout, "bounced")).toMatch(/│ +\d+ \(2\.5%\) │ +0 \(0\.0%\) │/);
    expect(row(r.stdout, "time to delivery p99 (all mail sent)")).toMatch(/│ +not delivered │ +0s │/);
    expect(r.stdout).toContain("Against no-secondary (the baseline: the first scenario given; --baseline NAME picks another):");
    // The cluster delivers every message directly: all of no-secondary's sender retries arrive sooner, none later.
    const retries = Number(/after sender retries +│ +(\d+)/.exec(r.stdout)![1]);
    expect(r.stdout).toMatch(new RegExp(`cluster saves \\d+ messages .*; it loses none; it makes ${retries} messages faster \\(by .* at the median\\) and none slower\\.`));
    const csv = readFileSync(join(out, "compare.csv"), "utf8").split("\n");
    expect(csv[0]).toBe("scenario,seed,section,metric,value,note");
    expect(csv).toContain("no-secondary,21,legitimate mail,time to delivery p99 (all mail sent),,not delivered");
    expect(csv).toContain("cluster,21,legitimate mail,time to delivery p99 (all mail sent),0,");
  });

  it("--baseline picks the scenario the others are compared with; a loss is a loss", async () => {
    const r = await cli("compare", SHIPPED[0]!, SHIPPED[3]!, "--baseline", "cluster", "--out", join(tempDir(), "b"), "--no-charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Against cluster (the baseline: chosen with --baseline):");
    const bounced = Number(/│   bounced +│ +(\d+) /.exec(r.stdout)![1]);
    expect(r.stdout).toMatch(new RegExp(`no-secondary saves no message; it loses ${bounced} messages \\(2\\.5%\\) that the baseline delivers; it makes no message faster and \\d+ messages slower`));
    const bad = await cli("compare", SHIPPED[0]!, SHIPPED[3]!, "--baseline", "nope");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--baseline "nope": no scenario of this comparison has that name; write one of "no-secondary", "cluster"/);
  });

  it("names every profile the saved mail came from when there are several", async () => {
    // 5 days 12 hours down in 8 days: Postfix senders (5-day lifetime) give up too, Exchange (2 days) sooner; qmail (7 days) never.
    const dir = tempDir();
    const long = (y: string) => y.replace("duration: 6d", "duration: 8d").replace("duration: 60h", "duration: 132h");
    const files = [variant(dir, SHIPPED[0]!, "none", long), variant(dir, SHIPPED[1]!, "qmail", long)];
    const r = await cli("compare", ...files, "--out", join(dir, "o"), "--json");
    const [none, qmail] = (JSON.parse(r.stdout).scenarios as { summary: any; verdict: string }[]).map((s) => s);
    expect(qmail!.summary.messages.bounced + qmail!.summary.messages.still_queued).toBe(0);
    const p = none!.summary.by_profile;
    expect(p.qmail.bounced).toBe(0);
    const saved = p.exchange.bounced + p.postfix.bounced;
    expect(qmail!.verdict).toContain(`saves ${saved} messages`);
    expect(qmail!.verdict).toContain(`all from senders that give up within 5d: ${p.exchange.bounced} exchange (2d), ${p.postfix.bounced} postfix (5d);`);
  });

  it("compares totals only, and says so, when the scenarios send other messages", async () => {
    const dir = tempDir();
    const busier = variant(dir, SHIPPED[1]!, "busier", (y) => y.replace("rate: 15/h", "rate: 16/h"));
    const r = await cli("compare", SHIPPED[0]!, busier, "--out", join(dir, "o"), "--json");
    const [a, b] = JSON.parse(r.stdout).scenarios as { summary: any; verdict: string }[];
    const m = b!.summary.messages;
    expect(m.created).not.toBe(a!.summary.messages.created);
    expect(b!.verdict).toContain("qmail-secondary sends other messages than no-secondary (other senders or arrival times), so only totals compare:");
    expect(b!.verdict).toContain(`it delivers ${m.delivered} of ${m.created} legitimate messages`);
    expect(b!.verdict).toContain(`bounces 0 (baseline ${a!.summary.messages.bounced})`);
  });

  it("checks each scenario's expect: and exits 1 when one is broken, the outputs written", async () => {
    const dir = tempDir();
    const expect0 = (y: string) => `${y.trimEnd()}\nexpect:\n  bounced: 0\n`;
    const files = [variant(dir, SHIPPED[0]!, "none", expect0), variant(dir, SHIPPED[1]!, "qmail", expect0)];
    const out = join(dir, "o");
    const r = await cli("compare", ...files, "--out", out, "--no-charts");
    expect(r.code).toBe(1);
    const bounced = Number(/│   bounced +│ +(\d+) /.exec(r.stdout)![1]);
    expect(r.stdout).toContain("Expectations: exit code 1:");
    expect(r.stdout).toContain(`no-secondary: 1 of 1 expectations broken\n    BROKEN bounced ${bounced} > 0`);
    expect(r.stdout).toContain("qmail-secondary: all 1 expectations hold\n    ok     bounced 0 ≤ 0");
    expect(readdirSync(out)).toContain("compare.html");
    const ok = await cli("compare", files[1]!, SHIPPED[3]!, "--out", join(dir, "ok"), "--no-charts");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("cluster: no expectations (expect:)");
  });

  it("expect: counts legitimate mail: spam rejected at RCPT breaks no bound on bounces; backscatter has its own", async () => {
    const dir = tempDir();
    const spam = variant(dir, "scenarios/07-spam-backscatter.yaml", "spam", (y) => `${y.trimEnd()}\nexpect:\n  bounced: 0\n  bounce_rate: 0%\n  backscatter: 0\n`);
    const validated = variant(dir, spam, "validated", (y) => y.replace("recipient_validation: false", "recipient_validation: true").replace("name: spam-backscatter", "name: spam-validated"));
    const r = await cli("compare", spam, validated, "--out", join(dir, "o"), "--no-charts");
    expect(r.code).toBe(1);
    // Every bounce the summary counts is spam's: no legitimate bounce, so only backscatter breaks the bounds.
    expect(r.stdout).toMatch(/spam-backscatter: 1 of 3 expectations broken\n    ok     bounced 0 ≤ 0\n    ok     bounce_rate 0\.00% ≤ 0\.00%\n    BROKEN backscatter \d+ > 0/);
    expect(r.stdout).toContain("spam-validated: all 3 expectations hold");
  });

  it("keeps spam apart: rejected spam is not the senders' bounces; validation ends the backscatter", async () => {
    const dir = tempDir();
    const spam = "scenarios/07-spam-backscatter.yaml";
    const validated = variant(dir, spam, "validated", (y) => y.replace("recipient_validation: false", "recipient_validation: true").replace("name: spam-backscatter", "name: spam-validated"));
    const r = await cli("compare", spam, validated, "--out", join(dir, "o"));
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "o", "results.json"), "utf8"));
    const [open, closed] = json.scenarios as { summary: any; verdict: string }[];
    const backscatter = open!.summary.notifications.backscatter;
    expect(backscatter).toBeGreaterThan(0);
    expect(closed!.summary.notifications.backscatter).toBe(0);
    // In both, everything the Summary counts as bounced is spam: legitimate mail bounced none.
    expect(row(r.stdout, "bounced")).toMatch(/│ +0 \(0\.0%\) │ +0 \(0\.0%\) │/);
    // Unvalidated, the backup accepts the spam to made-up users and bounces it later; validated, it refuses it at RCPT.
    expect(row(r.stdout, "accepted, then bounced (backscatter)")).toMatch(new RegExp(`│ +${backscatter} \\(\\d+\\.\\d%\\) │ +0 \\(0\\.0%\\) │`));
    expect(row(r.stdout, "rejected at SMTP time (no DSN)")).toMatch(new RegExp(`│ +0 \\(0\\.0%\\) │ +${closed!.summary.messages.bounced} \\(\\d+\\.\\d%\\) │`));
    const through = Number(/delivered through a backup MX +│ +(\d+) /.exec(r.stdout)![1]);
    expect(closed!.verdict).toBe(
      `spam-validated saves no message; it loses none; it makes no message faster and none slower; it sends no backscatter DSNs (baseline: ${backscatter}); it lets ${through} spam messages through a backup MX (baseline: ${through}).`,
    );
    expect(readdirSync(join(dir, "o"))).toContain("compare-spam.png");
  });

  it("escapes every scenario string in compare.html, which loads nothing from outside", async () => {
    const dir = tempDir();
    const hostile = variant(dir, SHIPPED[1]!, "hostile", (y) => y.replace(/description:\n[^]*?\nseed/, 'description: "<img src=x onerror=alert(1)> & <script>alert(2)</script>"\nseed'));
    const r = await cli("compare", SHIPPED[0]!, hostile, "--out", join(dir, "o"), "--no-charts");
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, "o", "compare.html"), "utf8");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<img src=x|https?:\/\//);
  });

  it("needs two scenarios or more", async () => {
    const r = await cli("compare", SHIPPED[0]!);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give two scenario files or more/);
  });
});
