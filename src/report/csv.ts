/**
 * Long-format CSV files, one row per message, per attempt and per queue-depth
 * bin. Every row carries the scenario name, seed and run, so files of several
 * runs can be concatenated. Times are given twice: seconds since the start
 * (`*_s`) and ISO 8601 UTC.
 */
import { stringify } from "csv-stringify/sync";
import { ATTEMPT_RESULTS, BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS, OUTCOMES, PATHS } from "../core/outcomes.js";
import { OUTCOME_CODE } from "../core/outcomes.js";
import type { RunResult } from "../core/simulate.js";
import { PATH_CODE } from "./summary.js";
import { isoAt } from "./format.js";

const outcomeName = new Map(OUTCOMES.map((o) => [OUTCOME_CODE[o], o]));
const pathName = new Map(PATHS.map((p) => [PATH_CODE[p], p]));

function csv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows], { eof: true });
}

const num = (x: number): number | string => (Number.isFinite(x) ? x : "");

export function messagesCsv(r: RunResult): string {
  const { messages: m, model, nodes } = r;
  const rows: unknown[][] = [];
  for (let i = 0; i < m.count; i++) {
    const outcome = outcomeName.get(m.outcome[i]!)!;
    const node = nodes[m.holder[i]!]!.name;
    const done = m.done[i]!;
    rows.push([
      model.name,
      r.seed,
      r.run,
      i,
      model.senders[m.sender[i]!]!.name,
      model.domains[model.senders[m.sender[i]!]!.domain]!.name,
      m.created[i],
      isoAt(model.startEpochMs, m.created[i]!),
      outcome,
      pathName.get(m.path[i]!) ?? "",
      num(done),
      isoAt(model.startEpochMs, done),
      outcome === "delivered" ? done - m.created[i]! : "",
      m.attempts[i],
      outcome === "delivered" ? node : "",
      outcome === "bounced" ? node : "",
      outcome === "bounced" ? BOUNCE_REASONS[m.reason[i]!] : "",
      outcome === "queued" ? node : "",
    ]);
  }
  return csv(
    [
      "scenario", "seed", "run", "message_id", "sender", "domain", "created_s", "created_at",
      "outcome", "path", "done_s", "done_at", "latency_s", "attempts",
      "delivered_to", "bounced_by", "bounce_reason", "queued_at",
    ],
    rows,
  );
}

export function attemptsCsv(r: RunResult): string {
  const a = r.attempts;
  if (!a) throw new Error("attemptsCsv needs a run that kept its attempt log");
  const { model, nodes } = r;
  const perMessage = new Int32Array(r.messages.count);
  const rows: unknown[][] = [];
  for (let i = 0; i < a.count; i++) {
    const from = i === 0 ? 0 : a.connEnd[i - 1]!;
    const conns: string[] = [];
    for (let k = from; k < a.connEnd[i]!; k++) {
      conns.push(`${nodes[a.connHost[k]!]!.name} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
    }
    const msg = a.message[i]!;
    rows.push([
      model.name,
      r.seed,
      r.run,
      msg,
      ++perMessage[msg]!,
      nodes[a.node[i]!]!.name,
      a.start[i],
      isoAt(model.startEpochMs, a.start[i]!),
      a.end[i],
      ATTEMPT_RESULTS[a.result[i]!],
      a.host[i]! >= 0 ? nodes[a.host[i]!]!.name : "",
      conns.join("; "),
      num(a.next[i]!),
      isoAt(model.startEpochMs, a.next[i]!),
    ]);
  }
  return csv(
    ["scenario", "seed", "run", "message_id", "attempt", "by", "start_s", "start_at", "end_s", "result", "host", "connections", "next_s", "next_at"],
    rows,
  );
}

export function queueCsv(r: RunResult): string {
  const q = r.queues;
  const rows: unknown[][] = [];
  q.series.forEach((s, k) => {
    for (let b = 0; b < q.bins; b++) {
      const t = b * q.binWidth;
      rows.push([r.model.name, r.seed, r.run, s.name, s.kind, t, isoAt(r.model.startEpochMs, t), q.binWidth, q.binMax[k]![b], q.binEnd[k]![b]]);
    }
  });
  return csv(["scenario", "seed", "run", "queue", "kind", "bin_start_s", "bin_start_at", "bin_s", "depth_max", "depth_end"], rows);
}

/**
 * One row per delivery status notification: delay warnings and bounces, who
 * sent them and when. A notification from a server to a forged envelope
 * sender is backscatter.
 */
export function notificationsCsv(r: RunResult): string {
  const a = r.attempts;
  if (!a) throw new Error("notificationsCsv needs a run that kept its attempt log");
  const { model, nodes, messages: m } = r;
  const rows: unknown[][] = [];
  for (let i = 0; i < a.noteCount; i++) {
    const msg = a.noteMessage[i]!;
    const kind = NOTIFICATION_KINDS[a.noteKind[i]!]!;
    const node = a.noteNode[i]!;
    const sender = model.senders[m.sender[msg]!]!;
    rows.push([
      model.name,
      r.seed,
      r.run,
      msg,
      kind,
      nodes[node]!.name,
      a.noteAt[i],
      isoAt(model.startEpochMs, a.noteAt[i]!),
      sender.name,
      kind === "failed" ? BOUNCE_REASONS[m.reason[msg]!] : "",
      node < model.servers.length && sender.forged,
    ]);
  }
  return csv(["scenario", "seed", "run", "message_id", "kind", "by", "at_s", "at", "to", "reason", "backscatter"], rows);
}
