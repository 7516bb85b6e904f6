/** The summary a user reads on the terminal: a pure function of the summary. */
import pc from "picocolors";
import type { Model } from "../../core/model.js";
import { PATHS } from "../../core/outcomes.js";
import { inLang, int, t } from "../../i18n/index.js";
import { human, isoAt } from "../../report/format.js";
import { num, pathTitle, shareOf } from "../../report/report-text.js";
import type { Summary } from "../../report/summary.js";
import { boxTable, type BoxOptions } from "./table.js";

/** Rows per table before the rest are counted: a scenario may have thousands of queues. */
const MAX_ROWS = 20;

export interface TableOptions {
  color: boolean;
  seed: number;
}

/** What each table of the summary needs: the model, the summary, and a table maker (its header bold in colour). */
interface Parts {
  model: Model;
  s: Summary;
  table: (head: string[], opts?: BoxOptions) => ReturnType<typeof boxTable>;
}

export function summaryTable(model: Model, s: Summary, opts: TableOptions): string {
  const c = pc.createColors(opts.color);
  const parts: Parts = { model, s, table: (head, o) => boxTable(head.map((h) => c.bold(h)), o) };
  const out: string[] = [];
  out.push(
    c.bold(`mxsim: ${model.name}`) +
      t("report:table.heading", { seed: opts.seed, duration: human(model.duration), start: isoAt(model.startEpochMs, 0) }),
  );
  const description = inLang(model.descriptions, model.description);
  if (description) out.push(description.trim());
  out.push("");
  for (const table of [countsTable(parts), profileTable(parts), latencyTable(parts), queuesTable(parts), drainTable(parts)]) {
    if (table !== undefined) out.push(table, "");
  }
  const connections = connectionLines(s);
  if (connections.length > 0) out.push(...connections, "");
  out.push(t("report:table.footer", { attempts: num(s.attempts), events: num(s.events) }));
  return out.join("\n");
}

/** A count with the language's thousands separators, and its noun (a plural key) to match. */
const counted = (n: number, key: string) => t(key, { count: n, n: int(n) });

/**
 * One line per server that got any connection: TCP connection attempts and the sessions
 * opened (refused and blackholed attempts open none; a reused connection counts once).
 */
function connectionLines(s: Summary): string[] {
  const got = Object.entries(s.connections).filter(([, c]) => c.attempted > 0);
  if (got.length === 0) return [];
  // Of many servers (thousands of backups), the busiest; results.json has them all.
  const shown = got.length <= MAX_ROWS ? got : [...got].sort(([, a], [, b]) => b.attempted - a.attempted).slice(0, MAX_ROWS);
  const lines = [t("report:table.connections")];
  for (const [name, c] of shown) lines.push(`  ${name}: ${counted(c.attempted, "report:table.connectionAttempts")}, ${counted(c.opened, "report:table.sessions")}`);
  if (shown.length < got.length) lines.push(`  ${t("report:table.moreServers", { n: got.length - shown.length })}`);
  return lines;
}

/** Messages by fate (path, bounce, still queued), with their shares, and the notifications sent. */
function countsTable({ s, table }: Parts): string {
  const msg = s.messages;
  const pct = (n: number) => (msg.created > 0 ? shareOf(n, msg.created) : "-");
  const counts = table([t("report:table.messages"), t("report:table.count"), t("report:table.share")], { colAligns: ["left", "right", "right"] });
  counts.push(
    [t("report:table.created"), num(msg.created), ""],
    [`  ${pathTitle("direct")}`, num(msg.delivered_direct), pct(msg.delivered_direct)],
    [`  ${pathTitle("via-secondary")}`, num(msg.delivered_via_secondary), pct(msg.delivered_via_secondary)],
    [`  ${pathTitle("sender-retry")}`, num(msg.delivered_after_sender_retry), pct(msg.delivered_after_sender_retry)],
    [`  ${t("report:table.bounced")}`, num(msg.bounced), pct(msg.bounced)],
  );
  for (const [by, n] of Object.entries(msg.bounced_by)) counts.push([`    ${t("report:table.bouncedBy", { by })}`, num(n), pct(n)]);
  for (const [why, n] of Object.entries(msg.bounced_why)) counts.push([`    ${t("report:table.bouncedWhy", { why })}`, num(n), pct(n)]);
  counts.push([`  ${t("report:table.stillQueued")}`, num(msg.still_queued), pct(msg.still_queued)]);
  for (const [at, n] of Object.entries(msg.still_queued_at)) counts.push([`    ${t("report:table.queuedAt", { at })}`, num(n), pct(n)]);
  const notes = s.notifications;
  if (notes.delayed > 0) counts.push([t("report:table.delayWarnings"), num(notes.delayed), ""]);
  if (notes.backscatter > 0) counts.push([t("report:table.backscatter"), num(notes.backscatter), ""]);
  return counts.toString();
}

/** Legitimate mail by sender profile, only when there are two profiles or more (one would repeat the counts table). */
function profileTable({ s, table }: Parts): string | undefined {
  const rows = Object.entries(s.by_profile);
  if (rows.length < 2) return undefined;
  const head = ["senderProfile", "created", "direct", "viaSecondary", "senderRetries", "bounced", "stillQueuedShort"].map((k) => t(`report:table.${k}`));
  const p = table(head, { colAligns: ["left", "right", "right", "right", "right", "right", "right"] });
  for (const [mta, c] of rows) {
    p.push([mta, ...[c.created, c.delivered_direct, c.delivered_via_secondary, c.delivered_after_sender_retry, c.bounced, c.still_queued].map(num)]);
  }
  return p.toString();
}

/** Latency percentiles of all delivered mail and of each path. */
function latencyTable({ s, table }: Parts): string {
  const lat = table([t("report:table.latency"), t("report:table.count"), "p50", "p90", "p99", t("report:reps.max")], { colAligns: ["left", "right", "right", "right", "right", "right"] });
  const row = (label: string, l: Summary["latency"]["overall"]) =>
    l ? [label, num(l.count), human(l.p50_s), human(l.p90_s), human(l.p99_s), human(l.max_s)] : [label, num(0), "-", "-", "-", "-"];
  lat.push(row(t("report:table.allDelivered"), s.latency.overall));
  for (const p of PATHS) lat.push(row(`  ${pathTitle(p)}`, s.latency[p]));
  return lat.toString();
}

/** Each queue's peak depth and when it was first reached (none without queues). */
function queuesTable({ model, s, table }: Parts): string | undefined {
  if (s.peak_queue.length === 0) return undefined;
  const q = table([t("report:table.queue"), t("report:table.peakDepth"), t("report:table.firstReached")], { colAligns: ["left", "right", "left"] });
  // Of many queues (thousands of backups), the busiest; results.json has them all.
  const busiest = s.peak_queue.length <= MAX_ROWS ? s.peak_queue : [...s.peak_queue].sort((a, b) => b.peak - a.peak).slice(0, MAX_ROWS);
  for (const p of busiest) {
    q.push([
      t(p.kind === "sender" ? "report:table.senderQueue" : "report:table.backupQueue", { node: p.node }),
      num(p.peak),
      p.peak > 0 ? t("report:table.reachedAt", { at: isoAt(model.startEpochMs, p.at_s), after: human(p.at_s) }) : "-",
    ]);
  }
  if (busiest.length < s.peak_queue.length) q.push([t("report:table.moreQueues", { n: s.peak_queue.length - busiest.length }), "", ""]);
  return q.toString();
}

/** How long each queue took to empty after each outage (none without outages). */
function drainTable(parts: Parts): string | undefined {
  const { model, s, table } = parts;
  if (s.drain.length > 8) return drainByQueue(parts);
  if (s.drain.length === 0) return undefined;
  // At most 8 rows here (more are folded by drainByQueue).
  const d = table(["queue", "afterOutageOf", "outage", "emptyAgain"].map((k) => t(`report:table.${k}`)));
  for (const r of s.drain) {
    d.push([
      r.queue,
      r.outage_of,
      t("report:table.outageFor", { start: isoAt(model.startEpochMs, r.outage_start_s), duration: human(r.outage_end_s - r.outage_start_s) }),
      r.drain_s === null ? t("report:table.notWithinRun") : human(r.drain_s),
    ]);
  }
  return d.toString();
}

/** Many outages (a flapping server): one line per queue instead of one per window. */
function drainByQueue({ s, table }: Parts): string {
  const d = table(["queue", "outages", "emptyMedian", "longest", "notWithinRun"].map((k) => t(`report:table.${k}`)));
  const byQueue = new Map<string, (number | null)[]>();
  for (const r of s.drain) {
    let list = byQueue.get(r.queue);
    if (!list) byQueue.set(r.queue, (list = []));
    list.push(r.drain_s);
  }
  let shown = 0;
  for (const [queue, rows] of byQueue) {
    if (++shown > MAX_ROWS) {
      d.push([t("report:table.moreQueues", { n: byQueue.size - MAX_ROWS }), "", "", "", ""]);
      break;
    }
    const times = rows.filter((t): t is number => t !== null).sort((a, b) => a - b);
    const median = times.length ? times[Math.floor((times.length - 1) / 2)]! : NaN;
    d.push([queue, num(rows.length), human(median), times.length ? human(times.at(-1)!) : "-", num(rows.length - times.length)]);
  }
  return d.toString();
}
