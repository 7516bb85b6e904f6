/**
 * Exim retry rules and hints, and the memories a sending MTA keeps of hosts
 * (qmail tcpto, Exim retry hints, Postfix dead destinations).
 *
 * Expected values are worked out here from the cited rules, never by calling
 * the function under test:
 * - Exim retry rule syntax: spec "Retry configuration" (SECID163) and
 *   readconf.c (the rule letter goes through toupper(); sets are joined by ';'),
 *   docs/model.md#exim; default rule from configure.default line 943.
 * - retry_update() steps (retry.c 579–890, docs/model.md#exim), and
 *   retry_data_expire "older retry data is ignored" (SECID165, docs/model.md#exim).
 * - qmail tcpto.c (docs/model.md#qmail): only timeouts count; a timeout
 *   less than 120 s after the previous one is not counted (line 102); count >= 2
 *   skips while now − last < (60 + (pid & 31)) << 6; refusal/success resets.
 */
import { describe, expect, it } from "vitest";
import { FAILURE_MODES } from "../../src/core/model.js";
import { attemptsOf, notificationsOf } from "../../src/core/records.js";
import { simulate } from "../../src/core/simulate.js";
import { model } from "../helpers.js";
import {
  EXIM,
  EXIM_DEFAULTS,
  EximHints,
  eximIsHostError,
  eximSkips,
  eximUpdateHint,
  type EximProfile,
  type HostHint,
} from "../../src/core/profiles/exim.js";
import { parseRetryRule } from "../../src/scenario/exim-retry.js";
import { POSTFIX, POSTFIX_DEFAULTS, PostfixDestinations } from "../../src/core/profiles/postfix.js";
import { QMAIL, QMAIL_DEFAULTS, QmailTcpto } from "../../src/core/profiles/qmail.js";

/** The default rule text, configure.default line 943 (docs/model.md#exim). */
const DEFAULT_RULE = "F,2h,15m; G,16h,1h,1.5; F,4d,6h";
const NOT_A_SET = (part: string) =>
  `"${part}" is not a retry parameter set; write F,<cutoff>,<interval> or G,<cutoff>,<start>,<multiplier>, e.g. ${DEFAULT_RULE}`;
const EMPTY = `an empty retry rule means no retries; write e.g. ${DEFAULT_RULE}`;
const NOT_GROWING = `the cutoffs of a retry rule must grow from one set to the next; write e.g. ${DEFAULT_RULE}`;

/**
 * A strict duration table for the tests: exact strings only (no spaces), so
 * the tests see whether parseRetryRule trims fields itself. "-5m" stands for
 * a lenient duration parser that lets a negative value through.
 */
const SECONDS: Record<string, number> = {
  "0s": 0,
  "-5m": -300,
  "5m": 300,
  "15m": 900,
  "30m": 1800,
  "1h": 3600,
  "2h": 7200,
  "6h": 21600,
  "16h": 57600,
  "4d": 345600,
};
const dur = (s: string): number | undefined => (Object.hasOwn(SECONDS, s) ? SECONDS[s] : undefined);
const parse = (text: string) => parseRetryRule(text, dur);

/** The rules the default text stands for: 2h = 7200, 15m = 900, 16h = 57600, 1h = 3600, 1.5 → 1500, 4d = 345600, 6h = 21600. */
const DEFAULT_RULES = [
  { kind: "F", cutoff: 7200, p1: 900, p2: 0 },
  { kind: "G", cutoff: 57600, p1: 3600, p2: 1500 },
  { kind: "F", cutoff: 345600, p1: 21600, p2: 0 },
];

describe("parseRetryRule: Exim's F,<cutoff>,<interval> and G,<cutoff>,<start>,<multiplier> sets (spec SECID163, readconf.c)", () => {
  it("reads the default rule, with set letters in lower case (readconf.c: rule->rule = toupper(*p++))", () => {
    expect(parse("f,2h,15m; g,16h,1h,1.5; F,4d,6h")).toEqual({ ok: true, rules: DEFAULT_RULES });
  });

  it("allows spaces around sets and fields (readconf.c skips isspace around ';')", () => {
    expect(parse("  F , 2h , 15m ;G, 16h, 1h, 1.5  ;   F,4d,6h  ")).toEqual({ ok: true, rules: DEFAULT_RULES });
  });

  it("ignores a trailing ';', also one followed by spaces, and empty sets between ';;'", () => {
    expect(parse("F,2h,15m;")).toEqual({ ok: true, rules: [DEFAULT_RULES[0]] });
    expect(parse("F,2h,15m; ")).toEqual({ ok: true, rules: [DEFAULT_RULES[0]] });
    expect(parse("F,2h,15m; ;  ; G,16h,1h,1.5")).toEqual({ ok: true, rules: DEFAULT_RULES.slice(0, 2) });
  });

  it.each([
    ["2", 2000],
    ["10", 10000],
    ["1.25", 1250],
    ["1.125", 1125],
    ["1.5", 1500],
  ])("reads the G multiplier %s as %d thousandths (retry.c integer arithmetic; readconf_readfixed takes up to 3 decimals)", (m, p2) => {
    expect(parse(`G,16h,1h,${m}`)).toEqual({ ok: true, rules: [{ kind: "G", cutoff: 57600, p1: 3600, p2 }] });
  });

  it.each(["1.5x", ".5", "1.2345", "-1.5", "x1.5", "1.", "1.a", "1.5.0", ""])(
    "rejects the G multiplier %j and says what to write",
    (m) => {
      const set = `G,16h,1h,${m}`;
      expect(parse(`F,2h,15m; ${set}`)).toEqual({
        ok: false,
        message: `"${set}": the multiplier must be a number of at least 1 with up to 3 decimals, e.g. 1.5`,
      });
    },
  );

  // readconf.c readconf_retries(): "bad parameters for retry rule" when timeout <= 0, p1 <= 0 or a G's p2 < 1000.
  it.each(["G,16h,1h,0.5", "G,16h,1h,0.999", "G,16h,1h,0"])("rejects %s: a multiplier below 1 (readconf.c)", (set) => {
    expect(parse(`F,2h,15m; ${set}`)).toEqual({ ok: false, message: "a G multiplier below 1 makes the intervals shrink (Exim rejects it); write e.g. G,16h,1h,1.5" });
  });

  it("rejects a zero cutoff (readconf.c) and accepts a multiplier of exactly 1", () => {
    expect(parse("F,0s,15m")).toMatchObject({ ok: false, message: expect.stringMatching(/^a retry cutoff must be longer than 0 s/) });
    expect(parse("G,16h,1h,1")).toEqual({ ok: true, rules: [{ kind: "G", cutoff: 57600, p1: 3600, p2: 1000 }] });
  });

  it.each([
    ["F,2h", "F with a cutoff only"],
    ["F", "a letter only"],
    ["F,2h,15m,5m", "F with four fields"],
    ["G,16h,1h", "G with three fields"],
    ["G,16h,1h,1.5,2", "G with five fields"],
    ["X,2h,15m", "an unknown letter with F's fields"],
    ["X,16h,1h,1.5", "an unknown letter with G's fields"],
    ["H,16h,1h,1.5", "H (randomised), which mxsim does not model"],
    ["F2h,15m", "no comma after the letter"],
  ])("rejects %j (%s) and says what to write", (set) => {
    expect(parse(`F,2h,15m; ${set} ; F,4d,6h`)).toEqual({ ok: false, message: NOT_A_SET(set) });
  });

  it.each([
    ["F,2h,0s", "a zero F interval"],
    ["F,2h,-5m", "a negative F interval"],
    ["G,16h,0s,1.5", "a zero G start"],
    ["G,16h,-5m,1.5", "a negative G start"],
    ["F,2h,2 h", "an interval that is not a duration"],
    ["F,later,15m", "a cutoff that is not a duration"],
  ])("rejects %j (%s; readconf.c: p1 <= 0 is 'bad parameters for retry rule')", (set) => {
    expect(parse(set)).toEqual({ ok: false, message: NOT_A_SET(set) });
  });

  it("quotes the offending set trimmed of the spaces around it", () => {
    expect(parse("F,2h,15m;   X,1h  ")).toEqual({ ok: false, message: NOT_A_SET("X,1h") });
  });

  it("quotes the offending set with the caller's show()", () => {
    expect(parseRetryRule("F,2h,15m; F,2h", dur, (s) => `«${s}»`)).toEqual({
      ok: false,
      message: `«F,2h» is not a retry parameter set; write F,<cutoff>,<interval> or G,<cutoff>,<start>,<multiplier>, e.g. ${DEFAULT_RULE}`,
    });
  });

  it.each(["", "   ", ";", " ; ;; "])(
    "rejects the empty rule %j: an empty retry section means no retries (spec SECID57, docs/model.md#exim)",
    (text) => {
      expect(parse(text)).toEqual({ ok: false, message: EMPTY });
    },
  );

  it.each([
    ["F,2h,15m; F,1h,5m", "falling"],
    ["F,2h,15m; G,2h,1h,1.5", "equal"],
    ["F,2h,15m; G,16h,1h,1.5; F,16h,6h", "equal in the third set"],
    ["F,2h,15m; G,16h,1h,1.5; F,1h,6h", "falling in the third set"],
  ])("rejects %j (cutoffs %s): retry.c takes the first set with failing_interval <= cutoff, so such a set is never used", (text) => {
    expect(parse(text)).toEqual({ ok: false, message: NOT_GROWING });
  });

  it("asks the duration parser only about fields that are written (its parameter is a string)", () => {
    const asked: unknown[] = [];
    const strict = (s: string) => {
      asked.push(s);
      if (typeof s !== "string") throw new TypeError("duration asked about a missing field");
      return dur(s);
    };
    expect(parseRetryRule("F", strict)).toEqual({ ok: false, message: NOT_A_SET("F") });
    expect(parseRetryRule("F,2h", strict)).toEqual({ ok: false, message: NOT_A_SET("F,2h") });
    expect(asked.every((s) => typeof s === "string")).toBe(true);
  });
});

/** A hint as retry.c would hold it (docs/model.md#exim). */
const hint = (firstFailed: number, lastTry: number, nextTry: number): HostHint => ({ firstFailed, lastTry, nextTry, expired: false });

describe("eximUpdateHint / eximSkips: retry.c retry_update() and retry_data_expire (docs/model.md#exim)", () => {
  it("G rule, a try before the hint time: lastgap = min(next_try − last_try, now − last_try) (retry.c 868–876, docs/model.md#exim)", () => {
    // Host first failed at 0; the last try at 37350 set next_try 55575 (docs/model.md#exim).
    // A try at 50000 (early, e.g. a forced run): lastgap = min(18225, 12650) = 12650,
    // which is >= the 1h start, so the interval is 12650 · 1500 / 1000 = 18975.
    const h = hint(0, 37350, 55575);
    eximUpdateHint(EXIM_DEFAULTS, h, 50000);
    expect(h).toEqual({ firstFailed: 0, lastTry: 50000, nextTry: 50000 + 18975, expired: false });
  });

  it("G rule, an early try whose lastgap is under the start uses the start (retry.c 868–876)", () => {
    // last try 8100, next 11700; try at 9000: lastgap = min(3600, 900) = 900 < 3600 → +3600.
    const h = hint(0, 8100, 11700);
    eximUpdateHint(EXIM_DEFAULTS, h, 9000);
    expect(h.nextTry).toBe(9000 + 3600);
  });

  it("retry_data_expire: a hint exactly that old is still used; one second older is ignored (SECID165: older data is ignored)", () => {
    // retry_data_expire 10m shorter than the 15m interval, so the boundary is inside the retry window.
    const p: EximProfile = { ...EXIM_DEFAULTS, retry_data_expire: 600 };
    const h = hint(0, 0, 900);
    expect(eximSkips(p, h, 599)).toBe(true);
    expect(eximSkips(p, h, 600)).toBe(true);
    expect(eximSkips(p, h, 601)).toBe(false);
  });

  it("skips a host until its retry time, not at it (docs/model.md#exim: not tried again until its retry time arrives)", () => {
    const h = hint(0, 1000, 1900);
    expect(eximSkips(EXIM_DEFAULTS, h, 1899)).toBe(true);
    expect(eximSkips(EXIM_DEFAULTS, h, 1900)).toBe(false);
  });
});

/** Node n's qmail-remote draws pid bits PID_BITS[n]; the stream gives u with floor(u · 32) = bits. */
const PID_BITS = [0, 31, 16];
/** tcpto.c: skipped while now − last < (60 + (pid & 31)) << 6 → 3840, 5824, 4864 s. */
const SKIP = PID_BITS.map((b) => (60 + b) * 64);
/**
 * The memories of `nodes` nodes, made by each MTA's own factory (qmail's draws node n's pid bits from
 * the node's stream), addressed as (node, host) or (node, domain).
 */
function memory(nodes = 3, servers = 2) {
  const node = (n: number) => ({ servers, domains: 2, stream: () => () => (PID_BITS[n]! + 0.5) / 32 });
  const each = <T>(make: (n: number) => T) => Array.from({ length: nodes }, (_, n) => make(n));
  const tcpto = each((n) => QMAIL.memory(QMAIL_DEFAULTS, node(n)) as QmailTcpto);
  const hints = each((n) => EXIM.memory(EXIM_DEFAULTS, node(n)) as EximHints);
  const dead = each((n) => POSTFIX.memory(POSTFIX_DEFAULTS, node(n)) as PostfixDestinations);
  return {
    tcptoTimeout: (n: number, host: number, now: number) => tcpto[n]!.timedOut(host, now),
    tcptoSkips: (n: number, host: number, now: number) => tcpto[n]!.skipsHost(host, now),
    tcptoReset: (n: number, host: number) => tcpto[n]!.reset(host),
    hint: (n: number, host: number) => hints[n]!.hint(host),
    clearHint: (n: number, host: number) => hints[n]!.accepted(host),
    /** Three deliveries to `domain` in flight from a fresh queue (window 5) all end in site failures at `at`: 1/5 + 1/3 + 1/2 ≥ 1. */
    kill: (n: number, domain: number, at: number) => {
      for (let k = 0; k < 3; k++) dead[n]!.admit(k, domain, at, false);
      for (let k = 0; k < 3; k++) dead[n]!.completed(domain, at, true);
    },
    isDead: (n: number, domain: number, now: number) => dead[n]!.isDead(domain, now),
    reviveAll: (n: number) => dead[n]!.flushed(),
  };
}

describe("HostMemory tcpto: qmail's memory of hosts that timed out (tcpto.c, docs/model.md#qmail)", () => {
  it("one timeout does not make a host skipped (tcpto.c line 53: record[4] >= 2)", () => {
    const m = memory();
    m.tcptoTimeout(0, 1, 1000);
    expect(m.tcptoSkips(0, 1, 1000)).toBe(false);
    expect(m.tcptoSkips(0, 1, 1001)).toBe(false);
  });

  it("after two timeouts the host is skipped for (60 + (pid & 31)) << 6 s counted from the last timeout", () => {
    const m = memory();
    m.tcptoTimeout(0, 1, 10000);
    m.tcptoTimeout(0, 1, 10200);
    expect(m.tcptoSkips(0, 1, 10200)).toBe(true);
    expect(m.tcptoSkips(0, 1, 10201)).toBe(true);
    expect(m.tcptoSkips(0, 1, 10200 + SKIP[0]! - 1)).toBe(true);
    expect(m.tcptoSkips(0, 1, 10200 + SKIP[0]!)).toBe(false);
    expect(m.tcptoSkips(0, 1, 10200 + SKIP[0]! + 1000)).toBe(false);
  });

  it("each node skips for its own pid bits: 3840 s, 5824 s and 4864 s for pid bits 0, 31 and 16", () => {
    const m = memory();
    for (let n = 0; n < 3; n++) {
      m.tcptoTimeout(n, 0, 50000);
      m.tcptoTimeout(n, 0, 50120);
      expect(m.tcptoSkips(n, 0, 50120 + SKIP[n]! - 1), `node ${n}`).toBe(true);
      expect(m.tcptoSkips(n, 0, 50120 + SKIP[n]!), `node ${n}`).toBe(false);
    }
    expect(SKIP).toEqual([3840, 5824, 4864]);
  });

  it("a timeout less than 120 s after the previous one is not counted, and does not move the last time (tcpto.c line 102)", () => {
    const m = memory();
    m.tcptoTimeout(0, 0, 5000);
    m.tcptoTimeout(0, 0, 5119); // 119 s later: ignored
    expect(m.tcptoSkips(0, 0, 5119)).toBe(false);
    m.tcptoTimeout(0, 0, 5150); // 150 s after the counted one at 5000 (31 s after the ignored one): counted
    expect(m.tcptoSkips(0, 0, 5150)).toBe(true);
    expect(m.tcptoSkips(0, 0, 5150 + SKIP[0]! - 1)).toBe(true);
    expect(m.tcptoSkips(0, 0, 5150 + SKIP[0]!)).toBe(false);
  });

  it("a timeout exactly 120 s after the previous one is counted (tcpto.c: ignored only if when < 120 + lastwhen)", () => {
    const m = memory();
    m.tcptoTimeout(1, 1, 7000);
    m.tcptoTimeout(1, 1, 7120);
    expect(m.tcptoSkips(1, 1, 7120)).toBe(true);
  });

  it("the timeout count saturates and never wraps back below 2, however many timeouts (tcpto.c caps its byte)", () => {
    // tcpto.c: if (++record[4] > 10) record[4] = 10; mxsim keeps a byte capped at 255. Either way a
    // host that keeps timing out stays skipped; a wrapped byte (255 + 1 → 0) would forget it.
    const m = memory();
    let t = 0;
    for (let k = 1; k <= 300; k++) {
      t = k * 200;
      m.tcptoTimeout(2, 1, t);
      if (k >= 2) expect(m.tcptoSkips(2, 1, t), `after timeout ${k}`).toBe(true);
    }
    expect(m.tcptoSkips(2, 1, t + SKIP[2]! - 1)).toBe(true);
  });

  it("a refused or successful connection resets the count: two new timeouts are needed again (tcpto.c record[4] = 0)", () => {
    const m = memory();
    m.tcptoTimeout(0, 0, 0);
    m.tcptoTimeout(0, 0, 200);
    m.tcptoReset(0, 0);
    expect(m.tcptoSkips(0, 0, 300)).toBe(false);
    m.tcptoTimeout(0, 0, 400);
    expect(m.tcptoSkips(0, 0, 400)).toBe(false);
    m.tcptoTimeout(0, 0, 520);
    expect(m.tcptoSkips(0, 0, 520)).toBe(true);
  });

  it.each(["refused", "silent", "greeting-4xx", "greeting-5xx", "rcpt-4xx", "reject-5xx"] as const)(
    "a connection that ends %s clears the count: qmail-remote records tcpto_err(ip, errno == error_timeout) for every connection",
    (mode) => {
      // qmail-remote.c: a refused connect records 0, and so does every successful connect, whatever the server says next.
      const tcpto = QMAIL.memory(QMAIL_DEFAULTS, { servers: 2, domains: 1, stream: () => () => 0 }) as QmailTcpto;
      const walk = { tried: 0, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true };
      tcpto.failed(1, "timeout", 1000, walk);
      tcpto.failed(1, "timeout", 1200, walk);
      expect(tcpto.skips(1, 1300)).toBe(true);
      tcpto.failed(1, mode, 1300, walk);
      expect(tcpto.skips(1, 1301)).toBe(false);
    },
  );

  it("is kept per node and per host: timeouts of (0, 1) skip no other (node, host)", () => {
    const m = memory();
    m.tcptoTimeout(0, 1, 1000);
    m.tcptoTimeout(0, 1, 1200);
    const skipped: string[] = [];
    for (let n = 0; n < 3; n++) for (let h = 0; h < 2; h++) if (m.tcptoSkips(n, h, 1300)) skipped.push(`${n},${h}`);
    expect(skipped).toEqual(["0,1"]);
  });
});

describe("HostMemory Exim hints and Postfix dead destinations", () => {
  it("keeps one retry hint per (node, host), 3 nodes × 2 servers (docs/model.md#exim: one record per host IP, per sending MTA)", () => {
    const m = memory(3, 2);
    // A failure of host 1 seen by node 0 must not create a hint for host 0 at node 2
    // (a key like node / servers + host would make (2, 0) and (0, 1) the same record).
    eximUpdateHint(EXIM_DEFAULTS, m.hint(0, 1), 1000);
    expect(eximSkips(EXIM_DEFAULTS, m.hint(0, 1), 1000)).toBe(true);
    for (const [n, h] of [[0, 0], [1, 0], [1, 1], [2, 0], [2, 1]] as const) {
      expect(Number.isNaN(m.hint(n, h).firstFailed), `hint (${n}, ${h})`).toBe(true);
      expect(eximSkips(EXIM_DEFAULTS, m.hint(n, h), 1000), `hint (${n}, ${h})`).toBe(false);
    }
    const all = [0, 1, 2].flatMap((n) => [0, 1].map((h) => m.hint(n, h)));
    expect(new Set(all).size).toBe(6);
  });

  it("a success deletes the host's record: an expired hint comes back not expired, and the next failure starts a new record (retry.c, docs/model.md#exim)", () => {
    const m = memory();
    const h = m.hint(1, 0);
    eximUpdateHint(EXIM_DEFAULTS, h, 0);
    // 345601 s after the first failure is past the last cutoff (4d = 345600): expired (retry.c 806–811).
    eximUpdateHint(EXIM_DEFAULTS, h, 345601);
    expect(h.expired).toBe(true);
    m.clearHint(1, 0);
    expect(m.hint(1, 0).expired).toBe(false);
    expect(Number.isNaN(m.hint(1, 0).firstFailed)).toBe(true);
    expect(eximSkips(EXIM_DEFAULTS, m.hint(1, 0), 345602)).toBe(false);
    // A new failure: first_failed = now, F,2h,15m applies → next try 15 min later, not expired.
    eximUpdateHint(EXIM_DEFAULTS, m.hint(1, 0), 400000);
    expect(m.hint(1, 0)).toEqual({ firstFailed: 400000, lastTry: 400000, nextTry: 400900, expired: false });
  });

  it("postqueue -f on a node forgets its dead destinations, and only its own (docs/model.md#postfix, 'A F D' trigger)", () => {
    const m = memory();
    m.kill(0, 1, 100);
    m.kill(1, 1, 100);
    expect(m.isDead(0, 1, 100)).toBe(true);
    expect(m.isDead(0, 0, 100)).toBe(false);
    m.reviveAll(0);
    // A later, non-forced attempt of node 0 for domain 1 is not suspended; node 1's still is, until 100 + 300.
    expect(m.isDead(0, 1, 100)).toBe(false);
    expect(m.isDead(1, 1, 399)).toBe(true);
    expect(m.isDead(1, 1, 400)).toBe(false);
  });
});

describe("Exim's retry data: what counts as a host error, and when an old record is forgotten", () => {
  // Exim spec "Retry configuration": connection and greeting failures are host errors (retry data per host);
  // a 4xx or 5xx to RCPT is about the address, not the host, and leaves the host's record alone. A banner that never
  // comes ("SMTP timeout after initial connection", smtp.c smtp_reap_banner()) is a host error too.
  it("host errors are the failed connections and the error greetings, not the RCPT answers", () => {
    expect(FAILURE_MODES.filter((m) => eximIsHostError(m))).toEqual(["refused", "timeout", "silent", "greeting-4xx", "greeting-5xx"]);
  });

  // retry.c retry_update(): a record whose last try is more than retry_data_expire old is started afresh.
  it("a failure exactly retry_data_expire after the last try continues the record; one second later starts a new one", () => {
    const p: EximProfile = { ...EXIM_DEFAULTS, retry_data_expire: 600 };
    const kept = hint(0, 1000, 1900);
    eximUpdateHint(p, kept, 1600);
    // Failing since 0: 1600 s ≤ the 2h cutoff of F,2h,15m → next try 1600 + 900.
    expect(kept).toMatchObject({ firstFailed: 0, lastTry: 1600, nextTry: 2500, expired: false });
    const fresh = hint(0, 1000, 1900);
    eximUpdateHint(p, fresh, 1601);
    expect(fresh).toMatchObject({ firstFailed: 1601, lastTry: 1601, nextTry: 2501, expired: false });
  });

  it.each(["G,soon,1h,1.5", "G,16h,soon,1.5", "G,16h,0s,1.5"])("%s is not a retry parameter set (its cutoff or start is not a positive duration)", (set) => {
    expect(parse(set)).toEqual({ ok: false, message: NOT_A_SET(set) });
  });
});

describe("Exim's delay warnings (deliver.c deliver_message(), docs/model.md#exim)", () => {
  // One MX refusing for 3 days, an Exim sender with the default rule, -q30m and delay_warning 24h, a message at 0.
  // The host's retry times grow (G,16h,1h,1.5), so from the second hour most queue runs only skip it.
  const run = () =>
    simulate(
      model(`
name: t
duration: 3d
dns:
  example.com: { mx: [{ preference: 10, host: p.example.com }] }
servers:
  p.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, duration: 3d, mode: refused }] }
senders:
  a.test: { to: example.com, at: [0s], mta: exim }
`),
    );

  it("a queue run that only skipped the host sends no warning; the next real attempt past 24 h does", () => {
    const r = run();
    const attempts = attemptsOf(r, 0);
    const real = (a: (typeof attempts)[number]) => a.connections.some((c) => c.result !== "skipped");
    // Worked out from the attempts themselves: the first deferral past 24 h that really tried the host.
    const skippedPast24h = attempts.filter((a) => a.start >= 86400 && !real(a));
    const firstRealPast24h = attempts.find((a) => a.start >= 86400 && real(a))!;
    expect(skippedPast24h.length).toBeGreaterThan(0);
    expect(skippedPast24h[0]!.start).toBeLessThan(firstRealPast24h.start);
    const warnings = notificationsOf(r, 0).filter((n) => n.kind === "delayed");
    expect(warnings[0]!.at).toBe(firstRealPast24h.end);
    // One warning per multiple of 24 h passed: the second needs 48 h of queueing and a real attempt.
    const firstRealPast48h = attempts.find((a) => a.start >= 2 * 86400 && real(a))!;
    expect(warnings.map((n) => n.at)).toEqual([firstRealPast24h.end, firstRealPast48h.end]);
  });

  it("after a long gap one warning is sent, not one per multiple missed (warning_count jumps to the multiples passed)", () => {
    // deliver.c: count = floor(queue_time / 24h); a warning only if warning_count < count, then warning_count = count.
    const tried = { tried: 1, skipped: 0, skippedExpired: 0, triedExpired: 0, siteFailure: true };
    const skippedOnly = { ...tried, tried: 0, skipped: 1 };
    const h = 3600;
    expect(EXIM.delayWarningAt(EXIM_DEFAULTS, tried, 0, 50 * h, NaN, 0)).toBe(50 * h);
    expect(EXIM.warnedAfter!(EXIM_DEFAULTS, 0, 50 * h, 0)).toBe(2);
    // The next deferral, an hour later, is still within the second multiple: no catch-up warning for the first.
    expect(EXIM.delayWarningAt(EXIM_DEFAULTS, tried, 0, 51 * h, NaN, 2)).toBeNaN();
    expect(EXIM.delayWarningAt(EXIM_DEFAULTS, tried, 0, 72 * h, NaN, 2)).toBe(72 * h);
    // Counted from when this queue took the message, and never for a run that only skipped the host.
    expect(EXIM.delayWarningAt(EXIM_DEFAULTS, tried, 10 * h, 30 * h, NaN, 0)).toBeNaN();
    expect(EXIM.delayWarningAt(EXIM_DEFAULTS, skippedOnly, 0, 50 * h, NaN, 0)).toBeNaN();
    expect(EXIM.delayWarningAt({ ...EXIM_DEFAULTS, delay_warning: 0 }, tried, 0, 50 * h, NaN, 0)).toBeNaN();
  });
});
