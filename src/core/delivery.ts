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
import { BOUNCED, DELIVERED, HELD, type MessageTable, QUEUED, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY } from "./message-table.js";
import { FAILURE_CODE, FAILURE_INFO, FAILURE_MODES, type FailureMode } from "./failure-modes.js";
import type { Model, Outage } from "./model.js";
import { type CachedSession, GATES, type HostMemory, LOAD, PASSES, RUN, SESSIONS, STORE, SUSPEND, WAIT, WAITLIST, type Walk } from "./mta-rules.js";
import { orderHosts, type HostPlan } from "./mx-lookup.js";
import { ATTEMPT_CODE, BOUNCE_CODE, CONNECTION_CODE, NOTIFICATION_CODE, type BounceReason, type ConnectionResult } from "./outcomes.js";
import { Greylists } from "./greylist.js";
import { addressLimit, clientPool, connectionMessages, delayWarningAt, sessionLimit, expiresAt, givesUp, nextAttempt, onFailure, waitFor, warnedAfter, type Profile } from "./profile.js";
import { BOUNCE, DEFER } from "./profiles/common.js";
import type { QueueTracker } from "./queue-tracker.js";
import type { Stream } from "./rng.js";
import type { SessionSlots } from "./session-slots.js";
import { ACCEPT, DONE, RETRY } from "./events.js";
import { ensure } from "./columns.js";
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

/**
 * Per server, the connections the run's MTAs made to it: `attempted` counts
 * every TCP connection attempt (a refused or blackholed one too), `opened`
 * those whose TCP handshake succeeded (an SMTP session began). A reused
 * connection counts once, when it was made.
 */
export interface ConnectionCounts {
  attempted: Float64Array;
  opened: Float64Array;
}

export class Delivery {
  readonly notices: NoticeCounts = { delayed: 0, failed: 0, backscatter: 0 };
  readonly connections: ConnectionCounts;
  /** The number the next connection opened gets (AttemptSink.connection), the last one opened, the one being reused (-1: none). */
  private nextConnection = 0;
  private lastConnection = -1;
  private reusing = -1;
  /** Per node: how many messages one connection of its MTA may carry (connectionMessages), and sessions one attempt may use. */
  private readonly perConnection: Float64Array;
  private readonly sessionLimits: Float64Array;
  /** Per node: which hook groups its memory uses (HostMemory.features). */
  private readonly features: Uint8Array;
  /** A completed transaction whose connection the node passes on (Exim's continued delivery): host name (MX), host met, connection, time; chainMx -1: none. */
  private chainMx = -1;
  private chainHost = -1;
  private chainConn = -1;
  private chainAt = 0;
  private chainNode = -1;
  private chaining = false;
  /** The MX host the walk is at (before a balancer hands it to a member). */
  private atMx = -1;
  private readonly queuedAtChainNode = (m: number): boolean =>
    this.messages.outcome[m] === QUEUED && this.messages.holder[m] === this.chainNode && this.messages.waiting[m] === 1;
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
  /** The greylisting servers' triplets and auto-whitelists (null: no server greylists). */
  private readonly greylists: Greylists | null;
  /** What the attempt in progress has met so far (reset at each attempt). */
  private readonly walk: Walk = { birth: NaN, tried: 0, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true, cut: false, pass: 0, tries: 0 };
  /** The attempt in progress holds a slot of its destination queue (its memory tracks flights); its domain; whether it ended in a site failure. */
  private flying = false;
  private domain = -1;
  private siteFailed = false;
  /** Attempts holding a slot until their DONE event, by flight number, and the flight numbers free for reuse. */
  private flightNode = new Int32Array(0);
  private flightDomain = new Int32Array(0);
  private flightSite = new Uint8Array(0);
  /** The session a flight leaves in the cache at its end (-1: none), its host and when it was opened. */
  private flightConn = new Int32Array(0);
  private flightHost = new Int32Array(0);
  private flightCreated = new Float64Array(0);
  /** The attempt in progress: its connection-cache flags (LOAD, STORE); the cacheable session it ended with (doneConn -1: none). */
  private flags = 0;
  private doneConn = -1;
  private doneHost = -1;
  private doneCreated = 0;
  private reusedCreated = 0;
  private readonly session: CachedSession = { conn: -1, host: -1, created: 0 };
  private freeFlights = new Int32Array(0);
  private nFlights = 0;
  private nFree = 0;

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
    this.connections = { attempted: new Float64Array(this.nServers), opened: new Float64Array(this.nServers) };
    this.perConnection = Float64Array.from(this.profiles, (p) => connectionMessages(p));
    this.sessionLimits = Float64Array.from(this.profiles, (p) => sessionLimit(p));
    this.features = Uint8Array.from(this.memories, (x) => x.features);
    this.greylists = Greylists.needed(model) ? new Greylists(model, this.profiles.map(clientPool)) : null;
    let maxHosts = 1;
    for (const d of model.domains) maxHosts = Math.max(maxHosts, d.mx.length);
    this.order = new Int32Array(maxHosts);
  }

  /**
   * One delivery attempt of message `m` by `node` (its holder) starting at
   * `t`. `forced` is an administrator's flush: retry hints and dead
   * destinations are ignored, as `exim -qff` and `postqueue -f` do. The
   * node's memory may hold the attempt back until a slot of its destination
   * queue frees (Postfix), or defer it without a connection.
   */
  attempt(m: number, node: number, t: number, forced: boolean): void {
    if (this.expired(m, node, t)) return;
    const domain = this.model.senders[this.messages.sender[m]!]!.domain;
    const gate = (this.features[node]! & GATES) !== 0 ? this.memories[node]!.admit(m, domain, t, forced) : RUN;
    if (gate === WAIT) this.hold(m, node, t);
    else this.run(m, node, t, forced, domain, gate);
  }

  /**
   * An attempt that occupied a slot of its node's destination queue is over
   * (flight `f`, at `t`): the queue learns how it went, then the messages
   * waiting for it are deferred without a connection (it died) or start
   * their attempts in the slots freed.
   */
  complete(f: number, t: number): void {
    const node = this.flightNode[f]!;
    const domain = this.flightDomain[f]!;
    const site = this.flightSite[f] === 1;
    this.freeFlights[this.nFree++] = f;
    const memory = this.memories[node]!;
    // The smtp client leaves a cacheable session in the cache before it reports to qmgr.
    if (this.flightConn[f]! >= 0) {
      const s = this.session;
      s.conn = this.flightConn[f]!;
      s.host = this.flightHost[f]!;
      s.created = this.flightCreated[f]!;
      memory.saveSession(domain, s, t);
    }
    memory.completed(domain, t, site);
    for (let m = memory.nextSuspended(domain); m >= 0; m = memory.nextSuspended(domain)) this.resume(m, node, t, domain, SUSPEND);
    for (let m = memory.nextReady(domain, t); m >= 0; m = memory.nextReady(domain, t)) this.resume(m, node, t, domain, RUN);
  }

  /** OpenSMTPD and Exchange expire by timer, with no final attempt (docs/model.md#opensmtpd, #exchange): a bounce (in the notifications), not a delivery attempt. */
  private expired(m: number, node: number, t: number): boolean {
    if (t < expiresAt(this.profiles[node]!, this.messages.birth[m]!)) return false;
    this.bounce(m, node, t, t, "lifetime");
    return true;
  }

  /** Message `m` waits in `node`'s destination queue for a slot (Postfix's todo list): queued there, no event pending. */
  private hold(m: number, node: number, t: number): void {
    const msgs = this.messages;
    msgs.due[m] = HELD;
    if (!msgs.waiting[m]) {
      msgs.waiting[m] = 1;
      this.queues.change(node, t, +1);
    }
  }

  /** A held message leaves the destination queue's todo list at `t`: its attempt runs, or it is deferred without a connection. */
  private resume(m: number, node: number, t: number, domain: number, gate: number): void {
    this.messages.due[m] = NaN;
    if (gate === RUN && this.expired(m, node, t)) return this.memories[node]!.completed(domain, t, false);
    this.run(m, node, t, false, domain, gate);
  }

  /** The attempt itself, once the node's memory has let it RUN or SUSPENDed it. */
  private run(m: number, node: number, t: number, forced: boolean, domain: number, gate: number): void {
    const { messages: msgs, walk } = this;
    msgs.attempts[m]!++;
    msgs.tries[m]!++;
    const report = this.report;
    report.message = m;
    report.node = node;
    report.start = t;
    const memory = this.memories[node]!;
    const features = this.features[node]!;
    this.flying = gate === RUN && (features & GATES) !== 0;
    this.flags = gate === RUN && (features & SESSIONS) !== 0 ? memory.sessionFlags(msgs.tries[m]! > 1, t) : 0;
    this.domain = domain;
    this.siteFailed = false;
    this.doneConn = -1;
    // RFC 7505: discovered on the first attempt, no connection, no retries.
    if (this.model.domains[domain]!.nullMx) return this.bounceAttempt(m, node, t, t, "null-mx", -1);
    walk.birth = msgs.birth[m]!;
    walk.tries = msgs.tries[m]!;
    walk.tried = walk.skipped = walk.skippedExpired = walk.triedExpired = walk.pass = 0;
    walk.siteFailure = true;
    walk.cut = false;
    this.clock = t;
    this.lastHost = -1;
    // A Postfix dead destination defers without a connection ("delivery temporarily suspended", qmgr_defer_todo(), docs/model.md#postfix).
    // Such deferrals count as attempts for the backoff and the expiry.
    if (gate === SUSPEND) return this.failed(m, node, t, 0);
    const n = orderHosts(this.planFor(node, domain), this.mxStreams[node]!, this.order);
    // A relay that is the best MX itself and has no route: nowhere to send (perm_ambigmx, RFC 5321 §5.1).
    if (n === 0) return this.bounceAttempt(m, node, t, t, "no-relay-host", -1);
    if ((this.flags & LOAD) !== 0 && this.reuseSession(m, node, t, domain)) return;
    if (this.walkHosts(m, node, t, domain, n, forced)) this.failed(m, node, t, n);
    if (this.chainMx >= 0) this.continueOn(node);
  }

  /**
   * Postfix's connection cache: a delivery with LOAD takes a session another delivery to the destination
   * left in the cache (smtp_reuse_session, by the next-hop name: whatever host it is on) and sends the
   * message over it, with no greeting and no other host tried. The cached session is probed with RSET:
   * one whose host is no longer up is closed, and so (mxsim's simplification) is one whose host greylists
   * this message; the delivery then walks the MX hosts as usual. True when the session carried the message.
   */
  private reuseSession(m: number, node: number, t: number, domain: number): boolean {
    const s = this.session;
    const memory = this.memories[node]!;
    while (memory.takeSession(domain, t, s)) {
      const host = s.host;
      if (modeAt(this.outages[host]!, t) !== UP || this.wouldGreylist(m, node, host, t)) continue;
      this.walk.tried = 1;
      this.lastHost = host;
      this.reusing = s.conn;
      this.reusedCreated = s.created;
      this.reached(m, node, host, domain, t, t);
      this.reusing = -1;
      return true;
    }
    return false;
  }

  /**
   * The walk reached `mx`, to which the node holds an open connection (Sendmail's connection cache,
   * mci_get): it is probed (RSET) and used, with no greeting, when its host is still up and takes this
   * message (a greylisting 450 closes it here, mxsim's simplification); otherwise the walk connects anew.
   */
  private reuseCached(m: number, node: number, mx: number, domain: number, t: number, clock: number): boolean {
    const s = this.session;
    if (!this.memories[node]!.cachedTo(mx, clock, s)) return false;
    if (modeAt(this.outages[s.host]!, clock) !== UP || this.wouldGreylist(m, node, s.host, clock)) return false;
    this.lastHost = s.host;
    this.reusing = s.conn;
    this.reusedCreated = s.created;
    this.reached(m, node, s.host, domain, t, clock);
    this.reusing = -1;
    return true;
  }

  /** Whether `host` would answer message `m` from `client` with a greylisting 450 now (without recording the attempt). */
  private wouldGreylist(m: number, client: number, host: number, now: number): boolean {
    return this.greylists !== null && this.greylists.greylists(m, client, host, this.messages.tries[m]!, now, true);
  }

  /**
   * Exim's continued delivery (smtp.c after a completed transaction, transport.c transport_check_waiting):
   * the messages listed as waiting for the host go down the same connection, one after another, at the
   * same moment (mxsim's transactions take no time), up to the MTA's messages per connection. A message
   * whose transaction does not complete (a RCPT 4xx) ends the chain: the connection is not passed on.
   */
  private continueOn(node: number): void {
    const { chainMx: mx, chainHost: host, chainConn: conn, chainAt: at } = this;
    this.chainMx = -1;
    this.chainNode = node;
    this.chaining = true;
    const limit = this.perConnection[node]!;
    const memory = this.memories[node]!;
    for (let k = 1; k < limit; k++) {
      const next = memory.nextFor(mx, this.queuedAtChainNode);
      if (next < 0 || !this.continued(next, node, host, at, conn)) break;
    }
    this.chaining = false;
  }

  /**
   * Message `m` sent down connection `conn` to `host` at `t`: no new connection, no other host tried, no
   * retry hint for the host if it defers (smtp.c: "another non-continued message delivery will notice it").
   * True when the transaction completed.
   */
  private continued(m: number, node: number, host: number, t: number, conn: number): boolean {
    const { messages: msgs, walk } = this;
    const domain = this.model.senders[msgs.sender[m]!]!.domain;
    msgs.attempts[m]!++;
    msgs.tries[m]!++;
    msgs.due[m] = NaN;
    const report = this.report;
    report.message = m;
    report.node = node;
    report.start = t;
    this.flying = false;
    this.flags = 0;
    this.siteFailed = false;
    this.domain = domain;
    walk.birth = msgs.birth[m]!;
    walk.tries = msgs.tries[m]!;
    walk.skipped = walk.skippedExpired = walk.triedExpired = walk.pass = 0;
    walk.tried = 1;
    walk.siteFailure = true;
    walk.cut = false;
    this.clock = t;
    this.lastHost = host;
    this.reusing = conn;
    const greylisted = this.greylisted(m, node, host, t);
    if (greylisted) {
      this.connect(host, t, CONNECTION_CODE["rcpt-4xx"], true);
      walk.siteFailure = false;
      this.reusing = -1;
      this.failed(m, node, t, 0);
    } else {
      this.reached(m, node, host, domain, t, t);
      this.reusing = -1;
    }
    return !greylisted;
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
    const maxSessions = this.sessionLimits[node]!;
    const cached = (this.flags & LOAD) !== 0;
    let sessions = 0;
    const horizon = this.model.duration;
    let clock = t;
    let i = 0;
    for (; i < limit; i++) {
      // The horizon is a wall: a connection that would start at or after the end is not made.
      if (clock >= horizon) return this.unfinished();
      const mx = this.order[i]!;
      // qmail's tcpto, Exim's retry hints.
      if (memory.skips(mx, clock, forced, walk)) {
        sink.connection(mx, clock, SKIPPED, -1);
        walk.skipped++;
        continue;
      }
      walk.tried++;
      this.atMx = mx;
      // Sendmail: an open connection to this host cached by an earlier delivery of the same queue run.
      if (cached && this.reuseCached(m, node, mx, domain, t, clock)) return false;
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
      this.connect(host, clock, mode === BUSY ? BUSY_RESULT : MODE_RESULT[mode]!, mode === BUSY || !TCP_FAILS[mode]);
      clock += wait;
      // A failure past the greeting used a session: the one that reaches the MTA's session limit is the last host.
      const session = !FAILURE_INFO[failure].site;
      if (session) walk.siteFailure = false;
      memory.failed(host, failure, clock, walk);
      const final = session && ++sessions >= maxSessions;
      const action = onFailure(profile, failure, final || i === limit - 1);
      if (action === BOUNCE) {
        this.bounceAttempt(m, node, t, clock, failure === "reject-5xx" ? "unknown-user" : "rejected", host);
        return false;
      }
      if (action === DEFER || final) break;
    }
    this.clock = clock;
    // Cut by the limit: the walk got to the last host the limit allows (which the MTA took for the last MX).
    walk.cut = limit < n && i >= limit - 1;
    // Exim's second pass (delay_after_cutoff false): it follows a pass that tried no host, so it starts at t too.
    if ((this.features[node]! & PASSES) !== 0 && memory.walkAgain(walk)) return this.walkHosts(m, node, t, domain, n, forced);
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
      // answers 421 passes the check (docs/model.md#load-balancers).
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
  private failed(m: number, node: number, t: number, n: number): void {
    const { clock, lastHost, walk } = this;
    // Every host tried failed at connect or greeting: for Postfix a site failure, negative feedback for the destination queue.
    this.siteFailed = walk.tried > 0 && walk.siteFailure;
    const reason = givesUp(this.profiles[node]!, walk, this.messages.birth[m]!, t, clock);
    if (reason !== undefined) return this.bounceAttempt(m, node, t, clock, reason, lastHost);
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
    if (this.flying && result !== A_UNFINISHED) this.fly(end);
    this.flying = false;
  }

  /** The attempt in progress held a slot of its destination queue until `end`: it is handed back then (a DONE event). */
  private fly(end: number): void {
    if (end >= this.model.duration) return;
    let f: number;
    if (this.nFree > 0) f = this.freeFlights[--this.nFree]!;
    else {
      f = this.nFlights++;
      if (f >= this.flightNode.length) {
        this.flightNode = ensure(this.flightNode, f, Int32Array);
        this.flightDomain = ensure(this.flightDomain, f, Int32Array);
        this.flightSite = ensure(this.flightSite, f, Uint8Array);
        this.flightConn = ensure(this.flightConn, f, Int32Array);
        this.flightHost = ensure(this.flightHost, f, Int32Array);
        this.flightCreated = ensure(this.flightCreated, f, Float64Array);
        this.freeFlights = ensure(this.freeFlights, f, Int32Array);
      }
    }
    this.flightNode[f] = this.report.node;
    this.flightDomain[f] = this.domain;
    this.flightSite[f] = this.siteFailed ? 1 : 0;
    this.flightConn[f] = this.doneConn;
    this.flightHost[f] = this.doneHost;
    this.flightCreated[f] = this.doneCreated;
    this.events.push(end, DONE, f);
  }

  private unfinished(): false {
    this.finish(NaN, A_UNFINISHED, -1, NaN);
    return false;
  }

  /** A new connection to `host` at `at` with `result`; `tcp`: its TCP handshake succeeded. */
  private connect(host: number, at: number, result: number, tcp: boolean): void {
    if (this.reusing >= 0) return this.sink.connection(host, at, result, this.reusing);
    this.connections.attempted[host]!++;
    if (tcp) this.connections.opened[host]!++;
    this.sink.connection(host, at, result, (this.lastConnection = this.nextConnection++));
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
   * Greylisting (docs/model.md#greylisting, as postgrey does it, greylist.ts): the triplet's first attempt from the
   * client's address (or /24) is answered 450; an attempt from it after the delay passes. Another client (a backup
   * MX relaying the message, another address of a sender's pool) is another triplet and starts over.
   */
  private greylisted(m: number, client: number, host: number, now: number): boolean {
    return this.greylists !== null && this.greylists.greylists(m, client, host, this.messages.tries[m]!, now, false);
  }

  /** The connection to `host` succeeded: deliver, hand over to a relay, or meet a refusal at RCPT. */
  private reached(m: number, node: number, host: number, domain: number, t: number, clock: number): void {
    const msgs = this.messages;
    const server = this.model.servers[host]!;
    const how = this.accepts[host * this.nDomains + domain];
    let refusal: ConnectionResult | undefined;
    let reason: BounceReason | undefined;
    if (how !== MAILBOX && how !== RELAY) [refusal, reason] = ["relay-denied", "not-accepted"];
    else if (how === RELAY && msgs.hops[m]! >= MAX_HOPS) [refusal, reason] = ["loop", "too-many-hops"];
    else if (msgs.badRcpt[m] && (how === MAILBOX || server.recipientValidation)) [refusal, reason] = ["unknown-user", "unknown-user"];
    // The transaction completed (the recipient delivered or failed): an MTA that passes connections on may send more down it.
    if (!this.chaining && this.perConnection[node]! > 1) this.passOn(node, host, clock);
    if (refusal && reason) {
      this.connect(host, clock, CONNECTION_CODE[refusal], true);
      this.chainConn = this.reusing >= 0 ? this.reusing : this.lastConnection;
      if (this.reusing >= 0 || (this.flags & STORE) !== 0) this.sessionEnded(host, clock);
      return this.bounceAttempt(m, node, t, clock, reason, host);
    }
    this.connect(host, clock, ACCEPTED, true);
    this.chainConn = this.reusing >= 0 ? this.reusing : this.lastConnection;
    if (this.reusing >= 0 || (this.flags & STORE) !== 0) this.sessionEnded(host, clock);
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
   * The transaction on `host` ended cleanly at `at`: a session that was reused, or made for a delivery with
   * STORE, may be cached when the delivery's slot is handed back (Postfix's smtp_cleanup_session).
   */
  private sessionEnded(host: number, at: number): void {
    if (this.reusing >= 0) {
      this.doneConn = this.reusing;
      this.doneCreated = this.reusedCreated;
    } else if ((this.flags & STORE) !== 0) {
      this.doneConn = this.lastConnection;
      this.doneCreated = at;
    } else return;
    this.doneHost = host;
    // An MTA without destination slots keeps the session at once; Postfix's goes to the cache when its slot is handed back.
    if (!this.flying) {
      const s = this.session;
      s.conn = this.doneConn;
      s.host = host;
      s.created = this.doneCreated;
      this.doneConn = -1;
      this.memories[this.report.node]!.saveSession(this.domain, s, at);
    }
  }

  /** After this attempt, the connection to `host` (reached as this.atMx) at `at` is passed on (continueOn). */
  private passOn(node: number, host: number, at: number): void {
    this.chainMx = this.atMx;
    this.chainHost = host;
    this.chainAt = at;
    this.chainNode = node;
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
    // Exim lists the message as waiting for each of its hosts (the wait-<transport> database).
    if ((this.features[node]! & WAITLIST) !== 0) this.memories[node]!.deferredFor(m, this.order, n, this.walk);
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
