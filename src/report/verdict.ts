/**
 * One sentence per variant of a comparison, against a baseline, every number
 * from the runs: what the setup saves or loses, what it makes faster or
 * slower, what it costs in backscatter. With the same messages in both runs
 * (same senders, same creation times) the comparison is message by message;
 * otherwise only totals can be compared, and the sentence says so.
 */
import { DELIVERED } from "../core/outcomes.js";
import { giveUpAfter } from "../core/profile.js";
import type { RunResult } from "../core/simulate.js";
import { human } from "./format.js";
import { delivered, type MailOutcomes } from "./mail-outcomes.js";
import type { Summary } from "./summary.js";

export interface VerdictInput {
  name: string;
  result: RunResult;
  summary: Summary;
  outcomes: MailOutcomes;
}

/** Earlier or later by more than this counts as faster or slower: seconds of difference are noise to a reader. */
export const FASTER_BY = 60;

/** True when both runs created the same messages: the same senders, and each message from the same sender at the same time. */
export function sameMessages(a: RunResult, b: RunResult): boolean {
  const sa = a.model.senders;
  const sb = b.model.senders;
  if (sa.length !== sb.length || sa.some((s, i) => s.name !== sb[i]!.name || s.forged !== sb[i]!.forged)) return false;
  const ma = a.messages;
  const mb = b.messages;
  if (ma.count !== mb.count) return false;
  for (let i = 0; i < ma.count; i++) if (ma.sender[i] !== mb.sender[i] || ma.created[i] !== mb.created[i]) return false;
  return true;
}

/** What changed message by message, legitimate mail only. */
export interface Changes {
  created: number;
  saved: number;
  lost: number;
  /** Saved messages by sender profile, with the longest time a sender of that profile keeps a message. */
  savedBy: Map<string, { n: number; giveUp: number }>;
  /** How much earlier (faster) or later (slower) each message arrived, seconds. */
  faster: number[];
  slower: number[];
}

export function changes(base: RunResult, v: RunResult): Changes {
  const c: Changes = { created: 0, saved: 0, lost: 0, savedBy: new Map(), faster: [], slower: [] };
  const mb = base.messages;
  const mv = v.messages;
  for (let i = 0; i < mv.count; i++) {
    const sender = v.model.senders[mv.sender[i]!]!;
    if (sender.forged) continue;
    c.created++;
    const inBase = mb.outcome[i] === DELIVERED;
    const inV = mv.outcome[i] === DELIVERED;
    if (inV && !inBase) {
      c.saved++;
      const by = c.savedBy.get(sender.profile.mta) ?? { n: 0, giveUp: 0 };
      c.savedBy.set(sender.profile.mta, { n: by.n + 1, giveUp: Math.max(by.giveUp, giveUpAfter(base.model.senders[mb.sender[i]!]!.profile)) });
    } else if (inBase && !inV) c.lost++;
    else if (inBase && inV) {
      const d = mb.done[i]! - mv.done[i]!;
      if (d > FASTER_BY) c.faster.push(d);
      else if (d < -FASTER_BY) c.slower.push(-d);
    }
  }
  return c;
}

const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : "0.0"}%`;
const messages = (n: number) => `${n} message${n === 1 ? "" : "s"}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** "saves 180 messages (2.5%), all from exchange senders, which give up after 2d". */
function savedPart(c: Changes): string {
  if (c.saved === 0) return "saves no message";
  const by = [...c.savedBy].sort(([a, x], [b, y]) => y.n - x.n || (a < b ? -1 : 1));
  const head = `saves ${messages(c.saved)} (${pct(c.saved, c.created)}) that the baseline bounces or leaves queued`;
  if (by.length === 1) return `${head}, all from ${by[0]![0]} senders, which give up after ${human(by[0]![1].giveUp)}`;
  const within = Math.max(...by.map(([, x]) => x.giveUp));
  return `${head}, all from senders that give up within ${human(within)}: ${by.map(([mta, x]) => `${x.n} ${mta} (${human(x.giveUp)})`).join(", ")}`;
}

function speedPart(c: Changes): string {
  const faster = c.faster.length ? `makes ${messages(c.faster.length)} faster (by ${human(median(c.faster))} at the median)` : "makes no message faster";
  const slower = c.slower.length ? `${messages(c.slower.length)} slower (by ${human(median(c.slower))} at the median)` : "none slower";
  return `${faster} and ${slower}`;
}

/** Backscatter and spam through the backup, when either run has any. */
function spamPart(base: VerdictInput, v: VerdictInput): string[] {
  const parts: string[] = [];
  const bs = v.summary.notifications.backscatter;
  const bb = base.summary.notifications.backscatter;
  if (bs > 0 || bb > 0) parts.push(`it sends ${bs === 0 ? "no" : bs} backscatter DSN${bs === 1 ? "" : "s"} (baseline: ${bb})`);
  const through = v.outcomes.spam?.delivered_via_secondary ?? 0;
  const baseThrough = base.outcomes.spam?.delivered_via_secondary ?? 0;
  if (through > 0 || baseThrough > 0) parts.push(`it lets ${through} spam message${through === 1 ? "" : "s"} through a backup MX (baseline: ${baseThrough})`);
  return parts;
}

/** The verdict on `v` against `base`: one sentence. */
export function verdict(base: VerdictInput, v: VerdictInput): string {
  if (!sameMessages(base.result, v.result)) return countVerdict(base, v);
  const c = changes(base.result, v.result);
  const lost = c.lost > 0 ? `loses ${messages(c.lost)} (${pct(c.lost, c.created)}) that the baseline delivers` : "loses none";
  return `${v.name} ${savedPart(c)}; it ${lost}; it ${speedPart(c)}${spamPart(base, v).map((p) => `; ${p}`).join("")}.`;
}

/** Different messages (other senders, other arrival times): totals only. */
function countVerdict(base: VerdictInput, v: VerdictInput): string {
  const a = base.outcomes.legitimate;
  const b = v.outcomes.legitimate;
  const da = delivered(a);
  const db = delivered(b);
  return (
    `${v.name} sends other messages than ${base.name} (other senders or arrival times), so only totals compare: ` +
    `it delivers ${db} of ${b.created} legitimate messages, ${pct(db, b.created)} (baseline ${da} of ${a.created}, ${pct(da, a.created)}), bounces ${b.bounced} (baseline ${a.bounced}) and leaves ${b.still_queued} queued (baseline ${a.still_queued})` +
    `${spamPart(base, v).map((p) => `; ${p}`).join("")}.`
  );
}
