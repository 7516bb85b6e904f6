/** The summary a user reads on the terminal: a pure function of the summary. */
import pc from "picocolors";
import type { Model } from "../../core/model.js";
import { PATH_INFO, PATHS } from "../../core/outcomes.js";
import { human, isoAt } from "../../report/format.js";
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
      ` (seed ${opts.seed}, ${human(model.duration)} from ${isoAt(model.startEpochMs, 0)})`,
  );
  if (model.description) out.push(model.description.trim());
  out.push("");
  for (const table of [countsTable(parts), profileTable(parts), latencyTable(parts), queuesTable(parts), drainTable(parts)]) {
    if (table !== undefined) out.push(table, "");
  }
  const connections = connectionLines(s);
  if (connections.length > 0) out.push(...connections, "");
  out.push(`${s.attempts} delivery attempts, ${s.events} events.`);
  return out.join("\n");
}

/** A count with thousands separators, and the noun in the plural unless it is 1. */
const counted = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;

/**
 * One line per server that got any connection: TCP connection attempts and the sessions
 * opened (refused and blackholed attempts open none; a reused connection counts once).
 */
function connectionLines(s: Summary): string[] {
  const got = Object.entries(s.connections).filter(([, c]) => c.attempted > 0);
  if (got.length === 0) return [];
  // Of many servers (thousands of backups), the busiest; results.json has them all.
  const shown = got.length <= MAX_ROWS ? got : [...got].sort(([, a], [, b]) => b.attempted - a.attempted).slice(0, MAX_ROWS);
  const lines = ["Connections to each server (a session: the TCP connection succeeded):"];
  for (const [name, c] of shown) lines.push(`  ${name}: ${counted(c.attempted, "connection attempt")}, ${counted(c.opened, "session")}`);
  if (shown.length < got.length) lines.push(`  … and ${got.length - shown.length} more servers (see results.json)`);
  return lines;
}

/** Messages by fate (path, bounce, still queued), with their shares, and the notifications sent. */
function countsTable({ s, table }: Parts): string {
  const msg = s.messages;
  const pct = (n: number) => (msg.created > 0 ? `${((100 * n) / msg.created).toFixed(1)}%` : "-");
  const counts = table(["Messages", "count", "share"], { colAligns: ["left", "right", "right"] });
  counts.push(
    ["created", msg.created, ""],
    [`  ${PATH_INFO.direct.title}`, msg.delivered_direct, pct(msg.delivered_direct)],
    [`  ${PATH_INFO["via-secondary"].title}`, msg.delivered_via_secondary, pct(msg.delivered_via_secondary)],
    [`  ${PATH_INFO["sender-retry"].title}`, msg.delivered_after_sender_retry, pct(msg.delivered_after_sender_retry)],
    [`  bounced`, msg.bounced, pct(msg.bounced)],
  );
  for (const [by, n] of Object.entries(msg.bounced_by)) counts.push([`    by ${by}`, n, pct(n)]);
  for (const [why, n] of Object.entries(msg.bounced_why)) counts.push([`    why: ${why}`, n, pct(n)]);
  counts.push([`  still queued at the end`, msg.still_queued, pct(msg.still_queued)]);
  for (const [at, n] of Object.entries(msg.still_queued_at)) counts.push([`    at ${at}`, n, pct(n)]);
  const notes = s.notifications;
  if (notes.delayed > 0) counts.push(["delay warnings sent", notes.delayed, ""]);
  if (notes.backscatter > 0) counts.push(["backscatter (DSNs to forged senders)", notes.backscatter, ""]);
  return counts.toString();
}

/** Legitimate mail by sender profile, only when there are two profiles or more (one would repeat the counts table). */
function profileTable({ s, table }: Parts): string | undefined {
  const rows = Object.entries(s.by_profile);
  if (rows.length < 2) return undefined;
  const t = table(["Sender profile", "created", "direct", "via secondary", "sender retries", "bounced", "still queued"], {
    colAligns: ["left", "right", "right", "right", "right", "right", "right"],
  });
  for (const [mta, c] of rows) {
    t.push([mta, c.created, c.delivered_direct, c.delivered_via_secondary, c.delivered_after_sender_retry, c.bounced, c.still_queued]);
  }
  return t.toString();
}

/** Latency percentiles of all delivered mail and of each path. */
function latencyTable({ s, table }: Parts): string {
  const lat = table(["Delivery latency", "count", "p50", "p90", "p99", "max"], { colAligns: ["left", "right", "right", "right", "right", "right"] });
  const row = (label: string, l: Summary["latency"]["overall"]) =>
    l ? [label, l.count, human(l.p50_s), human(l.p90_s), human(l.p99_s), human(l.max_s)] : [label, 0, "-", "-", "-", "-"];
  lat.push(row("all delivered", s.latency.overall));
  for (const p of PATHS) lat.push(row(`  ${PATH_INFO[p].title}`, s.latency[p]));
  return lat.toString();
}

/** Each queue's peak depth and when it was first reached (none without queues). */
function queuesTable({ model, s, table }: Parts): string | undefined {
  if (s.peak_queue.length === 0) return undefined;
  const q = table(["Queue", "peak depth", "first reached at"], { colAligns: ["left", "right", "left"] });
  // Of many queues (thousands of backups), the busiest; results.json has them all.
  const busiest = s.peak_queue.length <= MAX_ROWS ? s.peak_queue : [...s.peak_queue].sort((a, b) => b.peak - a.peak).slice(0, MAX_ROWS);
  for (const p of busiest) {
    q.push([`${p.node} (${p.kind === "sender" ? "sender's own queue" : "backup MX"})`, p.peak, p.peak > 0 ? `${isoAt(model.startEpochMs, p.at_s)} (T+${human(p.at_s)})` : "-"]);
  }
  if (busiest.length < s.peak_queue.length) q.push([`… and ${s.peak_queue.length - busiest.length} more queues (see results.json)`, "", ""]);
  return q.toString();
}

/** How long each queue took to empty after each outage (none without outages). */
function drainTable(parts: Parts): string | undefined {
  const { model, s, table } = parts;
  if (s.drain.length > 8) return drainByQueue(parts);
  if (s.drain.length === 0) return undefined;
  // At most 8 rows here (more are folded by drainByQueue).
  const d = table(["Queue", "after the outage of", "outage", "empty again after"]);
  for (const r of s.drain) {
    d.push([
      r.queue,
      r.outage_of,
      `${isoAt(model.startEpochMs, r.outage_start_s)} for ${human(r.outage_end_s - r.outage_start_s)}`,
      r.drain_s === null ? "not within the run" : human(r.drain_s),
    ]);
  }
  return d.toString();
}

/** Many outages (a flapping server): one line per queue instead of one per window. */
function drainByQueue({ s, table }: Parts): string {
  const d = table(["Queue", "outages", "empty again after: median", "longest", "not within the run"]);
  const byQueue = new Map<string, (number | null)[]>();
  for (const r of s.drain) {
    let list = byQueue.get(r.queue);
    if (!list) byQueue.set(r.queue, (list = []));
    list.push(r.drain_s);
  }
  let shown = 0;
  for (const [queue, rows] of byQueue) {
    if (++shown > MAX_ROWS) {
      d.push([`… and ${byQueue.size - MAX_ROWS} more queues (see results.json)`, "", "", "", ""]);
      break;
    }
    const times = rows.filter((t): t is number => t !== null).sort((a, b) => a - b);
    const median = times.length ? times[Math.floor((times.length - 1) / 2)]! : NaN;
    d.push([queue, rows.length, human(median), times.length ? human(times.at(-1)!) : "-", rows.length - times.length]);
  }
  return d.toString();
}
