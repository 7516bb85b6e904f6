/**
 * MTA profiles: the queue and retry behaviour of the software a sender or a
 * server imitates. Each profile is plain data (its numbers are overridable in
 * a scenario); each MTA answers the delivery's questions with one object in
 * its own file (profiles/<name>.ts, shaped by mta-rules.ts), and the registry
 * below is the one list of MTAs: their names, the Profile type and every
 * table keyed by MTA derive from it. A message carries no per-message closure.
 */
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "./failure-modes.js";
import type { HostMemory, MtaRules, NodeContext, OptionProblem, OptionSpec, ProfileInfo, Walk } from "./mta-rules.js";
import type { BounceReason } from "./outcomes.js";
import { NEXT, type FailoverCell } from "./profiles/common.js";
import { EXCHANGE } from "./profiles/exchange.js";
import { EXIM } from "./profiles/exim.js";
import { OPENSMTPD } from "./profiles/opensmtpd.js";
import { POSTFIX } from "./profiles/postfix.js";
import { QMAIL } from "./profiles/qmail.js";
import { SENDMAIL } from "./profiles/sendmail.js";
import { AMAZON_SES, AOL, CUSTOM, GMAIL, GMX, HOTMAIL, INDIACOM, MAILCOM, MAILGUN, MAILRU, MICROSOFT365, QQ, SENDGRID, YAHOO, YANDEX } from "./profiles/providers.js";

export type { HostMemory, LongUnit, NodeContext, OptionKind, OptionProblem, OptionSpec, ProfileInfo, Source, SourceKind, Walk } from "./mta-rules.js";

/** The registry: one line per MTA, in the order `mxsim profiles` lists them. */
const MTAS = {
  qmail: QMAIL,
  postfix: POSTFIX,
  exim: EXIM,
  sendmail: SENDMAIL,
  opensmtpd: OPENSMTPD,
  exchange: EXCHANGE,
  // The outbound queues of mail providers and bulk senders (profiles/providers.ts): senders only.
  gmail: GMAIL,
  microsoft365: MICROSOFT365,
  "amazon-ses": AMAZON_SES,
  sendgrid: SENDGRID,
  mailgun: MAILGUN,
  yahoo: YAHOO,
  hotmail: HOTMAIL,
  gmx: GMX,
  "mail.com": MAILCOM,
  yandex: YANDEX,
  "mail.ru": MAILRU,
  "india.com": INDIACOM,
  aol: AOL,
  qq: QQ,
  custom: CUSTOM,
};

export type MtaName = keyof typeof MTAS;
export type Profile = (typeof MTAS)[MtaName]["defaults"];
export const MTA_NAMES = Object.keys(MTAS) as readonly MtaName[];

// Each entry's `mta` field is its registry key (a mismatch does not compile).
MTAS satisfies { [K in MtaName]: { defaults: { mta: K } } };

export const PROFILE_DEFAULTS = Object.fromEntries(MTA_NAMES.map((n) => [n, MTAS[n].defaults])) as {
  [K in MtaName]: Extract<Profile, { mta: K }>;
};

/** Each MTA's settings a scenario may override (the scenario schema, compiler and warnings are built from them). */
export const MTA_SETTINGS = Object.fromEntries(MTA_NAMES.map((n) => [n, MTAS[n].settings])) as Record<MtaName, readonly OptionSpec[]>;

/** The problems of a merged profile, by its MTA's own rules between its settings (none for most). */
export function profileProblems(p: Profile): OptionProblem[] {
  return rules(p).check?.(p) ?? [];
}

export const PROFILE_INFO = Object.fromEntries(MTA_NAMES.map((n) => [n, MTAS[n].info])) as Record<MtaName, ProfileInfo>;

/** The rules of a profile's MTA. */
const rules = (p: Profile) => MTAS[p.mta] as MtaRules<Profile>;

/** Seconds the MTA waits for a TCP connection before giving up on that host. */
export function connectTimeout(p: Profile): number {
  return rules(p).connectTimeout(p);
}

/** Seconds the MTA waits for the server's greeting once connected, before giving up on that host. */
export function greetingTimeout(p: Profile): number {
  return rules(p).greetingTimeout(p);
}

/** Seconds a connection that fails with `mode` costs the MTA before it knows (0: it knows at once). */
export function waitFor(p: Profile, mode: FailureMode): number {
  const waits = FAILURE_INFO[mode].waits;
  return waits === "connect" ? connectTimeout(p) : waits === "greeting" ? greetingTimeout(p) : 0;
}

/** What the MTA does after a failure of kind `mode` at one host (NEXT, DEFER or BOUNCE from profiles/common.ts). */
export function onFailure(p: Profile, mode: FailureMode, last: boolean): number {
  const cell = failoverCell(p, mode);
  return last ? cell.last : cell.notLast;
}

/** The profile's failover rule for one failure mode (its settings applied). */
export function failoverCell(p: Profile, mode: FailureMode): FailoverCell {
  const cell = rules(p).failover[mode];
  return typeof cell === "function" ? cell(p) : cell;
}

/**
 * True when the MTA tries the next MX exactly when the TCP connection fails and
 * after no other failure (qmail: once a host has greeted, the attempt stays
 * with it), read from its failover table.
 */
export function failsOverOnConnectOnly(p: Profile): boolean {
  return FAILURE_MODES.every((m) => (failoverCell(p, m).notLast === NEXT) === FAILURE_INFO[m].tcpFails);
}

/** How many hosts one attempt may try, for a message queued `age` seconds (0: a new one). */
export function addressLimit(p: Profile, age = 0): number {
  return rules(p).addressLimit(p, age);
}

/**
 * Why the attempt that started at `start` and ended at `done` without a
 * delivery returns the message to its sender instead of deferring it (a
 * queue lifetime checked at an attempt, or Exim's retry data past its
 * cutoff); undefined: it is deferred. OpenSMTPD and Exchange expire by timer
 * (`expiresAt`) instead.
 */
export function givesUp(p: Profile, walk: Walk, birth: number, start: number, done: number): BounceReason | undefined {
  return rules(p).givesUp(p, walk, birth, start, done);
}

/** About how long after it entered the queue the MTA returns a message it cannot deliver, seconds (Exim: its last retry cutoff). */
export function giveUpAfter(p: Profile): number {
  return rules(p).giveUpAfter(p);
}

/** When a queued message expires without a further attempt (Infinity: only at an attempt). */
export function expiresAt(p: Profile, birth: number): number {
  return rules(p).expiresAt(p, birth);
}

/**
 * When the next attempt of a deferred message is due. `tries` counts the
 * attempts this queue has made (1 after the first). NaN for Exim without a
 * queue runner: the caller takes the earliest host hint.
 */
export function nextAttempt(p: Profile, birth: number, start: number, done: number, tries: number): number {
  return rules(p).nextAttempt(p, birth, start, done, tries);
}

/**
 * When a delay warning (RFC 3464 Action: delayed) is sent after a deferral
 * that ended at `done`, with the next attempt due at `next`; NaN for none.
 * `warned` is the message's warning count in this queue (the warnings sent, or for Exim the multiples of delay_warning passed).
 */
export function delayWarningAt(p: Profile, walk: Readonly<Walk>, birth: number, done: number, next: number, warned: number): number {
  return rules(p).delayWarningAt(p, walk, birth, done, next, warned);
}

/** The message's warning count in its queue once a warning has been sent at `done`. */
export function warnedAfter(p: Profile, birth: number, done: number, warned: number): number {
  return rules(p).warnedAfter?.(p, birth, done, warned) ?? warned + 1;
}

/** How many SMTP sessions past the greeting one attempt may use (Infinity: no limit). */
export function sessionLimit(p: Profile): number {
  return rules(p).sessionLimit?.(p) ?? Infinity;
}

/** How many messages one SMTP connection of this MTA may carry when others wait for its host (1: a connection per message). */
export function connectionMessages(p: Profile): number {
  return rules(p).connectionMessages?.(p) ?? 1;
}

/** The sending addresses of an MTA running `p` and the /24 networks they are in (one of each but for providers' pools). */
export function clientPool(p: Profile): { ips: number; subnets: number } {
  return rules(p).clientPool?.(p) ?? ONE_ADDRESS;
}
const ONE_ADDRESS = { ips: 1, subnets: 1 };

/** The memory of hosts of one node running profile `p`. */
export function hostMemory(p: Profile, node: NodeContext): HostMemory {
  return rules(p).memory(p, node);
}

/** Bytes the memory of hosts of one node running `p` may take at worst (for the CLI's size estimate). */
export function hostMemoryBytes(p: Profile, node: Pick<NodeContext, "servers" | "domains">): number {
  return rules(p).memoryBytes(node);
}
