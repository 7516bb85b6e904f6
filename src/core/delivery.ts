/**
 * One delivery attempt: an MTA (a sender, or a relay holding the message)
 * walks the candidate hosts, meets what each server does at that moment, and
 * ends with a delivery, a hand-off to a relay, a deferral or a bounce. The
 * MTA's profile decides when it moves on to the next MX, when it retries and
 * when it gives up (see profile.ts and profiles/).
 */
import type { AttemptReport, AttemptSink, NoticeReport } from "./attempt-log.js";
import { modeAt, UP } from "./availability.js";
import type { EventQueue } from "./event-queue.js";
import { BOUNCED, DELIVERED, type MessageTable, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY } from "./message-table.js";
import { FAILURE_CODE, FAILURE_INFO, FAILURE_MODES, type FailureMode } from "./failure-modes.js";
import type { Model, Outage } from "./model.js";
import type { HostMemory, Walk } from "./mta-rules.js";
import { orderHosts, type HostPlan } from "./mx-lookup.js";
import { ATTEMPT_CODE, BOUNCE_CODE, CONNECTION_CODE, NOTIFICATION_CODE, type BounceReason, type ConnectionResult } from "./outcomes.js";
import { addressLimit, delayWarningAt, expiresAt, givesUp, nextAttempt, onFailure, waitFor, warnedAfter, type Profile } from "./profile.js";
import { BOUNCE, DEFER } from "./profiles/common.js";
import type { QueueTracker } from "./queue-tracker.js";
import type { Stream } from "./rng.js";
import type { SessionSlots } from "./session-slots.js";
import { ACCEPT, RETRY } from "./events.js";
import { MAILBOX, RELAY, type World } from "./world.js";

/** qmail-smtpd rejects a message with 100 or more Received lines (MAXHOPS) as a loop. */
export const MAX_HOPS = 100;

const MODE_RESULT = FAILURE_MODES.map((m) => CONNECTION_CODE[m]);
/** By failure-mode index: the TCP connection itself fails (a balancer's health check fails too). */
const TCP_FAILS = FAILURE_MODES.map((m) => FAILURE_INFO[m].tcpFails);
const { delivered: A_DELIVERED, relayed: A_RELAYED, deferred: A_DEFERRED, bounced: A_BOUNCED, unfinished: A_UNFINISHED } = ATTEMPT_CODE;
const { delayed: N_DELAYED, failed: N_FAILED } = NOTIFICATION_CODE;
const { skipped: SKIPPED, busy: BUSY_RESULT, accepted: ACCEPTED } = CONNECTION_CODE;
const { refused: REFUSED, "rcpt-4xx": RCPT_4XX } = FAILURE_CODE;
/** By failure-mode index: the MTA waits for a timeout before it knows (a blackholed or a silent host). */
const WAITS = FAILURE_MODES.map((m) => FAILURE_INFO[m].waits !== null);
/** A server at its session capacity answers 421, like a greeting-4xx outage. */
const BUSY = -2;

/** Delivery status notifications sent, for the summary. */
export interface NoticeCounts {
  delayed: number;
  failed: number;
  /** Notifications a server sent to a forged envelope sender: backscatter. */
  backscatter: number;
}

export class Delivery {
  readonly notices: NoticeCounts = { delayed: 0, failed: 0, backscatter: 0 };
  private readonly model: Model;
  private readonly outages: Outage[][];
  private readonly messages: MessageTable;
  private readonly events: EventQueue;
  private readonly queues: QueueTracker;
  private readonly memories: HostMemory[];
  private readonly slots: SessionSlots[];
  private readonly sink: AttemptSink;
  private readonly profiles: Profile[];
  private readonly accepts: Uint8Array;
  private readonly planFor: (node: number, domain: number) => HostPlan;
  private readonly mxStreams: Stream[];
  private readonly balancerStreams: Stream[];
  private readonly nServers: number;
  private readonly nDomains: number;
  /** The hosts of the attempt in progress, in the order tried. */
  private readonly order: Int32Array;
  /** The attempt in progress as the sink will see it (one object reused), and the notification being sent. */
  private readonly report: AttemptReport = { message: -1, node: -1, start: NaN, end: NaN, result: -1, host: -1, next: NaN };
  private readonly note: NoticeReport = { message: -1, node: -1, at: NaN, kind: -1, sender: -1, reason: -1 };
  /** The attempt in progress: its clock and last host tried once its walk is over, the host `meet` reached. */
  private clock = 0;
  private lastHost = -1;
  private met = -1;
  /** What the attempt in progress has met so far (reset at each attempt). */
  private readonly walk: Walk = { birth: NaN, tried: 0, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true, cut: false, pass: 0 };

  constructor(world: World) {
    const { model } = world;
    this.model = model;
    this.outages = world.outages;
    this.messages = world.messages;
    this.events = world.events;
    this.queues = world.queues;
    this.memories = world.memories;
    this.slots = world.slots;
    this.sink = world.sink;
    this.profiles = world.profiles;
    this.accepts = world.accepts;
    this.planFor = world.planFor;
    this.mxStreams = world.mxStreams;
    this.balancerStreams = world.balancerStreams;
    this.nServers = model.servers.length;
    this.nDomains = model.domains.length;
    let maxHosts = 1;
    for (const d of model.domains) maxHosts = Math.max(maxHosts, d.mx.length);
    this.order = new Int32Array(maxHosts);
  }

  /**
   * One delivery attempt of message `m` by `node` (its holder) starting at
   * `t`. `forced` is an administrator's flush: retry hints and dead
   * destinations are ignored, as `exim -qff` and `postqueue -f` do.
   */
  attempt(m: number, node: number, t: number, forced: boolean): void {
    const { messages: msgs, walk } = this;
    const domain = this.model.senders[msgs.sender[m]!]!.domain;

    // OpenSMTPD and Exchange expire by timer, with no final attempt (§4.2, §4.3):
    // a bounce (in the notifications), not a delivery attempt.
    if (t >= expiresAt(this.profiles[node]!, msgs.birth[m]!)) {
      this.bounce(m, node, t, t, "lifetime");
      return;
    }
    msgs.attempts[m]!++;
    msgs.tries[m]!++;
    const report = this.report;
    report.message = m;
    report.node = node;
    report.start = t;
    // RFC 7505: discovered on the first attempt, no connection, no retries.
    if (this.model.domains[domain]!.nullMx) return this.bounceAttempt(m, node, t, t, "null-mx", -1);
    walk.birth = msgs.birth[m]!;
    walk.tried = walk.skipped = walk.skippedExpired = walk.triedExpired = walk.pass = 0;
    walk.siteFailure = true;
    walk.cut = false;
    this.clock = t;
    this.lastHost = -1;
    // A Postfix dead destination defers without a connection ("delivery temporarily suspended", §2.2).
    // Such deferrals count as attempts for the backoff and the expiry.
    if (this.memories[node]!.suspended(domain, t, forced)) return this.failed(m, node, t, domain, 0);
    const n = orderHosts(this.planFor(node, domain), this.mxStreams[node]!, this.order);
    // A relay that is the best MX itself and has no route: nowhere to send (perm_ambigmx, RFC 5321 §5.1).
    if (n === 0) return this.bounceAttempt(m, node, t, t, "no-relay-host", -1);
    if (this.walkHosts(m, node, t, domain, n, forced)) this.failed(m, node, t, domain, n);
  }

  /**
   * The walk over the first `n` hosts of this.order, as the node's MTA moves
   * from one to the next. False when it ended the attempt (a delivery, a
   * hand-off to a relay, a bounce, or the horizon); true when the MTA stopped
   * or ran out of hosts without an outcome, at this.clock, the last host tried
   * being this.lastHost.
   */
  private walkHosts(m: number, node: number, t: number, domain: number, n: number, forced: boolean): boolean {
    const { sink, walk } = this;
    const profile = this.profiles[node]!;
    const memory = this.memories[node]!;
    const limit = Math.min(n, addressLimit(profile, t - walk.birth));
    const horizon = this.model.duration;
    let clock = t;
    let i = 0;
    for (; i < limit; i++) {
      // The horizon is a wall: a connection that would start at or after the end is not made.
      if (clock >= horizon) return this.unfinished();
      const mx = this.order[i]!;
      // qmail's tcpto, Exim's retry hints.
      if (memory.skips(mx, clock, forced, walk)) {
        sink.connection(mx, clock, SKIPPED);
        walk.skipped++;
        continue;
      }
      walk.tried++;
      const mode = this.meet(m, node, mx, clock);
      const host = (this.lastHost = this.met);
      if (mode === UP) {
        this.reached(m, node, host, domain, t, clock);
        return false;
      }
      const failure: FailureMode = mode === BUSY ? "greeting-4xx" : FAILURE_MODES[mode]!;
      // A connect or greeting timeout is known only when it expires: one that would expire at or after the end is cut there.
      const wait = mode === BUSY || !WAITS[mode] ? 0 : waitFor(profile, failure);
      if (wait > 0 && clock + wait >= horizon) return this.unfinished();
      sink.connection(host, clock, mode === BUSY ? BUSY_RESULT : MODE_RESULT[mode]!);
      clock += wait;
      if (!FAILURE_INFO[failure].site) walk.siteFailure = false;
      memory.failed(host, failure, clock, walk);
      const action = onFailure(profile, failure, i === limit - 1);
      if (action === BOUNCE) {
        this.bounceAttempt(m, node, t, clock, failure === "reject-5xx" ? "unknown-user" : "rejected", host);
        return false;
      }
      if (action === DEFER) break;
    }
    this.clock = clock;
    // Cut by the limit: the walk got to the last host the limit allows (which the MTA took for the last MX).
    walk.cut = limit < n && i >= limit - 1;
    // Exim's second pass (delay_after_cutoff false): it follows a pass that tried no host, so it starts at t too.
    if (memory.walkAgain(walk)) return this.walkHosts(m, node, t, domain, n, forced);
    return true;
  }

  /**
   * What MX host `mx` does for a connection at `now`: UP, a failure-mode index
   * or BUSY. A balancer hands the connection to one of its members: the host
   * actually met is left in this.met.
   */
  private meet(m: number, node: number, mx: number, now: number): number {
    let host = mx;
    let mode = modeAt(this.outages[host]!, now);
    if (mode === UP && this.model.servers[host]!.role === "balancer") {
      // The balancer hands the connection to a member that passes its TCP health check;
      // with none left it resets the connection (refused). A member that accepts TCP but
      // answers 421 passes the check (mta-facts.md §6.5).
      const member = this.pickMember(host, now);
      if (member < 0) mode = REFUSED;
      else {
        host = member;
        mode = modeAt(this.outages[host]!, now);
      }
    }
    this.met = host;
    if (mode === UP && !this.slots[host]!.take(now)) mode = BUSY;
    if (mode === UP && this.greylisted(m, node, host, now)) mode = RCPT_4XX;
    return mode;
  }

  /**
   * The attempt ended without a delivery at this.clock: the MTA gives up (a
   * queue lifetime, or Exim's retry data past its cutoff) or the message waits
   * for its next attempt.
   */
  private failed(m: number, node: number, t: number, domain: number, n: number): void {
    const { clock, lastHost, walk } = this;
    const reason = givesUp(this.profiles[node]!, walk, this.messages.birth[m]!, t, clock);
    if (reason !== undefined) return this.bounceAttempt(m, node, t, clock, reason, lastHost);
    // Postfix: all MX failed to connect or greet, so the destination is dead for a while (§2.2).
    this.memories[node]!.deferred(domain, clock, walk);
    this.defer(m, node, t, clock, lastHost, n);
  }

  /**
   * The run ends during this attempt (simulate.ts, "the horizon is a wall"):
   * its connections so far are recorded, its outcome is not; the message
   * stays where it was, still queued at the end.
   */
  /** Reports the attempt in progress to the sink, ended at `end` with `result`. */
  private finish(end: number, result: number, host: number, next: number): void {
    const report = this.report;
    report.end = end;
    report.result = result;
    report.host = host;
    report.next = next;
    this.sink.attempt(report);
  }

  private unfinished(): false {
    this.finish(NaN, A_UNFINISHED, -1, NaN);
    return false;
  }

  /** A member of balancer `vip` that passes a TCP health check at `now`, chosen at random; -1 if none. */
  private pickMember(vip: number, now: number): number {
    const members = this.model.servers[vip]!.members;
    let healthy = 0;
    for (const s of members) if (this.tcpHealthy(s, now)) healthy++;
    if (healthy === 0) return -1;
    let k = Math.floor(this.balancerStreams[vip]!() * healthy);
    for (const s of members) {
      if (this.tcpHealthy(s, now) && k-- === 0) return s;
    }
    return -1;
  }

  private tcpHealthy(server: number, now: number): boolean {
    const mode = modeAt(this.outages[server]!, now);
    return mode === UP || !TCP_FAILS[mode];
  }

  /**
   * Greylisting (mta-facts.md §6.4): the triplet's first attempt from this
   * client is answered 450; a retry from the same client after the delay is
   * accepted. Another client (a backup MX relaying the message) is a new
   * triplet and starts over.
   */
  private greylisted(m: number, client: number, host: number, now: number): boolean {
    const delay = this.model.servers[host]!.greylisting;
    if (delay <= 0) return false;
    const msgs = this.messages;
    msgs.ensureGrey(m);
    if (msgs.greyServer[m] !== host + 1 || msgs.greyClient[m] !== client) {
      msgs.greyServer[m] = host + 1;
      msgs.greyClient[m] = client;
      msgs.greySince[m] = now;
      return true;
    }
    return now - msgs.greySince[m]! < delay;
  }

  /** The connection to `host` succeeded: deliver, hand over to a relay, or meet a refusal at RCPT. */
  private reached(m: number, node: number, host: number, domain: number, t: number, clock: number): void {
    const { messages: msgs, sink } = this;
    const server = this.model.servers[host]!;
    const how = this.accepts[host * this.nDomains + domain];
    let refusal: ConnectionResult | undefined;
    let reason: BounceReason | undefined;
    if (how !== MAILBOX && how !== RELAY) [refusal, reason] = ["relay-denied", "not-accepted"];
    else if (how === RELAY && msgs.hops[m]! >= MAX_HOPS) [refusal, reason] = ["loop", "too-many-hops"];
    else if (msgs.badRcpt[m] && (how === MAILBOX || server.recipientValidation)) [refusal, reason] = ["unknown-user", "unknown-user"];
    if (refusal && reason) {
      sink.connection(host, clock, CONNECTION_CODE[refusal]);
      return this.bounceAttempt(m, node, t, clock, reason, host);
    }
    sink.connection(host, clock, ACCEPTED);
    this.memories[node]!.accepted(host);
    this.leaveQueue(m, node, t);
    msgs.holder[m] = host;
    if (how === MAILBOX) {
      msgs.outcome[m] = DELIVERED;
      msgs.done[m] = clock;
      msgs.path[m] = node < this.nServers ? PATH_VIA_SECONDARY : msgs.attempts[m] === 1 ? PATH_DIRECT : PATH_SENDER_RETRY;
      this.finish(clock, A_DELIVERED, host, NaN);
    } else {
      msgs.hops[m]!++;
      msgs.birth[m] = clock;
      msgs.tries[m] = 0;
      msgs.warned[m] = 0;
      msgs.due[m] = NaN;
      this.events.push(clock, ACCEPT, m);
      this.finish(clock, A_RELAYED, host, NaN);
    }
  }

  /**
   * A deferral: the message waits in `node`'s queue. `lastHost` is -1 for a
   * deferral without any connection (a Postfix dead destination); `n` hosts
   * of this.order were candidates.
   */
  private defer(m: number, node: number, t: number, clock: number, lastHost: number, n: number): void {
    const msgs = this.messages;
    if (node >= this.nServers && !this.model.senders[node - this.nServers]!.retries) {
      // Spam software does not queue: the message is dropped, and nobody is told.
      this.bounce(m, node, t, clock, "abandoned", false);
      this.finish(clock, A_BOUNCED, lastHost, NaN);
      return;
    }
    const profile = this.profiles[node]!;
    const birth = msgs.birth[m]!;
    let next = nextAttempt(profile, birth, t, clock, msgs.tries[m]!);
    // Exim with no queue runner (the idealised E1): a delivery at the earliest host hint.
    if (Number.isNaN(next)) next = this.memories[node]!.retryAt(this.order, n, clock);
    next = Math.max(next, clock);
    const warning = delayWarningAt(profile, this.walk, birth, clock, next, msgs.warned[m]!);
    // A warning stamped at or after the horizon (OpenSMTPD stamps it at birth + bounce_warn_interval) is not sent within the run.
    if (!Number.isNaN(warning) && warning < this.model.duration) {
      msgs.warned[m] = warnedAfter(profile, birth, warning, msgs.warned[m]!);
      this.notify(m, node, warning, N_DELAYED);
    }
    if (!msgs.waiting[m]) {
      msgs.waiting[m] = 1;
      this.queues.change(node, t, +1);
    }
    // An expiry timer that ran out during this attempt fires when the attempt is over, never in the past.
    const due = Math.max(clock, Math.min(next, expiresAt(profile, birth)));
    if (due < this.model.duration) {
      msgs.due[m] = due;
      this.events.push(due, RETRY, m);
    }
    this.finish(clock, A_DEFERRED, lastHost, due);
  }

  private leaveQueue(m: number, node: number, t: number): void {
    if (this.messages.waiting[m]) {
      this.messages.waiting[m] = 0;
      this.queues.change(node, t, -1);
    }
  }

  /** The attempt that started at `t` ends in a bounce at `end`, its last host being `host` (-1: none). */
  private bounceAttempt(m: number, node: number, t: number, end: number, reason: BounceReason, host: number): void {
    this.bounce(m, node, t, end, reason);
    this.finish(end, A_BOUNCED, host, NaN);
  }

  private bounce(m: number, node: number, t: number, end: number, reason: BounceReason, notify = true): void {
    this.leaveQueue(m, node, t);
    this.messages.outcome[m] = BOUNCED;
    this.messages.done[m] = end;
    this.messages.reason[m] = BOUNCE_CODE[reason];
    this.messages.holder[m] = node;
    if (notify) this.notify(m, node, end, N_FAILED);
  }

  /** A DSN to the envelope sender; from a server to a forged sender it is backscatter. */
  private notify(m: number, node: number, at: number, kind: number): void {
    if (kind === N_DELAYED) this.notices.delayed++;
    else this.notices.failed++;
    if (node < this.nServers && this.model.senders[this.messages.sender[m]!]!.forged) this.notices.backscatter++;
    const note = this.note;
    note.message = m;
    note.node = node;
    note.at = at;
    note.kind = kind;
    note.sender = this.messages.sender[m]!;
    note.reason = kind === N_FAILED ? this.messages.reason[m]! : -1;
    this.sink.notification(note);
  }
}
