/**
 * What a sending MTA remembers about hosts between attempts, shared by all
 * the messages it sends: qmail's tcpto table, Exim's retry hints and
 * Postfix's dead destinations. Kept per (node, server) or (node, domain) in
 * flat arrays: a scenario has few nodes and servers.
 */
import { emptyHint, type HostHint } from "./profiles/exim.js";
import { tcptoSkipSeconds } from "./profiles/qmail.js";
import type { Stream } from "./rng.js";

export class HostMemory {
  /** qmail tcpto: timeouts counted, time of the last, and how long each node skips a host (its pid bits). */
  private readonly tcptoCount: Uint8Array;
  private readonly tcptoLast: Float64Array;
  private readonly tcptoSkip: Float64Array;
  /** Exim retry hints, one per (node, server). */
  readonly hints: HostHint[];
  /** Postfix: a destination (node, domain) is dead until this time. */
  private readonly deadUntil: Float64Array;

  constructor(
    nodes: number,
    private readonly servers: number,
    private readonly domains: number,
    /** Draws (pid & 31) for each node's qmail-remote, which sets how long tcpto skips a host. */
    pidStream: (node: number) => Stream,
  ) {
    this.tcptoCount = new Uint8Array(nodes * servers);
    this.tcptoLast = new Float64Array(nodes * servers);
    this.tcptoSkip = Float64Array.from({ length: nodes }, (_, n) => tcptoSkipSeconds(Math.floor(pidStream(n)() * 32)));
    this.hints = Array.from({ length: nodes * servers }, emptyHint);
    this.deadUntil = new Float64Array(nodes * domains);
  }

  /** tcpto.c (§1.4, Q8): skip a host that timed out twice, for 3840–5824 s after the last timeout. */
  tcptoSkips(node: number, host: number, now: number): boolean {
    const k = node * this.servers + host;
    return this.tcptoCount[k]! >= 2 && now - this.tcptoLast[k]! < this.tcptoSkip[node]!;
  }

  /** A connect timeout counts; a second one only if it comes 120 s or more after the previous (tcpto.c line 102). */
  tcptoTimeout(node: number, host: number, now: number): void {
    const k = node * this.servers + host;
    if (this.tcptoCount[k]! > 0 && now - this.tcptoLast[k]! < 120) return;
    if (this.tcptoCount[k]! < 255) this.tcptoCount[k]!++;
    this.tcptoLast[k] = now;
  }

  /** A refused or a successful connection resets the count (tcpto.c). */
  tcptoReset(node: number, host: number): void {
    this.tcptoCount[node * this.servers + host] = 0;
  }

  hint(node: number, host: number): HostHint {
    return this.hints[node * this.servers + host]!;
  }

  /** A successful delivery deletes the host's retry record. */
  clearHint(node: number, host: number): void {
    const h = this.hint(node, host);
    h.firstFailed = NaN;
    h.lastTry = NaN;
    h.nextTry = NaN;
    h.expired = false;
  }

  isDead(node: number, domain: number, now: number): boolean {
    return now < this.deadUntil[node * this.domains + domain]!;
  }

  markDead(node: number, domain: number, until: number): void {
    this.deadUntil[node * this.domains + domain] = until;
  }

  /** postqueue -f also flushes the dead destinations ("A F D" trigger, §2.2). */
  reviveAll(node: number): void {
    this.deadUntil.fill(0, node * this.domains, (node + 1) * this.domains);
  }
}
