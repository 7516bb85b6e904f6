/**
 * Every failure mode at every MX position, for every MTA: what the first
 * delivery attempt does. The expected actions are the README's table (from
 * docs/model.md#failure-modes and the sources read for OpenSMTPD), written out here as
 * data; the connect timeouts are the profiles' documented defaults.
 */
import { describe, expect, it } from "vitest";
import { ATTEMPT_RESULTS, CONNECTION_RESULTS } from "../../src/core/outcomes.js";
import { simulate } from "../../src/core/simulate.js";
import { model } from "../helpers.js";

type Action = "next" | "defer" | "bounce";
const MTAS = ["qmail", "postfix", "exim", "sendmail", "opensmtpd", "exchange"] as const;
type Mta = (typeof MTAS)[number];
const MODES = ["refused", "timeout", "silent", "greeting-4xx", "greeting-5xx", "rcpt-4xx", "reject-5xx"] as const;
type Mode = (typeof MODES)[number];

/** At a host that is not the last MX (README "Failure modes"; docs/model.md#failure-modes). */
const NOT_LAST: Record<Mode, Record<Mta, Action>> = {
  refused: { qmail: "next", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "next", exchange: "next" },
  timeout: { qmail: "next", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "next", exchange: "next" },
  // Connected, never greeted: qmail-remote is committed to the host once connected (qmail-remote.c, the MX loop
  // ends at the first connect); Postfix, Exim, Sendmail and OpenSMTPD try the next address (smtp_connect.c,
  // smtp.c smtp_reap_banner(), deliver.c, mta_session.c); Exchange's is undocumented and assumed to move on.
  silent: { qmail: "defer", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "next", exchange: "next" },
  "greeting-4xx": { qmail: "defer", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "next", exchange: "next" },
  "greeting-5xx": { qmail: "defer", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "next", exchange: "next" },
  "rcpt-4xx": { qmail: "defer", postfix: "next", exim: "next", sendmail: "next", opensmtpd: "defer", exchange: "next" },
  "reject-5xx": { qmail: "bounce", postfix: "bounce", exim: "bounce", sendmail: "bounce", opensmtpd: "bounce", exchange: "bounce" },
};
/** On the last MX a temporary error defers; Exim and Sendmail fail a 5xx greeting there (docs/model.md#exim, docs/model.md#sendmail). */
function onLast(mta: Mta, mode: Mode): Action {
  if (mode === "reject-5xx") return "bounce";
  if (mode === "greeting-5xx" && (mta === "exim" || mta === "sendmail")) return "bounce";
  return "defer";
}
/** Connect timeouts: qmail control/timeoutconnect 60 s, Postfix 30 s, Exim 5 min, OpenSMTPD 300 s; Sendmail's and Exchange's are mxsim's stated assumptions. */
const TIMEOUT: Record<Mta, number> = { qmail: 60, postfix: 30, exim: 300, sendmail: 127, opensmtpd: 300, exchange: 60 };
/**
 * Greeting timeouts: qmail control/timeoutremote 1200 s (qmail-remote.c line 108), Postfix smtp_helo_timeout 300 s,
 * Exim command_timeout 5 min (also the banner's), Sendmail Timeout.initial 5 min, OpenSMTPD its one 300 s I/O
 * timeout; Exchange's ConnectionInactivityTimeOut 10 min is mxsim's stated assumption.
 */
const GREETING: Record<Mta, number> = { qmail: 1200, postfix: 300, exim: 300, sendmail: 300, opensmtpd: 300, exchange: 600 };

/** Three MX hosts; before `position` they refuse, at it `mode`, after it they are up. The message is sent at 100 s. */
function firstAttempt(mta: Mta, mode: Mode, position: number) {
  const hosts = ["h0", "h1", "h2"];
  const servers = hosts.map((h, i) => {
    const m = i < position ? "refused" : i === position ? mode : undefined;
    const outages = m ? `[{ start: 0s, duration: 1d, mode: ${m} }]` : "[]";
    return `  ${h}.example.com: { role: mailbox, domains: [example.com], outages: ${outages} }`;
  });
  const r = simulate(
    model(`
name: t
duration: 2h
dns:
  example.com: { mx: [${hosts.map((h, i) => `{ preference: ${10 * (i + 1)}, host: ${h}.example.com }`).join(", ")}] }
servers:
${servers.join("\n")}
senders:
  a.test: { to: example.com, at: [100s], mta: ${mta} }
`),
  );
  const a = r.attempts!;
  const conns: string[] = [];
  for (let k = 0; k < a.connEnd[0]!; k++) conns.push(`${r.nodes[a.connHost[k]!]!.name.slice(0, 2)} ${CONNECTION_RESULTS[a.connResult[k]!]}`);
  const connAt = Array.from({ length: a.connEnd[0]! }, (_, k) => a.connAt[k]!);
  return { result: ATTEMPT_RESULTS[a.result[0]!], start: a.start[0], end: a.end[0], conns, connAt };
}

const cases = MTAS.flatMap((mta) => MODES.flatMap((mode) => [0, 1, 2].map((position) => [mta, mode, position] as const)));

describe("every failure mode at every MX position (first attempt of a message sent at 100 s)", () => {
  it.each(cases)("%s meeting %s at MX position %i", (mta, mode, position) => {
    const last = position === 2;
    const action = last ? onLast(mta, mode) : NOT_LAST[mode][mta];
    const got = firstAttempt(mta, mode, position);
    const before = Array.from({ length: position }, (_, i) => `h${i} refused`);
    const wait = mode === "timeout" ? TIMEOUT[mta] : mode === "silent" ? GREETING[mta] : 0;
    expect(got.start).toBe(100);
    if (action === "next") {
      expect(got.conns).toEqual([...before, `h${position} ${mode}`, `h${position + 1} accepted`]);
      expect(got.result).toBe("delivered");
      // The next host is contacted when this one has given up (a timeout: after the connect timeout).
      expect(got.connAt.at(-1)).toBe(100 + wait);
      expect(got.end).toBe(100 + wait);
    } else {
      expect(got.conns).toEqual([...before, `h${position} ${mode}`]);
      expect(got.result).toBe(action === "defer" ? "deferred" : "bounced");
      expect(got.end).toBe(100 + wait);
    }
  });

  it("Postfix with smtp_skip_5xx_greeting off bounces on a 5xx greeting wherever it meets it (docs/model.md#postfix)", () => {
    for (const position of [0, 1, 2]) {
      const got = firstAttempt("{ name: postfix, smtp_skip_5xx_greeting: false }" as Mta, "greeting-5xx", position);
      expect(got.result).toBe("bounced");
      expect(got.conns.at(-1)).toBe(`h${position} greeting-5xx`);
    }
  });
});
