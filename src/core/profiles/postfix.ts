/**
 * Postfix 2.4+ (3.x): qmgr's backoff and deferred-queue scans, and the smtp
 * client's MX walk and connection cache, described in docs/model.md#postfix.
 */
import { bool, type CachedSession, count, dur, type FailoverTable, GATES, LOAD, long, NoMemory, type MtaRules, noTimer, RUN, SESSIONS, STORE, SUSPEND, WAIT } from "../mta-rules.js";
import { FAIL, MOVE_ON, runAtOrAfter } from "./common.js";

export interface PostfixProfile {
  mta: "postfix";
  /** Default 300 s (= queue_run_delay), mail_params.h line 804. */
  minimal_backoff_time: number;
  /** Default 4000 s, mail_params.h line 808. */
  maximal_backoff_time: number;
  /** How often the deferred queue is scanned. Default 300 s, mail_params.h line 801. */
  queue_run_delay: number;
  /** When the scan grid starts (qmgr's start-up time), seconds; mxsim's own knob, default 0. */
  queue_run_phase: number;
  /** Default 5d, mail_params.h line 812. Checked only after a failed attempt. */
  maximal_queue_lifetime: number;
  /** Default 0 = no delay warnings, mail_params.h line 824. */
  delay_warning_time: number;
  /** Default 30 s, mail_params.h line 1103. */
  smtp_connect_timeout: number;
  /** Default 300 s: the wait for the greeting (and the EHLO reply), mail_params.h (smtp_proto.c smtp_helo()). */
  smtp_helo_timeout: number;
  /** Default yes: a 5xx greeting is treated as 4xx and the next MX is tried. */
  smtp_skip_5xx_greeting: boolean;
  /** Default 5 addresses per delivery attempt, mail_params.h line 299. */
  smtp_mx_address_limit: number;
  /** Sessions past the greeting per delivery attempt; the one that reaches it is the last. Default 2 (smtp_connect.c). */
  smtp_mx_session_limit: number;
  /** Deliveries in flight to a new destination queue. Default 5 (mail_params.h DEF_INIT_DEST_CONC). */
  initial_destination_concurrency: number;
  /** The most deliveries in flight to one destination; 0 = no limit. Default 20 (DEF_DEST_CON_LIMIT). */
  default_destination_concurrency_limit: number;
  /** Failed pseudo-cohorts after which a destination is dead; 0 = never. Default 1 (DEF_CONC_COHORT_LIM). */
  default_destination_concurrency_failed_cohort_limit: number;
  /** Cache sessions of a destination with a backlog (qmgr asks for it). Default yes (DEF_SMTP_CACHE_DEMAND). */
  smtp_connection_cache_on_demand: boolean;
  /** How long a cached session may wait idle for its next delivery. Default 2 s (DEF_SMTP_CACHE_TIME). */
  smtp_connection_cache_time_limit: number;
  /** A session is not cached again once this old. Default 300 s (DEF_SMTP_REUSE_TIME). */
  smtp_connection_reuse_time_limit: number;
}

export const POSTFIX_DEFAULTS: PostfixProfile = {
  mta: "postfix",
  minimal_backoff_time: 300,
  maximal_backoff_time: 4000,
  queue_run_delay: 300,
  queue_run_phase: 0,
  maximal_queue_lifetime: 432000,
  delay_warning_time: 0,
  smtp_connect_timeout: 30,
  smtp_helo_timeout: 300,
  smtp_skip_5xx_greeting: true,
  smtp_mx_address_limit: 5,
  smtp_mx_session_limit: 2,
  initial_destination_concurrency: 5,
  default_destination_concurrency_limit: 20,
  default_destination_concurrency_failed_cohort_limit: 1,
  smtp_connection_cache_on_demand: true,
  smtp_connection_cache_time_limit: 2,
  smtp_connection_reuse_time_limit: 300,
};

/**
 * qmgr_active_done_3_generic() (qmgr_active.c 543–571): the message is
 * eligible again at t_done + clamp(age, minimal, maximal backoff), where age
 * is measured at t_done; it is then picked up by the first deferred-queue
 * scan at or after eligible − 1 (qmgr_active.c line 206 skips files with
 * mtime > now + 1).
 */
export function postfixNextAttempt(p: PostfixProfile, birth: number, done: number): number {
  const age = done - birth;
  const delay = Math.min(Math.max(age, p.minimal_backoff_time), p.maximal_backoff_time);
  return runAtOrAfter(done + delay - 1, p.queue_run_delay, p.queue_run_phase);
}

/** Expiry is checked after a deferred attempt: event_time ≥ create_time + lifetime. */
export function postfixExpired(p: PostfixProfile, birth: number, done: number): boolean {
  return done >= birth + p.maximal_queue_lifetime;
}

/**
 * qmgr's in-core destination queues of one node (qmgr_queue.c, qmgr_entry.c,
 * qmgr_deliver.c; postfix-3.12, the same logic as 3.7): one per destination
 * (the recipient domain) while mail for it is in the active queue.
 *
 * - At most `window` deliveries are in flight (qmgr_peer.c qmgr_peer_select:
 *   `window > busy_refcount`); the others wait in the queue's todo list, first
 *   in first out. The window starts at initial_destination_concurrency.
 * - A delivery that ends without a site failure (delivered, bounced, or
 *   deferred with every host tried past the greeting, e.g. RCPT 4xx) is
 *   positive feedback (qmgr_queue_unthrottle): the failed-cohort count is
 *   zeroed, and the window grows by 1 while window < busy + initial
 *   concurrency, up to default_destination_concurrency_limit.
 * - A site failure (every host failed at connect or greeting; smtp_trouble.c
 *   smtp_bulk_fail sets a hop status only then) is negative feedback
 *   (qmgr_queue_throttle): the count grows by 1/window, and the window falls
 *   through the "overshoot" loop with the default feedback of 1 (the first
 *   failure of a cycle costs 2: 5 → 3 → 2). When the count reaches
 *   default_destination_concurrency_failed_cohort_limit the destination is
 *   dead: its todo list is deferred at once without a connection
 *   ("delivery temporarily suspended", qmgr_defer_todo), and so is every
 *   message for it until the timer of minimal_backoff_time (whole seconds from
 *   the killing failure) fires, or a delivery still in flight succeeds, or a
 *   flush (postqueue -f) revives it. Failures reported while dead change nothing.
 * - A live queue and its counts are deleted when nothing for the destination
 *   is waiting or in flight (qmgr_entry_done): a lone failing message never
 *   kills a destination. A dead one stays until its timer.
 */
export class PostfixDestinations extends NoMemory {
  override readonly features = GATES | SESSIONS;
  private readonly window: Int32Array;
  private readonly busy: Int32Array;
  private readonly success: Float64Array;
  private readonly failure: Float64Array;
  private readonly cohorts: Float64Array;
  /** 0: alive; otherwise dead until this time. */
  private readonly deadUntil: Float64Array;
  private readonly todo: number[][];
  private readonly todoHead: Int32Array;
  /** qmgr_transport_create(): the initial concurrency never exceeds a non-zero limit. */
  private readonly initial: number;
  /** When a delivery to the destination last ended (qmgr_entry_done's last_done), and the queue's cache flags (dflags). */
  private readonly lastDone: Float64Array;
  private readonly dflags: Uint8Array;
  /** The flags of the delivery selected last. */
  private selected = 0;
  /** scache: sessions left by deliveries, per destination (the next-hop label), newest last, with when each goes idle out. */
  private readonly cache = new Map<number, (CachedSession & { until: number })[]>();

  constructor(
    private readonly p: PostfixProfile,
    domains: number,
  ) {
    super();
    const limit = p.default_destination_concurrency_limit;
    this.initial = limit > 0 ? Math.min(p.initial_destination_concurrency, limit) : p.initial_destination_concurrency;
    this.window = new Int32Array(domains).fill(this.initial);
    this.busy = new Int32Array(domains);
    this.success = new Float64Array(domains);
    this.failure = new Float64Array(domains);
    this.cohorts = new Float64Array(domains);
    this.deadUntil = new Float64Array(domains);
    this.todo = Array.from({ length: domains }, () => []);
    this.todoHead = new Int32Array(domains);
    this.lastDone = new Float64Array(domains).fill(-Infinity);
    this.dflags = new Uint8Array(domains);
  }

  /** The queue's concurrency window now (0 while dead). */
  windowOf(d: number, now: number): number {
    this.wake(d, now);
    return this.deadUntil[d]! > 0 ? 0 : this.window[d]!;
  }

  /** Deliveries to `d` in flight. */
  inFlight(d: number): number {
    return this.busy[d]!;
  }

  isDead(d: number, now: number): boolean {
    this.wake(d, now);
    return this.deadUntil[d]! > 0;
  }

  admit(m: number, d: number, now: number): number {
    this.wake(d, now);
    if (this.deadUntil[d]! > 0) return SUSPEND;
    if (this.busy[d]! < this.window[d]! && this.waiting(d) === 0) {
      this.select(d, now);
      return RUN;
    }
    this.todo[d]!.push(m);
    return WAIT;
  }

  completed(d: number, now: number, siteFailure: boolean): void {
    this.wake(d, now);
    if (siteFailure) this.throttle(d, now);
    else this.unthrottle(d);
    this.busy[d]!--;
    this.lastDone[d] = now;
    if (this.deadUntil[d] === 0 && this.busy[d] === 0 && this.waiting(d) === 0) this.reset(d);
  }

  nextReady(d: number, now: number): number {
    if (this.deadUntil[d]! > 0 || this.busy[d]! >= this.window[d]! || this.waiting(d) === 0) return -1;
    this.select(d, now);
    return this.take(d);
  }

  sessionFlags(_retry: boolean, _now: number): number {
    return this.selected;
  }

  /**
   * smtp_reuse_session(): a delivery with LOAD first looks for a session saved under the next-hop name,
   * which binds the first good session of each delivery, whatever its host: so from the third cohort of
   * a backlog deliveries go straight to the host that works, past a dead or silent better MX.
   */
  takeSession(d: number, now: number, out: CachedSession): boolean {
    const list = this.cache.get(d);
    if (list === undefined || (this.selected & LOAD) === 0) return false;
    while (list.length > 0) {
      const s = list.pop()!;
      if (now > s.until) continue;
      out.conn = s.conn;
      out.host = s.host;
      out.created = s.created;
      return true;
    }
    return false;
  }

  /** smtp_cleanup_session(): a session younger than smtp_connection_reuse_time_limit goes to the cache for smtp_connection_cache_time_limit. */
  saveSession(d: number, session: Readonly<CachedSession>, now: number): void {
    if (now > session.created + this.p.smtp_connection_reuse_time_limit) return;
    let list = this.cache.get(d);
    if (list === undefined) this.cache.set(d, (list = []));
    // Sessions idle past their limit are closed by scache; drop them before adding.
    while (list.length > 0 && now > list[0]!.until) list.shift();
    list.push({ ...session, until: now + this.p.smtp_connection_cache_time_limit });
  }

  /**
   * qmgr_entry_select(): the entry takes a slot, and the queue turns session caching on when a delivery is
   * selected within a second of the last one ending (BACK_TO_BACK, in whole seconds), and off (STORE only)
   * when neither that nor another delivery in flight holds. The first cohort of a new queue never caches.
   */
  private select(d: number, now: number): void {
    const busy = ++this.busy[d]!;
    if (!this.p.smtp_connection_cache_on_demand) return void (this.selected = 0);
    const backToBack = Math.floor(this.lastDone[d]!) + 1 >= Math.floor(now);
    if ((this.dflags[d]! & STORE) === 0) {
      if (backToBack) this.dflags[d]! |= LOAD | STORE;
    } else if (!(busy > 1 || backToBack)) this.dflags[d]! &= ~STORE;
    this.selected = this.dflags[d]!;
  }

  nextSuspended(d: number): number {
    return this.deadUntil[d]! > 0 && this.waiting(d) > 0 ? this.take(d) : -1;
  }

  /** postqueue -f revives every dead destination (qmgr_enable_all → qmgr_enable_queue). */
  flushed(): void {
    for (let d = 0; d < this.deadUntil.length; d++) if (this.deadUntil[d]! > 0) this.revive(d);
  }

  private waiting(d: number): number {
    return this.todo[d]!.length - this.todoHead[d]!;
  }

  private take(d: number): number {
    const list = this.todo[d]!;
    const m = list[this.todoHead[d]!++]!;
    if (this.todoHead[d] === list.length) {
      list.length = 0;
      this.todoHead[d] = 0;
    }
    return m;
  }

  /** The dead timer fires lazily: the first time the queue is looked at on or after it. */
  private wake(d: number, now: number): void {
    if (this.deadUntil[d]! > 0 && now >= this.deadUntil[d]!) this.revive(d);
  }

  /**
   * Back from dead (qmgr_queue_unthrottle_wrapper, and the THROTTLED branch of
   * qmgr_queue_unthrottle): an empty queue is deleted; otherwise it restarts at
   * the number of deliveries in flight.
   */
  private revive(d: number): void {
    this.deadUntil[d] = 0;
    if (this.busy[d] === 0 && this.waiting(d) === 0) return this.reset(d);
    this.window[d] = this.busy[d]! > 0 ? this.busy[d]! : this.initial;
    this.success[d] = this.failure[d] = this.cohorts[d] = 0;
  }

  /** qmgr_queue_done(): the queue and its counts are gone; the next message makes a fresh one. */
  private reset(d: number): void {
    this.window[d] = this.initial;
    this.success[d] = this.failure[d] = this.cohorts[d] = 0;
    this.lastDone[d] = -Infinity;
    this.dflags[d] = 0;
  }

  /** qmgr_queue_unthrottle(): positive feedback (the default feedback is the constant 1). */
  private unthrottle(d: number): void {
    this.cohorts[d] = 0;
    if (this.deadUntil[d]! > 0) {
      // A delivery in flight succeeded: the destination is alive again at once.
      this.deadUntil[d] = 0;
      this.window[d] = this.busy[d]! > 0 ? this.busy[d]! : this.initial;
      this.success[d] = this.failure[d] = 0;
      return;
    }
    const limit = this.p.default_destination_concurrency_limit;
    if ((limit === 0 || limit > this.window[d]!) && this.window[d]! < this.busy[d]! + this.initial) {
      const fb = 1;
      this.success[d]! += fb;
      while (this.success[d]! + fb / 2 >= 1) {
        this.window[d]!++;
        this.success[d]!--;
        this.failure[d] = 0;
      }
      if (limit > 0 && this.window[d]! > limit) this.window[d] = limit;
    }
  }

  /** qmgr_queue_throttle(): negative feedback, and death when the failed cohorts reach the limit. */
  private throttle(d: number, now: number): void {
    if (this.deadUntil[d]! > 0) return;
    const w = this.window[d]!;
    const limit = this.p.default_destination_concurrency_failed_cohort_limit;
    this.cohorts[d]! += 1 / w;
    if (limit > 0 && this.cohorts[d]! >= limit) {
      // event_request_timer(..., var_min_backoff_time): whole seconds of the event loop's clock.
      this.deadUntil[d] = Math.floor(now) + this.p.minimal_backoff_time;
      // Connection caching off (queue->dflags = 0).
      this.dflags[d] = 0;
      return;
    }
    const fb = 1;
    this.failure[d]! -= fb;
    // "Prepare for overshoot": the first failure of a cycle lowers the window by 2.
    while (this.failure[d]! - fb / 2 < 0) {
      this.window[d]!--;
      this.success[d] = 0;
      this.failure[d]!++;
    }
    if (this.window[d]! < 1) this.window[d] = 1;
  }
}

/** Postfix tries the next MX on any temporary error (smtp_connect.c, smtp_trouble.c). */
const POSTFIX_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // smtp_helo_timeout runs out: a soft failure of the session, and the client tries the next address (smtp_connect.c).
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  // smtp_skip_5xx_greeting (default yes): a 5xx greeting is treated as a temporary error at that host.
  "greeting-5xx": (p) => (p.smtp_skip_5xx_greeting ? MOVE_ON : FAIL),
  "rcpt-4xx": MOVE_ON,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<PostfixProfile>;

/** postfix's answers to the delivery's questions (mta-rules.ts). */
export const POSTFIX: MtaRules<PostfixProfile> = {
  defaults: POSTFIX_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "minimal_backoff_time", kind: dur(), description: "shortest wait between attempts (default 300s)", example: "300s" },
    { key: "maximal_backoff_time", kind: dur(), description: "longest wait between attempts (default 4000s)", example: "4000s" },
    { key: "queue_run_delay", kind: dur(), description: "how often the deferred queue is scanned (default 300s)", example: "300s" },
    { key: "queue_run_phase", kind: dur(0), description: "mxsim: when the first scan happens after the start (default 0s)", example: "0s" },
    { key: "maximal_queue_lifetime", kind: long("d", 0), description: "bounce after this long, at the next failed attempt (default 5d)", example: "5d" },
    { key: "delay_warning_time", kind: long("h", 0), description: "send one delay warning after this long; 0 = never (default 0)", example: "4h" },
    { key: "smtp_connect_timeout", kind: dur(), description: "wait for a TCP connection (default 30s)", example: "30s" },
    { key: "smtp_helo_timeout", kind: dur(), description: "wait for the greeting and the EHLO reply (default 300s)", example: "300s" },
    { key: "smtp_skip_5xx_greeting", kind: bool, description: "treat a 5xx greeting as 4xx and try the next MX (default true)", example: true },
    { key: "smtp_mx_address_limit", kind: count(), description: "addresses tried per attempt (default 5)", example: 5 },
    {
      key: "smtp_mx_session_limit",
      kind: count(),
      description: "sessions past the greeting per attempt (a 4xx to RCPT uses one); the host that reaches it is the last (default 2)",
      example: 2,
    },
    { key: "initial_destination_concurrency", kind: count(), description: "deliveries in flight to a destination at first (default 5)", example: 5 },
    { key: "default_destination_concurrency_limit", kind: count(0), description: "most deliveries in flight to one destination; 0 = no limit (default 20)", example: 20 },
    {
      key: "default_destination_concurrency_failed_cohort_limit",
      kind: count(0),
      description: "failed pseudo-cohorts (each site failure adds 1/window) that make a destination dead; 0 = never (default 1)",
      example: 1,
    },
    {
      key: "smtp_connection_cache_on_demand",
      kind: bool,
      description: "reuse SMTP sessions while a destination has a backlog (default true)",
      example: true,
    },
    { key: "smtp_connection_cache_time_limit", kind: dur(), description: "how long a cached session waits idle (default 2s)", example: "2s" },
    { key: "smtp_connection_reuse_time_limit", kind: dur(), description: "a session older than this is closed, not cached again (default 300s)", example: "300s" },
  ],
  // qmgr clamps a deferred message's delay between the two (qmgr_active.c): a minimum above the maximum is no range.
  check: (p) =>
    p.minimal_backoff_time > p.maximal_backoff_time
      ? [{ key: "minimal_backoff_time", message: "minimal_backoff_time is longer than maximal_backoff_time; make it shorter or equal" }]
      : [],
  info: {
    flush: "postqueue -f",
    route: (domain, host) => `transport_maps: ${domain} smtp:[${host}]`,
    name: "Postfix",
    title: "Postfix 2.4+ / 3.x",
    description:
      "Next eligible at t_done + clamp(age, 300 s, 4000 s), picked up by the deferred-queue scan every 300 s; " +
      "maximal_queue_lifetime 5 days, checked after a failed attempt. Tries the next MX on any temporary error, " +
      "including 4xx and (by default) 5xx greetings. At most 5 deliveries to a destination are in flight at first (up to 20 " +
      "as deliveries succeed); each site failure (every MX failed at connect or greeting) narrows the window, and after " +
      "failures worth one cohort (the third in a row from 5) the destination is dead for 300 s: the messages waiting for " +
      "it and those that come are deferred without a connection. A lone failing message never kills a destination. " +
      "Delay warnings off unless delay_warning_time is set.",
    source: "qmgr_active.c, qmgr.c, qmgr_queue.c, qmgr_entry.c, qmgr_deliver.c, smtp_connect.c, smtp_trouble.c",
    suspends: 'the destination is dead after a cohort of site failures ("delivery temporarily suspended")',
    holds: "the destination already had as many deliveries in flight as its concurrency window allows, so the message stayed in the queue until one of them ended",
  },
  connectTimeout: (p) => p.smtp_connect_timeout,
  greetingTimeout: (p) => p.smtp_helo_timeout,
  addressLimit: (p) => p.smtp_mx_address_limit,
  // smtp_connect_inet(): "if (++sess_count == var_smtp_mxsess_limit) next = 0", so that session's server is final;
  // handshake errors do not count ("Don't count handshake errors towards the session limit").
  sessionLimit: (p) => p.smtp_mx_session_limit,
  failover: POSTFIX_FAILOVER,
  giveUpAfter: (p) => p.maximal_queue_lifetime,
  givesUp: (p, _walk, birth, _start, done) => (postfixExpired(p, birth, done) ? "lifetime" : undefined),
  expiresAt: noTimer,
  nextAttempt: (p, birth, _start, done) => postfixNextAttempt(p, birth, done),
  // The first deferred attempt with event_time ≥ warn_time − 1; one warning only.
  delayWarningAt: (p, _walk, birth, done, _next, warned) =>
    p.delay_warning_time > 0 && warned === 0 && done - birth >= p.delay_warning_time - 1 ? done : NaN,
  memory: (p, node) => new PostfixDestinations(p, node.domains),
  // Six numbers and an empty todo list per destination; the waiting messages are counted in the message table's estimate.
  memoryBytes: (node) => 80 * node.domains,
};
