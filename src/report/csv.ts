/**
 * Long-format CSV, one row per message, per attempt, per notification and
 * per queue-depth bin. Every row carries the scenario name, seed and run, so
 * files of several runs can be concatenated. Times are given twice: seconds
 * since the start (`*_s`) and ISO 8601 UTC. Large files are produced in
 * chunks (the CLI streams them to disk).
 */
import type { AttemptReport, NoticeReport } from "../core/attempt-log.js";
import type { Model } from "../core/model.js";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS } from "../core/outcomes.js";
import { OUTCOME_NAMES, PATH_NAMES } from "../core/records.js";
import type { NodeInfo, RunResult } from "../core/simulate.js";
import { isoAt } from "./format.js";

const num = (x: number): number | string => (Number.isFinite(x) ? x : "");


/**
 * One RFC 4180 field: quoted (with doubled quotes) only when it holds a comma,
 * a quote or a line break. Written here rather than with csv-stringify, which
 * formats about 130,000 rows a second on this machine against 400,000 for this:
 * the difference between seconds and half a minute for a million-message run.
 */
function field(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const s = v === undefined || v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text, each line ending in \n. */
export function csv(rows: readonly (readonly unknown[])[]): string {
  let out = "";
  for (const row of rows) out += `${row.map(field).join(",")}\n`;
  return out;
}

export const MESSAGE_HEADER = [
  "scenario", "seed", "run", "message_id", "sender", "domain", "created_s", "created_at",
  "outcome", "path", "done_s", "done_at", "latency_s", "attempts",
  "delivered_to", "bounced_by", "bounce_reason", "queued_at",
];

/*
 * The rows of the large files (messages, attempts, notifications) are built
 * as template strings, without an array per row: at a million rows the
 * garbage of those arrays cost more than the formatting. For the same reason
 * they read the columns, with the code → name tables of core/records.ts, and
 * not its per-message records. None of their fields needs quoting: scenario,
 * host and sender names are restricted by the schema to letters, digits, ".",
 * "-" and "_", and the other fields are numbers, times and fixed words.
 */

/** messages.csv in chunks of `chunk` rows (the header comes with the first). */
export function* messagesCsv(r: RunResult, chunk = 1000): Generator<string> {
  const { messages: m, model, nodes } = r;
  const start = model.startEpochMs;
  const head = `${model.name},${r.seed},${r.run}`;
  let lines: string[] = [`${MESSAGE_HEADER.join(",")}\n`];
  for (let i = 0; i < m.count; i++) {
    const outcome = OUTCOME_NAMES[m.outcome[i]!]!;
    const node = nodes[m.holder[i]!]!.name;
    const done = m.done[i]!;
    const created = m.created[i]!;
    const sender = model.senders[m.sender[i]!]!;
    const delivered = outcome === "delivered";
    const bounced = outcome === "bounced";
    lines.push(
      `${head},${i},${sender.name},${model.domains[sender.domain]!.name},${created},${isoAt(start, created)},` +
      `${outcome},${PATH_NAMES[m.path[i]!] ?? ""},${num(done)},${isoAt(start, done)},${delivered ? done - created : ""},${m.attempts[i]},` +
      `${delivered ? node : ""},${bounced ? node : ""},${bounced ? BOUNCE_REASONS[m.reason[i]!] : ""},${outcome === "queued" ? node : ""}\n`,
    );
    if (lines.length >= chunk) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}

export const ATTEMPT_HEADER = [
  "scenario", "seed", "run", "message_id", "attempt", "by", "start_s", "start_at", "end_s", "result", "host", "connections", "next_s", "next_at",
  "connection_id",
];

/** Names and times the attempt rows need, from the run's model. */
export interface RowContext {
  model: Model;
  nodes: NodeInfo[];
  seed: number;
  run: number;
}

/**
 * One line of attempts.csv. `connections` holds (host, result code, connection number)
 * triples, `count` numbers of it. Each connection in the `connections` cell names its number
 * ("fcmx1.blyx.com refused #0; fcmx2.blyx.com accepted #1"; a skipped host has none), for a
 * reader to follow; `connection_id` is the number of the attempt's last connection (skipped
 * hosts aside), the one its result came over, for a spreadsheet to group by: the same number
 * on several rows is one connection reused for several messages.
 */
export function attemptLine(
  c: RowContext,
  { message, node, start, end, result, host, next }: Readonly<AttemptReport>,
  attemptNo: number,
  connections: ArrayLike<number>,
  count: number,
): string {
  let conns = "";
  let last = -1;
  for (let k = 0; k < count; k += 3) {
    const conn = connections[k + 2]!;
    if (conn >= 0) last = conn;
    conns += `${k > 0 ? "; " : ""}${c.nodes[connections[k]!]!.name} ${CONNECTION_RESULTS[connections[k + 1]!]}${conn >= 0 ? ` #${conn}` : ""}`;
  }
  const t0 = c.model.startEpochMs;
  return (
    `${c.model.name},${c.seed},${c.run},${message},${attemptNo},${c.nodes[node]!.name},${start},${isoAt(t0, start)},${end},` +
    `${ATTEMPT_RESULTS[result]},${host >= 0 ? c.nodes[host]!.name : ""},${conns},${num(next)},${isoAt(t0, next)},${last >= 0 ? last : ""}\n`
  );
}

export const NOTIFICATION_HEADER = ["scenario", "seed", "run", "message_id", "kind", "by", "at_s", "at", "to", "reason", "backscatter"];

/**
 * One line of notifications.csv: a delay warning or a bounce, who sent it,
 * when and why. A notification from a server to a forged envelope sender is
 * backscatter.
 */
export function notificationLine(c: RowContext, { message, sender: senderIndex, node, at, kind, reason }: Readonly<NoticeReport>): string {
  const sender = c.model.senders[senderIndex]!;
  return (
    `${c.model.name},${c.seed},${c.run},${message},${NOTIFICATION_KINDS[kind]},${c.nodes[node]!.name},${at},${isoAt(c.model.startEpochMs, at)},` +
    `${sender.name},${reason >= 0 ? BOUNCE_REASONS[reason] : ""},${node < c.model.servers.length && sender.forged}\n`
  );
}

export function queueCsv(r: RunResult): string {
  return [...queueCsvChunks(r)].join("");
}

/** queue.csv in chunks (one per queue series), so a scenario with thousands of backups never builds it as one string. */
export function* queueCsvChunks(r: RunResult): Generator<string> {
  const q = r.queues;
  yield csv([["scenario", "seed", "run", "queue", "kind", "bin_start_s", "bin_start_at", "bin_s", "depth_max", "depth_end"]]);
  for (let k = 0; k < q.series.length; k++) {
    const s = q.series[k]!;
    const rows: unknown[][] = [];
    for (let b = 0; b < q.bins; b++) {
      const t = b * q.binWidth;
      rows.push([r.model.name, r.seed, r.run, s.name, s.kind, t, isoAt(r.model.startEpochMs, t), q.binWidth, q.binMax[k]![b], q.binEnd[k]![b]]);
    }
    yield csv(rows);
  }
}
