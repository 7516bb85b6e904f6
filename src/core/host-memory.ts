/**
 * What a sending MTA remembers about hosts between attempts, shared by all
 * the messages it sends: qmail's tcpto table, Exim's retry hints and
 * Postfix's dead destinations. Kept per (node, server) or (node, domain), in
 * rows made for a node only once it needs them (a node that never times out
 * has no tcpto row), so memory grows with what the run uses, not with
 * nodes × servers (a scenario may have thousands of both).
 */
import { emptyHint, type HostHint } from "./profiles/exim.js";
import { tcptoSkipSeconds } from "./profiles/qmail.js";
import type { Stream } from "./rng.js";

export class HostMemory {
  /** qmail tcpto, per node a row over the servers: timeouts counted and time of the last; how long each node skips a host (its pid bits). */
  private readonly tcptoCount: (Uint8Array | undefined)[];
  private readonly tcptoLast: (Float64Array | undefined)[];
  private readonly tcptoSkip: Float64Array;
  /** Exim retry hints by node · servers + server, made on first use. */
  private readonly hints = new Map<number, HostHint>();
  /** Postfix, per node a row over the domains: a destination is dead until this time. */
  private readonly deadUntil: (Float64Array | undefined)[];

  constructor(
    nodes: number,
    private readonly servers: number,
    private readonly domains: number,
    /** Draws (pid & 31) for each node's qmail-remote, which sets how long tcpto skips a host. */
    pidStream: (node: number) => Stream,
  ) {
    this.tcptoCount = new Array<Uint8Array | undefined>(nodes).fill(undefined);
    this.tcptoLast = new Array<Float64Array | undefined>(nodes).fill(undefined);
    this.tcptoSkip = Float64Array.from({ length: nodes }, (_, n) => tcptoSkipSeconds(Math.floor(pidStream(n)() * 32)));
    this.deadUntil = new Array<Float64Array | undefined>(nodes).fill(undefined);
  }

  /** tcpto.c (§1.4, Q8): skip a host that timed out twice, for 3840–5824 s after the last timeout. */
  tcptoSkips(node: number, host: number, now: number): boolean {
    const count = this.tcptoCount[node];
    return count !== undefined && count[host]! >= 2 && now - this.tcptoLast[node]![host]! < this.tcptoSkip[node]!;
  }

  /** A connect timeout counts; a second one only if it comes 120 s or more after the previous (tcpto.c line 102). */
  tcptoTimeout(node: number, host: number, now: number): void {
    let count = this.tcptoCount[node];
    if (count === undefined) {
      count = this.tcptoCount[node] = new Uint8Array(this.servers);
      this.tcptoLast[node] = new Float64Array(this.servers);
    }
    const last = this.tcptoLast[node]!;
    if (count[host]! > 0 && now - last[host]! < 120) return;
    if (count[host]! < 255) count[host]!++;
    last[host] = now;
  }

  /** A refused or a successful connection resets the count (tcpto.c). */
  tcptoReset(node: number, host: number): void {
    const count = this.tcptoCount[node];
    if (count !== undefined) count[host] = 0;
  }

  /** The retry hint of (node, host), made empty on first use. */
  hint(node: number, host: number): HostHint {
    const k = node * this.servers + host;
    let h = this.hints.get(k);
    if (h === undefined) this.hints.set(k, (h = emptyHint()));
    return h;
  }

  /** A successful delivery deletes the host's retry record. */
  clearHint(node: number, host: number): void {
    const h = this.hints.get(node * this.servers + host);
    if (h === undefined) return;
    h.firstFailed = NaN;
    h.lastTry = NaN;
    h.nextTry = NaN;
    h.expired = false;
  }

  isDead(node: number, domain: number, now: number): boolean {
    const row = this.deadUntil[node];
    return row !== undefined && now < row[domain]!;
  }

  markDead(node: number, domain: number, until: number): void {
    (this.deadUntil[node] ??= new Float64Array(this.domains))[domain] = until;
  }

  /** postqueue -f also flushes the dead destinations ("A F D" trigger, §2.2). */
  reviveAll(node: number): void {
    this.deadUntil[node]?.fill(0);
  }
}
