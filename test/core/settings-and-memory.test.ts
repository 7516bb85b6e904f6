/**
 * Profile settings changed from their defaults (each documented setting in at
 * least one test), and the memories an MTA keeps of hosts across messages:
 * qmail's tcpto, Postfix's dead destinations, Exim's retry hints. Expected
 * values follow the MTAs' rules (docs/model.md#qmail, docs/model.md#postfix, docs/model.md#exim).
 */
import { describe, expect, it } from "vitest";
import { ATTEMPT_RESULTS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { simulate, type RunResult } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

/**
 * Mailbox hosts h0…hn-1 as MX 10, 20, … for example.com, each "mode" for the
 * whole run ("up" for none); senders given as YAML lines.
 */
function run(hosts: string[], senders: string, duration = "2d", actions = "[]"): RunResult {
  return simulate(
    model(`
name: t
duration: ${duration}
dns:
  example.com: { mx: [${hosts.map((_, i) => `{ preference: ${10 * (i + 1)}, host: h${i}.example.com }`).join(", ")}] }
servers:
${hosts.map((m, i) => `  h${i}.example.com: { role: mailbox, domains: [example.com], outages: ${m === "up" ? "[]" : `[{ start: 0s, duration: 30d, mode: ${m} }]`} }`).join("\n")}
senders:
${senders}
actions: ${actions}
`),
  );
}

interface Attempt {
  by: string;
  start: number;
  end: number;
  result: string;
  conns: string[];
}
function attempts(r: RunResult, m: number): Attempt[] {
  const a = r.attempts!;
  const out: Attempt[] = [];
  for (let i = 0; i < a.count; i++) {
    if (a.message[i] !== m) continue;
    const conns: string[] = [];
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) conns.push(`${r.nodes[a.connHost[k]!]!.name.slice(0, 2)} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
    out.push({ by: r.nodes[a.node[i]!]!.name, start: a.start[i]!, end: a.end[i]!, result: ATTEMPT_RESULTS[a.result[i]!]!, conns });
  }
  return out;
}
const first = (r: RunResult, m: number) => attempts(r, m)[0]!;
function warningTimes(r: RunResult, m: number): number[] {
  const a = r.attempts!;
  const out: number[] = [];
  for (let i = 0; i < a.noteCount; i++) if (a.noteMessage[i] === m && a.noteKind[i] === 0) out.push(a.noteAt[i]!);
  return out;
}

describe("connect timeouts, each MTA's own setting", () => {
  it.each([
    ["{ name: qmail, timeoutconnect: 20s }", 20],
    ["{ name: postfix, smtp_connect_timeout: 45s }", 45],
    ["{ name: exim, connect_timeout: 90s }", 90],
    ["{ name: sendmail, connect_timeout: 33s }", 33],
    ["{ name: opensmtpd, connect_timeout: 10s }", 10],
    ["{ name: exchange, connect_timeout: 75s }", 75],
  ])("%s waits %i s on a blackholed MX, then tries the next", (mta, wait) => {
    const r = run(["timeout", "up"], `  a.test: { to: example.com, at: [1000s], mta: ${mta} }`);
    expect(first(r, 0)).toMatchObject({ start: 1000, end: 1000 + wait, result: "delivered", conns: ["h0 timeout", "h1 accepted"] });
  });
});

describe("addresses tried per attempt", () => {
  it.each([
    ["postfix", "smtp_mx_address_limit"],
    ["exim", "hosts_max_try"],
  ])("%s with %s: 2 tries two refusing hosts and defers; the default 5 reaches the fifth", (mta, key) => {
    const hosts = ["refused", "refused", "refused", "refused", "up"];
    const limited = run(hosts, `  a.test: { to: example.com, at: [0s], mta: { name: ${mta}, ${key}: 2 } }`);
    expect(first(limited, 0)).toMatchObject({ result: "deferred", conns: ["h0 refused", "h1 refused"] });
    const defaults = run(hosts, `  a.test: { to: example.com, at: [0s], mta: ${mta} }`);
    expect(first(defaults, 0)).toMatchObject({ result: "delivered", conns: ["h0 refused", "h1 refused", "h2 refused", "h3 refused", "h4 accepted"] });
  });

  it("qmail, Sendmail, OpenSMTPD and Exchange try every MX host", () => {
    const hosts = ["refused", "refused", "refused", "refused", "refused", "refused", "up"];
    for (const mta of ["qmail", "sendmail", "opensmtpd", "exchange"]) {
      const r = run(hosts, `  a.test: { to: example.com, at: [0s], mta: ${mta} }`);
      expect(first(r, 0).conns, mta).toHaveLength(7);
      expect(first(r, 0).result).toBe("delivered");
    }
  });
});

describe("delay warnings under other settings", () => {
  it("Exim delay_warning 3h: a warning at the first real failed attempt past each multiple of 3 h (docs/model.md#exim, deliver.c)", () => {
    const r = run(["refused"], "  a.test: { to: example.com, at: [700s], mta: { name: exim, delay_warning: 3h, queue_run_interval: 20m } }", "16h");
    // deliver.c deliver_message(): only a deferral after a real attempt (not a run that skipped the host in its
    // retry wait) is considered; count = floor(queued / 3h); a warning when the count grows, which jumps to count.
    const real = attempts(r, 0).filter((x) => x.conns.some((c) => !c.endsWith(" skipped")));
    const expected: number[] = [];
    let warned = 0;
    for (const x of real) {
      const count = Math.floor((x.end - 700) / 10800);
      if (count > warned) [expected[expected.length], warned] = [x.end, count];
    }
    expect(attempts(r, 0).length).toBeGreaterThan(real.length); // some runs only skipped the host
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(warningTimes(r, 0)).toEqual(expected);
  });

  it("Exchange delay_notification_timeout 1h: one DSN at the first attempt an hour old; 0 turns it off", () => {
    const r = run(["refused"], "  a.test: { to: example.com, at: [50s], mta: { name: exchange, delay_notification_timeout: 1h } }", "1d");
    const due = attempts(r, 0).map((x) => x.start).find((t) => t - 50 >= 3600);
    expect(warningTimes(r, 0)).toEqual([due]);
    const off = run(["refused"], "  a.test: { to: example.com, at: [50s], mta: { name: exchange, delay_notification_timeout: 0s } }", "1d");
    expect(warningTimes(off, 0)).toEqual([]);
  });

  it("Postfix, Sendmail and OpenSMTPD warnings turned off with 0", () => {
    for (const mta of ["{ name: postfix, delay_warning_time: 0s }", "{ name: sendmail, queuewarn: 0s }", "{ name: opensmtpd, bounce_warn_interval: 0s }", "{ name: exim, delay_warning: 0s }"]) {
      const r = run(["refused"], `  a.test: { to: example.com, at: [0s], mta: ${mta} }`, "3d");
      expect(warningTimes(r, 0), mta).toEqual([]);
    }
  });
});

describe("qmail's tcpto is the sending node's memory (tcpto.c, docs/model.md#qmail)", () => {
  it("two timeouts at one sender make it skip the host; another sender still waits on it", () => {
    const r = run(
      ["timeout", "up"],
      ["  a.test: { to: example.com, at: [0s, 200s, 400s], mta: qmail }", "  b.test: { to: example.com, at: [410s], mta: qmail }"].join("\n"),
    );
    // Messages 0 and 1 are a.test's first two: their timeouts (ending at 60 and 260 s) count; its third skips h0.
    expect(first(r, 2).conns).toEqual(["h0 skipped", "h1 accepted"]);
    const b = [0, 1, 2, 3].find((m) => first(r, m).by === "b.test")!;
    expect(first(r, b)).toMatchObject({ start: 410, end: 470, conns: ["h0 timeout", "h1 accepted"] });
  });

  it("skips only the host that timed out: a refusing host is still tried", () => {
    const r = run(["timeout", "refused", "up"], "  a.test: { to: example.com, at: [0s, 200s, 400s], mta: qmail }");
    expect(first(r, 2).conns).toEqual(["h0 skipped", "h1 refused", "h2 accepted"]);
  });
});

describe("Postfix's dead destination (qmgr_queue.c, docs/model.md#postfix)", () => {
  // With initial_destination_concurrency 1 a single site failure is a whole failed cohort (1/1 ≥ 1): the destination dies at once.
  const ONE = "{ name: postfix, initial_destination_concurrency: 1 }";
  it("when every MX fails, other messages to it are deferred without a connection for minimal_backoff_time", () => {
    const mta = "{ name: postfix, minimal_backoff_time: 1000s, maximal_backoff_time: 4000s, initial_destination_concurrency: 1 }";
    const r = run(["refused", "refused"], `  a.test: { to: example.com, at: [0s, 500s, 999s, 1000s], mta: ${mta} }`, "1h");
    expect(first(r, 0).conns).toEqual(["h0 refused", "h1 refused"]);
    // Dead from 0 until 1000 s: the messages of 500 and 999 s make no connection; at 1000 s it is tried again.
    expect(first(r, 1)).toMatchObject({ start: 500, result: "deferred", conns: [] });
    expect(first(r, 2)).toMatchObject({ start: 999, result: "deferred", conns: [] });
    expect(first(r, 3).conns).toEqual(["h0 refused", "h1 refused"]);
  });

  it("a failure at RCPT is not a site failure: the destination stays alive", () => {
    const r = run(["rcpt-4xx", "rcpt-4xx"], `  a.test: { to: example.com, at: [0s, 100s], mta: ${ONE} }`, "1h");
    expect(first(r, 1).conns).toEqual(["h0 rcpt-4xx", "h1 rcpt-4xx"]);
  });

  it("the memory is the node's: another Postfix sender still connects", () => {
    const r = run(["refused"], [`  a.test: { to: example.com, at: [0s], mta: ${ONE} }`, "  b.test: { to: example.com, at: [100s], mta: postfix }"].join("\n"), "1h");
    expect(first(r, 1)).toMatchObject({ by: "b.test", conns: ["h0 refused"] });
  });

  it("postqueue -f (a flush) revives the destination: the flushed messages connect, until a failure kills it again", () => {
    const r = run(["refused"], `  a.test: { to: example.com, at: [0s, 100s], mta: ${ONE} }`, "1h", "[{ at: 200s, flush: a.test }]");
    // Dead from 0 to 300; the flush at 200 revives it: message 0 connects (window 1), message 1 waits for the slot,
    // and message 0's site failure kills the destination again, so message 1 is suspended without a connection.
    expect(attempts(r, 0).find((x) => x.start === 200)!.conns).toEqual(["h0 refused"]);
    expect(attempts(r, 1).find((x) => x.start === 200)).toMatchObject({ result: "deferred", conns: [] });
  });

  it("without a flush the same messages are both suspended at 200 s", () => {
    const r = run(["refused"], `  a.test: { to: example.com, at: [0s, 100s, 200s], mta: ${ONE} }`, "1h");
    expect(first(r, 2)).toMatchObject({ start: 200, result: "deferred", conns: [] });
  });
});

describe("Exim's retry hints (retry.c, docs/model.md#exim)", () => {
  it("are per host: a hint on one host does not make a delivery skip another", () => {
    const r = run(["refused", "up"], "  a.test: { to: example.com, at: [0s, 600s], mta: { name: exim, queue_run_interval: 0s } }", "1h");
    // The first failure gives h0 a retry time 15 minutes on; the second message, at 10 minutes, skips h0 and not h1.
    expect(first(r, 1).conns).toEqual(["h0 skipped", "h1 accepted"]);
  });

  it("are forgotten after retry_data_expire", () => {
    const mta = (expire: string) => `{ name: exim, retry: "F,1d,6h", retry_data_expire: ${expire}, queue_run_interval: 0s }`;
    const sender = (expire: string) => `  a.test: { to: example.com, at: [0s, 5000s], mta: ${mta(expire)} }`;
    // After the failure at 0 the host waits 6 h; at 5000 s the hint is 5000 s old.
    expect(first(run(["refused", "up"], sender("7d")), 1).conns).toEqual(["h0 skipped", "h1 accepted"]);
    expect(first(run(["refused", "up"], sender("1h")), 1).conns).toEqual(["h0 refused", "h1 accepted"]);
  });

  it("are cleared by a delivery: after the host accepts again, the next message tries it at once", () => {
    const r = simulate(
      model(`
name: t
duration: 1d
dns:
  example.com: { mx: [{ preference: 10, host: h0.example.com }, { preference: 20, host: h1.example.com }] }
servers:
  h0.example.com: { role: mailbox, domains: [example.com], outages: [{ start: 0s, end: 100s }] }
  h1.example.com: { role: mailbox, domains: [example.com] }
senders:
  a.test: { to: example.com, at: [0s, 1000s, 1010s], mta: { name: exim, queue_run_interval: 0s } }
`),
    );
    // At 0 h0 refuses (hint: retry at 900 s); at 1000 s h0 is tried and accepts; at 1010 s there is no hint to wait for.
    expect(first(r, 1).conns).toEqual(["h0 accepted"]);
    expect(first(r, 2).conns).toEqual(["h0 accepted"]);
  });

  it("a flush (exim -qff) ignores them", () => {
    const r = run(["refused", "refused"], "  a.test: { to: example.com, at: [0s], mta: exim }", "1h", "[{ at: 120s, flush: a.test }]");
    expect(attempts(r, 0).find((x) => x.start === 120)!.conns).toEqual(["h0 refused", "h1 refused"]);
  });
});
