// npm run bench: mxsim against the plain-JavaScript references of ../shared/bench
// on the same workload, in one invocation, each measurement in a fresh process.
//
//   node bench/run.mjs [--sizes 10000,100000,1000000] [--repeat 3] [--styles soa,obj,proc] [--against DIR]
//
// --against DIR also measures another built copy of mxsim (a checkout of an
// earlier commit with its own `npm run build`), interleaved pair by pair with
// this one, and prints this copy's time over that one's for each pair and their
// median: how a change moved the speed, measured side by side in one run.
//
// For each size it prints events per second, the event loop's wall time and
// the peak memory of each implementation (the median of --repeat runs,
// interleaved so that a noisy neighbour hurts all of them alike), mxsim's
// ratios to each reference, and whether the counts agree. The references are
// optional: without ../shared/bench the script says so and measures mxsim alone.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt("sizes", "10000,100000,1000000").split(",").map(Number);
const repeat = Number(opt("repeat", "3"));
const refDir = join(root, "..", "shared", "bench");
const reference = join(refDir, "mx_plain.mjs");
const haveRef = existsSync(reference);
const styles = haveRef ? opt("styles", "soa,obj,proc").split(",") : [];
const against = opt("against", undefined);
if (against !== undefined && !existsSync(join(against, "dist", "bench", "mxsim-bench.js"))) {
  console.error(`bench: --against ${against}: no dist/bench/mxsim-bench.js there; check out the other commit and run npm run build in it`);
  process.exit(1);
}

if (!existsSync(join(root, "dist", "bench", "mxsim-bench.js"))) {
  console.error("bench: dist/ is missing; run npm run build first (npm run bench does)");
  process.exit(1);
}
const { benchScenario } = await import(join(root, "dist", "bench", "scenario.js"));
if (!haveRef) console.log(`bench: no reference implementations at ${refDir}; measuring mxsim alone.`);

/**
 * The whole `mxsim run` on the same workload (loading, simulating, writing every file, the charts and
 * the report), timed from outside: what a user waits for.
 */
function measureCli(n) {
  const dir = mkdtempSync(join(tmpdir(), "mxsim-bench-"));
  try {
    const scenario = join(dir, "bench.yaml");
    writeFileSync(scenario, benchScenario(n));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--import", join(root, "bench", "maxrss.mjs"), join(root, "dist", "cli", "main.js"), "run", scenario, "--out", join(dir, "out")], {
      encoding: "utf8",
    });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`mxsim run failed: ${r.stderr}`);
    return { wall_s: +wall.toFixed(3), ...JSON.parse(r.stderr.trim().split("\n").at(-1)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One measurement in a fresh process; the reference gets its peak memory from bench/maxrss.mjs. */
function measure(impl, n) {
  const argv =
    impl === "mxsim" || impl === "before"
      ? [join(impl === "mxsim" ? root : against, "dist", "bench", "mxsim-bench.js"), "--n", String(n)]
      : ["--import", join(root, "bench", "maxrss.mjs"), reference, "--n", String(n), "--style", impl];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${impl} failed: ${r.stderr}`);
  const extra = impl === "mxsim" || impl === "before" ? {} : JSON.parse(r.stderr.trim().split("\n").at(-1));
  return { ...JSON.parse(r.stdout), ...extra };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? "-" : x.toFixed(d));
const results = {};
for (const n of sizes) {
  const runs = { mxsim: [] };
  if (against !== undefined) runs.before = [];
  for (const s of styles) runs[s] = [];
  for (let k = 0; k < repeat; k++) {
    // Alternate which copy goes first, so a drift in the machine's speed favours neither.
    const pair = k % 2 === 0 ? ["mxsim", "before"] : ["before", "mxsim"];
    for (const impl of pair) if (runs[impl]) runs[impl].push(measure(impl, n));
    for (const s of styles) runs[s].push(measure(s, n));
  }
  const summary = {};
  for (const [impl, rs] of Object.entries(runs)) {
    summary[impl] = {
      ...rs[0],
      wall_s: median(rs.map((r) => r.wall_s)),
      peak_rss_mb: median(rs.map((r) => r.peak_rss_mb)),
      engine_ev_per_s: median(rs.map((r) => r.engine_ev_per_s)),
      walls: rs.map((r) => r.wall_s),
    };
  }
  results[n] = summary;
  const cli = measureCli(n);

  console.log(`\n== ${n.toLocaleString("en-US")} messages (median of ${repeat}) ==`);
  console.log("impl            wall s   events/s     peak MB   mxsim/impl (wall)");
  for (const [impl, r] of Object.entries(summary)) {
    const ratio = impl === "mxsim" ? "" : fmt(summary.mxsim.wall_s / r.wall_s);
    console.log(`${impl.padEnd(14)} ${fmt(r.wall_s, 3).padStart(7)} ${String(r.engine_ev_per_s).padStart(10)} ${fmt(r.peak_rss_mb, 1).padStart(11)}   ${ratio}`);
  }
  if (runs.before) {
    const pairs = runs.mxsim.map((r, k) => r.wall_s / runs.before[k].wall_s);
    const same = runs.mxsim.every((r, k) => ["direct", "queued", "via_secondary", "bounced", "attempts"].every((key) => r[key] === runs.before[k][key]));
    console.log(
      `this copy / ${against} (event loop, ${repeat} interleaved pairs): ${pairs.map((x) => fmt(x, 3)).join(", ")}; median ${fmt(median(pairs), 3)}; ` +
        `counts ${same ? "identical" : "DIFFER"}`,
    );
  }
  console.log(
    `mxsim run, the whole command (simulation, CSV files, charts, report): ${fmt(cli.wall_s, 1)} s, peak ${fmt(cli.peak_rss_mb, 1)} MB`,
  );
  if (haveRef && summary.soa) {
    const m = summary.mxsim;
    const ref = summary.soa;
    const agree = (key) => {
      // Two independent Poisson samples of the same workload: compare with 4 standard errors.
      const a = m[key];
      const b = ref[key];
      const se = Math.sqrt(Math.max(1, a + b));
      return `${key} ${a} vs ${b} (${Math.abs(a - b) <= 4 * se ? "within noise" : "differs"})`;
    };
    console.log(`counts, mxsim vs soa: ${["direct", "queued", "via_secondary", "bounced"].map(agree).join("; ")}`);
    console.log(
      `attempts: mxsim ${m.attempts} secondary attempts + ${m.sender_attempts} sender attempts vs ${ref.attempts}: ` +
        "mxsim's secondary tries once more, at the moment it accepts the message (qmail attempts a new message at once), " +
        "and every message also costs a sender attempt (an MX lookup, a connection per host, a record).",
    );
  }
}

if (haveRef && sizes.length > 1) {
  const [small, large] = [sizes[0], sizes.at(-1)];
  const s = results[small].mxsim;
  const l = results[large].mxsim;
  const perEvent = l.wall_s / l.engine_events / (s.wall_s / s.engine_events);
  const nlogn = Math.log(l.engine_events) / Math.log(s.engine_events);
  console.log(
    `\nscaling ${small} → ${large}: time per event grew ${fmt(perEvent)}× (n log n allows ${fmt(nlogn)}×: ` +
      `${perEvent <= nlogn ? "within" : "beyond"})`,
  );
}
if (results[1000000]) {
  const m = results[1000000].mxsim;
  const soa = results[1000000].soa;
  console.log("\ntargets at 1,000,000 messages:");
  if (soa) console.log(`  wall time within 1.5× of the typed-array reference: ${fmt(m.wall_s / soa.wall_s)}× (${m.wall_s / soa.wall_s <= 1.5 ? "met" : "NOT met"})`);
  console.log(`  peak memory under 200 MB: ${fmt(m.peak_rss_mb, 1)} MB (${m.peak_rss_mb < 200 ? "met" : "NOT met"})`);
}
const largest = results[sizes.at(-1)]?.mxsim;
if (largest) {
  // In this workload a message bounces when it reaches the secondary during the last outage (from 120 h) early
  // enough that its dying attempt, 608400 s after it arrived, still falls inside the outage (before 300 h).
  const predicted = (largest.n * (300 * 3600 - 608400 - 120 * 3600)) / (14 * 86400);
  console.log(`\nbounces at ${largest.n} messages: mxsim ${largest.bounced}; the model predicts ${predicted.toFixed(0)} (± ${Math.sqrt(predicted).toFixed(0)}).`);
}
console.log(
  "note: bounce counts can differ by a few standard errors: the reference computes retry times in floating point " +
    "from fractional birth times, so (birth + 577600) − birth can come out below 577600 and floor(sqrt()) drops a grid " +
    "point; mxsim works in whole seconds, as qmail does.",
);
