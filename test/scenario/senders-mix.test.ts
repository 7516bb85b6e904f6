/** A sender mix, provider overrides, retry lists and greylisting options: what they compile to, and what bad input is told. */
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/scenario/load.js";
import { parseRetryList } from "../../src/scenario/retry-list.js";
import { parseDurationValue } from "../../src/scenario/duration.js";
import { model } from "../helpers.js";

const base = (senders: string, greylisting = "0s") => `name: m
duration: 2d
dns:
  example.com:
    mx: [{ preference: 10, host: mx.example.com }]
servers:
  mx.example.com:
    role: mailbox
    domains: [example.com]
    greylisting: ${greylisting}
senders:
${senders}
`;

/** The diagnostics of an invalid scenario, as "line:col message". */
function problems(text: string): string[] {
  const r = loadScenario(text, "s.yaml");
  if (r.ok) throw new Error("expected the scenario to be refused");
  return r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);
}

const seconds = (s: string) => {
  const d = parseDurationValue(s);
  return d.ok ? d.seconds : undefined;
};

describe("a sender mix", () => {
  it("becomes one sender per MTA, named <sender>/<mta>, each with its share of the rate and its own overrides", () => {
    const m = model(base(`  internet:
    to: example.com
    rate: 100/h
    mix: { microsoft365: 45%, gmail: { share: 30, give_up: 48h }, amazon-ses: "10%", postfix: 15% }`));
    expect(m.senders.map((s) => s.name)).toEqual(["internet/microsoft365", "internet/gmail", "internet/amazon-ses", "internet/postfix"]);
    expect(m.senders.map((s) => (s.arrivals.kind === "poisson" ? Math.round(s.arrivals.rate * 3600 * 1000) / 1000 : 0))).toEqual([45, 30, 10, 15]);
    expect(m.senders[1]!.profile).toMatchObject({ mta: "gmail", give_up: 48 * 3600 });
    expect(m.senders[0]!.profile).toMatchObject({ mta: "microsoft365", give_up: 24 * 3600 });
  });

  it("refuses shares that do not add up to 100%, an unknown MTA and a bad override, each where it is written", () => {
    const p = problems(base(`  a: { to: example.com, rate: 10/h, mix: { gmail: 50%, microsfot365: 40% } }
  d: { to: example.com, rate: 10/h, mix: { gmail: { share: 100%, give_up: soon } } }`));
    expect(p).toEqual([
      "12:42 the shares add up to 90%; make them add up to 100%",
      '12:70 "microsfot365" is not an MTA profile; did you mean "microsoft365"?',
      '13:75 "soon" is not a duration; write a number and a unit (s, m, h, d, w), e.g. 90s, 36h, 7d or 1h30m',
    ]);
  });

  it("refuses mta beside mix, and a mix over a list of send times", () => {
    const p = problems(base(`  b: { to: example.com, rate: 10/h, mta: postfix, mix: { gmail: 100% } }
  c: { to: example.com, at: [0s], mix: { gmail: 100% } }`));
    expect(p).toEqual(["12:56 a sender takes mta or mix, not both; remove one", "13:29 a sender mix splits a rate; write rate: (e.g. rate: 100/h) instead of at:"]);
  });

  it("a provider's queue is a sender's, not a server's", () => {
    const p = problems(base("  s: { to: example.com, rate: 1/h }").replace("    greylisting: 0s", "    greylisting: 0s\n    mta: gmail"));
    expect(p[0]).toMatch(/^11:10 "gmail" is a provider's outbound queue: it can be a sender's mta, not a server's; a server runs one of qmail, postfix, exim, sendmail, opensmtpd, exchange$/);
  });
});

describe("the retry list syntax", () => {
  it("reads durations separated by commas, *n repeating one, none for an empty list, or a YAML list", () => {
    expect(parseRetryList("10m, 15m, 30m, 1h*3", seconds)).toEqual({ ok: true, seconds: [600, 900, 1800, 3600, 3600, 3600] });
    expect(parseRetryList(["1m", "5m*2"], seconds)).toEqual({ ok: true, seconds: [60, 300, 300] });
    expect(parseRetryList("none", seconds)).toEqual({ ok: true, seconds: [] });
    expect(parseRetryList("10m, later", seconds)).toMatchObject({ ok: false, message: expect.stringContaining('"later" is not an interval') });
    expect(parseRetryList("1h*0", seconds)).toMatchObject({ ok: false, message: expect.stringContaining("repeat an interval 1 to") });
    expect(parseRetryList("0s", seconds)).toMatchObject({ ok: false });
  });

  it("a custom sender with an empty retry list or more networks than addresses is refused at its setting", () => {
    const p = problems(base(`  s: { to: example.com, rate: 1/h, mta: { name: custom, retry: none, ips: 2, ip_subnets: 3 } }`));
    expect(p).toEqual([
      '12:64 a retry list needs at least one interval; write e.g. retry: "10m, 30m, 1h"',
      "12:90 3 networks for 2 addresses; write at most ip_subnets: 2",
    ]);
  });
});

describe("greylisting options", () => {
  it("a delay alone takes postgrey's defaults; the whitelist names servers, senders and sender MTAs", () => {
    const m = model(base("  s1: { to: example.com, rate: 1/h, mta: amazon-ses }\n  s2: { to: example.com, rate: 1/h, mix: { gmail: 50%, aol: 50% } }", "{ delay: 5m, key: ip, whitelist: [amazon-ses, s2] }"));
    expect(m.servers[0]!.greylisting).toEqual({ delay: 300, key: "ip", whitelist: [1, 2, 3], autoWhitelist: 5, retryWindow: 172800 });
    expect(model(base("  s: { to: example.com, rate: 1/h }", "5m")).servers[0]!.greylisting).toEqual({ delay: 300, key: "subnet", whitelist: [], autoWhitelist: 5, retryWindow: 172800 });
  });

  it("an unknown whitelist name is refused with a suggestion", () => {
    const p = problems(base("  s1: { to: example.com, rate: 1/h, mta: amazon-ses }", "{ delay: 5m, whitelist: [amazon-sse] }"));
    expect(p).toEqual(['10:43 "amazon-sse" is not a server, a sender or a sender\'s MTA; did you mean "amazon-ses"?']);
  });
});
