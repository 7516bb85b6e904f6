import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.js";

const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".png")).sort();
const SWEEP = ["--set", "servers/fcmx1.blyx.com/outages/0/duration", "--values", "1d,3d"];

describe("the charts split by sender profile", () => {
  it("mxsim run draws delivery-by-profile.png and shows it in report.html with two profiles or more", async () => {
    const out = join(tempDir(), "m");
    expect((await cli("run", "scenarios/no-secondary-mixed-senders.yaml", "--out", out)).code).toBe(0);
    expect(pngs(out)).toEqual(["delivery-by-profile.png", "latency.png", "message-timeline.png", "queue-depth.png", "timeline.png"]);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<strong>Each sender profile&#39;s mail delivered within a given time.</strong>");
    expect(html.match(/<img [^>]*src="data:image\/png;base64,/g)).toHaveLength(5);
  });

  it("a single-profile run writes the files it wrote before", async () => {
    const out = join(tempDir(), "s");
    const r = await cli("run", "scenarios/02-article-outage.yaml", "--out", out);
    expect(r.stdout).toContain(
      "attempts.csv, notifications.csv, results.json, messages.csv, queue.csv, story.txt, queue-depth.png, latency.png, timeline.png, message-timeline.png, report.html\n",
    );
    expect(readFileSync(join(out, "report.html"), "utf8")).not.toContain("sender profile");
  });

  it("mxsim compare and sweep add theirs with two profiles or more, and not with one", async () => {
    const dir = tempDir();
    await cli("compare", "scenarios/compare/1-no-secondary.yaml", "scenarios/compare/2-qmail-secondary.yaml", "--out", join(dir, "c"));
    expect(pngs(join(dir, "c"))).toContain("compare-by-profile.png");
    expect(readFileSync(join(dir, "c", "compare.html"), "utf8")).toContain("Legitimate mail that never arrived, by sender profile");
    await cli("compare", "scenarios/02-article-outage.yaml", "scenarios/05-no-secondary.yaml", "--out", join(dir, "c1"));
    expect(pngs(join(dir, "c1"))).toEqual(["compare-delivery.png", "compare-outcomes.png", "compare-queue.png"]);
    await cli("sweep", "scenarios/compare/1-no-secondary.yaml", ...SWEEP, "--out", join(dir, "w"));
    expect(pngs(join(dir, "w"))).toEqual(["sweep-bounces-by-profile.png", "sweep-bounces.png", "sweep-p95.png"]);
    expect(readFileSync(join(dir, "w", "sweep.html"), "utf8")).toContain("Bounced legitimate mail by sender profile");
    await cli("sweep", "scenarios/02-article-outage.yaml", ...SWEEP, "--out", join(dir, "w1"));
    expect(pngs(join(dir, "w1"))).toEqual(["sweep-bounces.png", "sweep-p95.png"]);
  });
});

describe("charts in Spanish", () => {
  it("the same scenario, seed and --lang es draw byte-identical PNGs, other than the English ones", async () => {
    const [a, b, en] = [tempDir(), tempDir(), tempDir()];
    await cli("run", "scenarios/02-article-outage.yaml", "--out", a, "--lang", "es");
    await cli("run", "scenarios/02-article-outage.yaml", "--out", b, "--lang", "es");
    await cli("run", "scenarios/02-article-outage.yaml", "--out", en, "--lang", "en");
    expect(pngs(a)).toEqual(pngs(b));
    for (const f of pngs(a)) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
      expect(readFileSync(join(a, f)).equals(readFileSync(join(en, f))), f).toBe(false);
    }
  });
});
