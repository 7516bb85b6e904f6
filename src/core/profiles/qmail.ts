/**
 * qmail 1.03 (also netqmail and notqmail): the remote channel of qmail-send
 * and the MX walk of qmail-remote, described in docs/model.md#qmail.
 */
import type { FailureMode } from "../failure-modes.js";
import { bool, dur, type FailoverTable, long, NoMemory, type MtaRules, noLimit, noTimer } from "../mta-rules.js";
import { FAIL, MOVE_ON, STAY } from "./common.js";

export interface QmailProfile {
  mta: "qmail";
  /** control/queuelifetime, seconds. Default 604800 (one week), qmail-send.c line 45. */
  queuelifetime: number;
  /** control/timeoutconnect, seconds. Default 60, qmail-remote.c line 106. */
  timeoutconnect: number;
  /** control/timeoutremote, seconds: the wait for each answer of the server, the greeting too. Default 1200, qmail-remote.c line 108. */
  timeoutremote: number;
  /** chanskip of the remote channel: 20, qmail-send.c line 68. Compiled in, not configurable. */
  chanskip: number;
  /** qmail-tcpto: skip a host that timed out twice for about an hour (tcpto.c). */
  tcpto: boolean;
}

export const QMAIL_DEFAULTS: QmailProfile = {
  mta: "qmail",
  queuelifetime: 604800,
  timeoutconnect: 60,
  timeoutremote: 1200,
  chanskip: 20,
  tcpto: true,
};

/**
 * nextretry() in qmail-send.c lines 1044–1054:
 * birth + (floor(sqrt(start − birth)) + chanskip)², computed when the attempt
 * *starts*, so time spent waiting on connect timeouts does not move it.
 */
export function qmailNextRetry(p: QmailProfile, birth: number, start: number): number {
  const n = start > birth ? Math.floor(Math.sqrt(start - birth)) + p.chanskip : p.chanskip;
  return birth + n * n;
}

/**
 * flagdying in qmail-send.c line 1082: set when an attempt starts more
 * than queuelifetime after birth (strict >). The attempt is still made; only a
 * deferral turns into a bounce.
 */
export function qmailIsDying(p: QmailProfile, birth: number, start: number): boolean {
  return start > birth + p.queuelifetime;
}

/**
 * qmail-remote moves to the next MX only when the TCP connection fails (timeoutconnect,
 * qmail-remote.c): after an SMTP greeting it is committed to that host.
 */
const QMAIL_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // Connected: the greeting is read with timeoutremote; when it runs out qmail-remote reports
  // "Connected to <ip> but connection died" (a deferral) and tries no other MX (qmail-remote.c saferead(), dropped()).
  silent: STAY,
  "greeting-4xx": STAY,
  "greeting-5xx": STAY,
  "rcpt-4xx": STAY,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<QmailProfile>;

/**
 * tcpto.c: once a host has timed out twice (the second at least
 * 120 s after the first), it is skipped while now − last < (60 + (pid & 31)) << 6,
 * that is 3840–5824 s. `pidBits` is the (pid & 31) of the sending qmail-remote.
 */
export function tcptoSkipSeconds(pidBits: number): number {
  return (60 + (pidBits & 31)) << 6;
}

/**
 * qmail-tcpto's table for one node (tcpto.c): per host, the timeouts
 * counted and the time of the last. Its rows are made at the node's first
 * timeout, so a node that never times out holds none.
 */
export class QmailTcpto extends NoMemory {
  private count: Uint8Array | undefined;
  private last: Float64Array | undefined;
  /** How long this node skips a host that timed out twice: set by its qmail-remote's (pid & 31). */
  readonly skipSeconds: number;

  constructor(
    private readonly p: QmailProfile,
    private readonly servers: number,
    pidBits: number,
  ) {
    super();
    this.skipSeconds = tcptoSkipSeconds(pidBits);
  }

  /** tcpto.c: skip a host that timed out twice, for skipSeconds after the last timeout. */
  skipsHost(host: number, now: number): boolean {
    const count = this.count;
    return count !== undefined && count[host]! >= 2 && now - this.last![host]! < this.skipSeconds;
  }

  /** A connect timeout counts; a second one only if it comes 120 s or more after the previous (tcpto.c line 102). */
  timedOut(host: number, now: number): void {
    const count = (this.count ??= new Uint8Array(this.servers));
    const last = (this.last ??= new Float64Array(this.servers));
    if (count[host]! > 0 && now - last[host]! < 120) return;
    if (count[host]! < 255) count[host]!++;
    last[host] = now;
  }

  /** A refused or a successful connection resets the count (tcpto.c). */
  reset(host: number): void {
    if (this.count !== undefined) this.count[host] = 0;
  }

  /** qmail-remote consults tcpto whatever started the delivery (a flush too), unless tcpto is off. */
  skips(host: number, now: number): boolean {
    return this.p.tcpto && this.skipsHost(host, now);
  }

  /**
   * qmail-remote records every connection's outcome (tcpto_err(ip, errno == error_timeout)): a connect
   * timeout counts, and anything else (refused, or connected whatever the server then said) clears the count.
   */
  failed(host: number, mode: FailureMode, now: number): void {
    if (mode === "timeout") this.timedOut(host, now);
    else this.reset(host);
  }

  accepted(host: number): void {
    this.reset(host);
  }

}

/** qmail's answers to the delivery's questions (mta-rules.ts). */
export const QMAIL: MtaRules<QmailProfile> = {
  defaults: QMAIL_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "queuelifetime", kind: long("d", 0), description: "control/queuelifetime: how long a message may stay queued (default 7d)", example: "7d" },
    { key: "timeoutconnect", kind: dur(), description: "control/timeoutconnect: wait for a TCP connection (default 60s)", example: "60s" },
    { key: "timeoutremote", kind: dur(), description: "control/timeoutremote: wait for each answer of the server, its greeting too (default 1200s)", example: "1200s" },
    { key: "tcpto", kind: bool, description: "skip a host that timed out twice for about an hour (qmail-tcpto; default true)", example: true },
  ],
  info: {
    flush: "qmailctl flush, which sends qmail-send an ALRM",
    route: (domain, host) => `control/smtproutes: ${domain}:${host}`,
    name: "qmail",
    title: "qmail 1.03 / netqmail / notqmail",
    description:
      "Retries at birth + (floor(sqrt(age)) + 20)^2 (0, 400, 1600, 3600 s, ...); after queuelifetime (7 days) one last " +
      "attempt, then a bounce. Tries the next MX only when the TCP connection fails: a 421 greeting defers. tcpto skips a " +
      "host that timed out twice for about an hour. No delay warnings.",
    source: "qmail-send.c nextretry() and flagdying, qmail-remote.c, tcpto.c; Life with qmail",
    skipsHostsBy: "qmail's tcpto",
  },
  connectTimeout: (p) => p.timeoutconnect,
  greetingTimeout: (p) => p.timeoutremote,
  addressLimit: noLimit,
  failover: QMAIL_FAILOVER,
  giveUpAfter: (p) => p.queuelifetime,
  givesUp: (p, _walk, birth, start) => (qmailIsDying(p, birth, start) ? "lifetime" : undefined),
  expiresAt: noTimer,
  nextAttempt: (p, birth, start) => qmailNextRetry(p, birth, start),
  delayWarningAt: () => NaN, // qmail never sends deferral notices (Life with qmail)
  // The pid bits of the node's qmail-remote, drawn once from its `tcpto-pid:<node>` stream.
  memory: (p, node) => new QmailTcpto(p, node.servers, Math.floor(node.stream("tcpto-pid")() * 32)),
  memoryBytes: (node) => 9 * node.servers,
};
