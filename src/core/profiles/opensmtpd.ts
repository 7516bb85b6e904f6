/**
 * OpenSMTPD 7.8: retries on a 400·n² grid, expiry by timer with no final
 * attempt, described in docs/model.md#opensmtpd.
 */
import { type CachedSession, count, dur, type FailoverTable, LOAD, long, type MtaRules, SESSIONS, neverGivesUp, NoMemory, noLimit, STORE } from "../mta-rules.js";
import { FAIL, MOVE_ON, STAY } from "./common.js";

export interface OpensmtpdProfile {
  mta: "opensmtpd";
  /** `queue ttl`, default 4d (smtpd.h line 62). */
  queue_ttl: number;
  /** BACKOFF_TRANSFER, 400 s (scheduler_ramqueue.c line 161). */
  backoff_transfer: number;
  /** `bounce warn-interval`, default one warning at 4h; 0 = none (config.c line 76). */
  bounce_warn_interval: number;
  /** Connect timeout: 300 s, io_set_timeout(s->io, 300000) in mta_connect() (mta_session.c line 540). */
  connect_timeout: number;
  /** `mta limit session-mail-max`: messages one session carries, default 100 (limit.c limit_mta_set_defaults()). */
  session_mail_max: number;
  /** `mta limit session-keepalive`: seconds a relay's last session waits idle for more work, default 10 (limit.c). */
  session_keepalive: number;
}

export const OPENSMTPD_DEFAULTS: OpensmtpdProfile = {
  mta: "opensmtpd",
  queue_ttl: 345600,
  backoff_transfer: 400,
  bounce_warn_interval: 14400,
  connect_timeout: 300,
  session_mail_max: 100,
  session_keepalive: 10,
};

/**
 * The sessions of one node (mta_session.c): after a message is accepted the
 * session returns to READY and takes the next task of its relay (the
 * destination domain, mta_route_next_task()), whatever host it is on, until it
 * has carried session_mail_max messages (msgcount counts 2xx only); with no
 * task left a relay's only session waits session_keepalive seconds for one.
 * mxsim keeps one such session per destination (OpenSMTPD may open several in
 * parallel, up to its per-route limits): a message that comes while it waits
 * goes down it.
 */
export class OpensmtpdSessions extends NoMemory {
  override readonly features = SESSIONS;
  /** Per destination: its session waiting for work, and until when. */
  private readonly open = new Map<number, CachedSession & { until: number }>();
  /** Per session (connection number): the messages it has carried. */
  private readonly carried = new Map<number, number>();

  constructor(private readonly p: OpensmtpdProfile) {
    super();
  }

  sessionFlags(): number {
    return this.p.session_mail_max > 1 ? LOAD | STORE : 0;
  }

  takeSession(d: number, now: number, out: CachedSession): boolean {
    const s = this.open.get(d);
    if (s === undefined) return false;
    this.open.delete(d);
    if (now > s.until) {
      this.carried.delete(s.conn);
      return false;
    }
    out.conn = s.conn;
    out.host = s.host;
    out.created = s.created;
    return true;
  }

  saveSession(d: number, session: Readonly<CachedSession>, now: number): void {
    const count = (this.carried.get(session.conn) ?? 0) + 1;
    // MTA_READY sends QUIT once msgcount reaches session-mail-max.
    if (count >= this.p.session_mail_max) {
      this.carried.delete(session.conn);
      this.open.delete(d);
      return;
    }
    this.carried.set(session.conn, count);
    this.open.set(d, { conn: session.conn, host: session.host, created: session.created, until: now + this.p.session_keepalive });
  }
}

/**
 * scheduler_next() (scheduler_ramqueue.c 161–181): the first point of
 * birth + base·n² that lies after `now`.
 */
export function opensmtpdNextAttempt(p: OpensmtpdProfile, birth: number, now: number): number {
  let n = Math.max(1, Math.floor(Math.sqrt(Math.max(0, now - birth) / p.backoff_transfer)));
  while (birth + p.backoff_transfer * n * n <= now) n++;
  return birth + p.backoff_transfer * n * n;
}

/** OpenSMTPD: the next MX after a failed connection or an error banner; a 4xx to RCPT waits. */
const OPENSMTPD_FAILOVER = {
  refused: MOVE_ON,
  timeout: MOVE_ON,
  // The session ends at the I/O timeout; the same envelopes go to the next MX (mta_session.c, mta.c).
  silent: MOVE_ON,
  "greeting-4xx": MOVE_ON,
  "greeting-5xx": MOVE_ON,
  "rcpt-4xx": STAY,
  "reject-5xx": FAIL,
} as const satisfies FailoverTable<OpensmtpdProfile>;

/** opensmtpd's answers to the delivery's questions (mta-rules.ts). */
export const OPENSMTPD: MtaRules<OpensmtpdProfile> = {
  defaults: OPENSMTPD_DEFAULTS,
  /** The settings a scenario may override, under the names the MTA's own configuration uses. */
  settings: [
    { key: "queue_ttl", kind: long("d", 1), description: "queue ttl: expire after exactly this long, with no last attempt (default 4d)", example: "4d" },
    { key: "backoff_transfer", kind: dur(), description: "the retry grid's base: attempts at base·n² (default 400s)", example: "400s" },
    { key: "bounce_warn_interval", kind: long("h", 0), description: "bounce warn-interval: one delay warning after this long; 0 = never (default 4h)", example: "4h" },
    { key: "connect_timeout", kind: dur(), description: "the session's I/O timeout: the wait for the TCP connection, and for the greeting (default 300s, mta_session.c)", example: "300s" },
    { key: "session_mail_max", kind: count(1), description: "mta limit session-mail-max: messages one session carries (default 100)", example: 100 },
    { key: "session_keepalive", kind: dur(0), description: "mta limit session-keepalive: how long a destination's last session waits for more mail (default 10s)", example: "10s" },
  ],
  info: {
    flush: "smtpctl schedule all",
    route: (domain, host) => `smtpd.conf: action "relay" relay host smtp://${host} and match for domain ${domain} action "relay"`,
    name: "OpenSMTPD",
    title: "OpenSMTPD 7.8",
    description:
      "Retries on a 400·n² grid (0, 400, 1600, 3600 s, ...); expires at exactly 4 days with no final attempt; one delay " +
      "warning at 4 hours. Tries the next MX after a failed connection or a 4xx/5xx banner; a 4xx to RCPT " +
      "(greylisting) is retried later, not on another MX. Connect timeout 300 s. A session carries up to 100 messages " +
      "for its destination and waits 10 s for more.",
    source: "scheduler_ramqueue.c scheduler_next(), scheduler.c, mta_session.c, mta.c, limit.c limit_mta_set_defaults()",
  },
  connectTimeout: (p) => p.connect_timeout,
  // One I/O timeout covers the connection and the banner (mta_session.c, 300 s hard-coded).
  greetingTimeout: (p) => p.connect_timeout,
  addressLimit: noLimit,
  failover: OPENSMTPD_FAILOVER,
  // Expires by timer, with no final attempt.
  giveUpAfter: (p) => p.queue_ttl,
  givesUp: neverGivesUp,
  expiresAt: (p, birth) => birth + p.queue_ttl,
  nextAttempt: (p, birth, _start, done) => opensmtpdNextAttempt(p, birth, done),
  // A tempfail whose next try is at or after creation + 4h; timestamp creation + 4h (scheduler.c 206–214, O3).
  delayWarningAt: (p, _walk, birth, _done, next, warned) =>
    p.bounce_warn_interval > 0 && warned === 0 && next >= birth + p.bounce_warn_interval ? birth + p.bounce_warn_interval : NaN,
  memory: (p) => new OpensmtpdSessions(p),
  // One waiting session per destination.
  memoryBytes: (node) => 64 * node.domains,
};
