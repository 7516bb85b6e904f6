/**
 * The senders that write to most domains today: the outbound queues of the
 * big mail providers and bulk senders (Gmail, Microsoft 365, Amazon SES, …),
 * and `custom`, a sender whose schedule the scenario writes as a retry list
 * (`10m, 15m, 30m, 1h*3`, the last interval repeating).
 *
 * Their code is closed: every number is what the provider documents, what a
 * published measurement observed, or what third parties and bug reports show,
 * and each says which (its `source`), so `mxsim profiles` and `explain` can
 * say how far to trust it. Where nothing is published, the number is an
 * assumption and says so. docs/model.md#provider-senders has the sources.
 *
 * One rule set serves them all: attempts at the listed intervals (each
 * counted from the previous attempt's start, as the measurements are), the
 * message returned by timer at `give_up` after it was queued (no final
 * attempt), or after `max_attempts` attempts; a delay DSN at the first
 * deferral past each `delay_notices` age; each attempt from the next address
 * of the sender's pool of `ips` addresses spread over `ip_subnets` /24
 * networks (in turn, from a start that differs by message), which is what a
 * greylisting server keyed by client address sees.
 */
import { count, dur, type FailoverTable, long, type MtaRules, noLimit, noMemory, noMemoryBytes, type OptionKind, type OptionSpec, type Source } from "../mta-rules.js";
import { NEXT_MX_ON_TEMPORARY_FAILURE } from "./common.js";

/** The settings every provider sender has; `mta` names the provider. */
export interface ListProfile<N extends string> {
  mta: N;
  /** Seconds from one attempt's start to the next; the last repeats. */
  retry: number[];
  /** Returned (by timer, no final attempt) this long after it was queued; seconds. */
  give_up: number;
  /** Returned after this many attempts fail (0: no limit). */
  max_attempts: number;
  /** Ages at which a delay DSN is sent (at the first deferral past each); empty: none. */
  delay_notices: number[];
  /** Sending addresses the attempts rotate through. */
  ips: number;
  /** /24 networks those addresses are spread over (1 ≤ ip_subnets ≤ ips). */
  ip_subnets: number;
  /** Seconds to wait for a TCP connection. */
  connect_timeout: number;
  /** Seconds to wait for the greeting once connected. */
  greeting_timeout: number;
}

type Key = Exclude<keyof ListProfile<string>, "mta">;

/** Where each of a provider's numbers comes from; every key has one. */
type Sources = Record<Key, Source>;

interface ProviderSpec<N extends string> {
  defaults: ListProfile<N>;
  name: string;
  title: string;
  /** What the profile is, in a few sentences, with its caveats. */
  description: string;
  sources: Sources;
}

const intervals: OptionKind = { type: "intervals" };

/** Durations as the settings' examples write them. */
const SETTING_TEXT: Record<Key, { kind: OptionKind; description: string; example: string | number }> = {
  retry: { kind: intervals, description: "the intervals between attempts, each from the previous attempt's start; the last repeats", example: "10m, 15m, 30m, 1h*3" },
  give_up: { kind: long("h", 60), description: "return the message this long after it was queued (by timer, no final attempt)", example: "72h" },
  max_attempts: { kind: count(0), description: "return the message after this many failed attempts; 0 = no limit", example: 5 },
  delay_notices: { kind: intervals, description: "ages at which a delay DSN is sent (at the first deferral past each); none = never", example: "4h, 1d" },
  ips: { kind: count(1), description: "sending addresses the attempts rotate through (in turn)", example: 7 },
  ip_subnets: { kind: count(1), description: "/24 networks those addresses are spread over (what a greylist keyed by /24 sees)", example: 1 },
  connect_timeout: { kind: dur(), description: "wait for a TCP connection", example: "30s" },
  greeting_timeout: { kind: dur(), description: "wait for the greeting of a host that accepted the connection", example: "5m" },
};

const KEYS = Object.keys(SETTING_TEXT) as Key[];

/** Not published for any of them: the next MX on any temporary failure, a return on a 5xx (assumed, as RFC 5321 §5.1 suggests). */
const PROVIDER_FAILOVER = NEXT_MX_ON_TEMPORARY_FAILURE;

/** The attempt after the `tries`-th (1 = the first), counted from that attempt's start; never before it ended. */
export function listNextAttempt(p: ListProfile<string>, start: number, done: number, tries: number): number {
  const gap = p.retry[Math.min(tries, p.retry.length) - 1] ?? p.retry[p.retry.length - 1]!;
  return Math.max(done, start + gap);
}

/** The rules of one provider's sender. */
export function providerRules<N extends string>(spec: ProviderSpec<N>): MtaRules<ListProfile<N>> {
  const settings: OptionSpec<Key>[] = KEYS.map((key) => ({ key, ...SETTING_TEXT[key], source: spec.sources[key] }));
  return {
    defaults: spec.defaults,
    settings,
    check: (p) => {
      const problems = [];
      if (p.retry.length === 0) problems.push({ key: "retry", message: "a retry list needs at least one interval; write e.g. retry: \"10m, 30m, 1h\"" });
      if (p.ip_subnets > p.ips) {
        problems.push({ key: "ip_subnets", message: `${p.ip_subnets} networks for ${p.ips} addresses; write at most ip_subnets: ${p.ips}` });
      }
      return problems;
    },
    info: { name: spec.name, title: spec.title, description: spec.description, source: sourceLine(spec.sources), sender: true },
    connectTimeout: (p) => p.connect_timeout,
    greetingTimeout: (p) => p.greeting_timeout,
    addressLimit: noLimit,
    failover: PROVIDER_FAILOVER satisfies FailoverTable<ListProfile<N>>,
    givesUp: (p, walk) => (p.max_attempts > 0 && walk.tries >= p.max_attempts ? "attempts" : undefined),
    giveUpAfter: (p) => p.give_up,
    expiresAt: (p, birth) => birth + p.give_up,
    nextAttempt: (p, _birth, start, done, tries) => listNextAttempt(p, start, done, tries),
    delayWarningAt: (p, _walk, birth, done, _next, warned) => {
      const age = p.delay_notices[warned];
      return age !== undefined && done - birth >= age ? done : NaN;
    },
    clientPool: (p) => ({ ips: p.ips, subnets: p.ip_subnets }),
    memory: noMemory,
    memoryBytes: noMemoryBytes,
  };
}

/** A provider's defaults: its numbers, the rest as no published source gives them (no limit on attempts, no delay notice, one network, the assumed timeouts). */
function numbers<N extends string>(mta: N, n: Pick<ListProfile<N>, "retry" | "give_up" | "ips"> & Partial<ListProfile<N>>): ListProfile<N> {
  return { mta, max_attempts: 0, delay_notices: [], ip_subnets: 1, connect_timeout: 30, greeting_timeout: 300, ...n };
}

/** The kinds of source that back a profile's numbers, in one line. */
function sourceLine(sources: Sources): string {
  const kinds = [...new Set(Object.values(sources).map((s) => s.kind))];
  return `numbers by kind of source: ${kinds.join(", ")} (each setting says which)`;
}

// Durations below are seconds; the comments give them as the sources do.
const M = 60;
const H = 3600;
const D = 86400;
/** m:ss as the Pagani et al. table writes attempt times. */
const ms = (min: number, s = 0) => min * M + s;

/** Gaps between successive measured attempt times (the first counted from 0). */
function gapsOf(times: number[]): number[] {
  return times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
}

const PAGANI = "Pagani et al. 2016, DSN: webmail delivery attempts under a 6-hour greylist (slide 22)";
const ASSUMED_FAILOVER_TIMEOUTS = {
  connect_timeout: { kind: "assumed", text: "not published; Postfix's 30 s" },
  greeting_timeout: { kind: "assumed", text: "not published; RFC 5321 §4.5.3.2's 5 minutes for the greeting" },
} as const satisfies Partial<Sources>;
const RFC_GIVE_UP: Source = { kind: "assumed", text: "not measured (the test ended after 6 h); RFC 5321 §4.5.4.1's 4–5 days, 5 assumed" };
const NO_NOTICE_SEEN: Source = { kind: "assumed", text: "none published or observed" };
const NO_LIMIT: Source = { kind: "assumed", text: "none observed: the sender delivered within the test" };

/** A profile measured by Pagani et al. under a 6-hour greylist. */
function measured<N extends string>(
  mta: N,
  name: string,
  o: { times: number[]; after?: number; rest?: string; ips: number; ipSource: string; maxAttempts?: number; limitSource?: string; giveUp?: number; giveUpSource?: Source },
): ProviderSpec<N> {
  const retry = gapsOf(o.times);
  if (o.after !== undefined) retry.push(o.after);
  const same = o.ips === 1;
  return {
    defaults: numbers(mta, { retry, give_up: o.giveUp ?? 5 * D, max_attempts: o.maxAttempts ?? 0, ips: o.ips }),
    name,
    title: `${name} (measured in 2016: attempts under a greylist)`,
    description:
      `${name}'s retries as measured by Pagani et al. in 2016 against a server that greylisted for 6 hours` +
      `${o.rest ? `; ${o.rest}` : ""}. Past the measured attempts the last interval repeats (an extrapolation). ` +
      `${same ? "All attempts came from one address." : `The attempts came from ${o.ips} addresses; how they spread over /24 networks was not reported (one assumed).`}`,
    sources: {
      retry: { kind: "measured", text: `${PAGANI}${o.rest ? `; ${o.rest}` : ""}` },
      give_up: o.giveUpSource ?? RFC_GIVE_UP,
      max_attempts: o.maxAttempts ? { kind: "measured", text: o.limitSource ?? PAGANI } : NO_LIMIT,
      delay_notices: NO_NOTICE_SEEN,
      ips: { kind: "measured", text: `${PAGANI}: ${o.ipSource}` },
      ip_subnets: { kind: "assumed", text: same ? "one address, one network" : "not reported; one /24 assumed" },
      ...ASSUMED_FAILOVER_TIMEOUTS,
    },
  };
}

export const GMAIL = providerRules({
  defaults: numbers("gmail", { retry: gapsOf([ms(6, 2), ms(29, 2), ms(56, 36), ms(98, 44), ms(162, 3), ms(229, 44), ms(309, 5), ms(434, 46)]), give_up: 72 * H, delay_notices: [22 * H], ips: 7 }),
  name: "Gmail",
  title: "Gmail / Google Workspace (measured retries, a 72 h give-up seen in real DSNs)",
  description:
    "Google publishes no retry policy. The attempts are the ones Pagani et al. measured in 2016 under a 6-hour greylist " +
    "(gaps growing slowly, ×1.1–1.6; past the last one it repeats, an extrapolation), from 7 addresses. A real DSN " +
    "says Will-Retry-Until = sent + 72 h; one delay DSN (\"will retry for 49 more hours\") came about 22 h after sending.",
  sources: {
    retry: { kind: "measured", text: `${PAGANI}: attempts at 6:02, 29:02, 56:36, 98:44, 162:03, 229:44, 309:05, 434:46` },
    give_up: { kind: "third-party", text: "a real Gmail DSN: Will-Retry-Until = sent + 72 h 00 min 01 s (pastebin kAAtD00k); Google publishes none" },
    max_attempts: { kind: "assumed", text: "no limit but the give-up time is known" },
    delay_notices: { kind: "third-party", text: "a DSN \"will retry for 49 more hours\" about 22 h after sending; the older form came \"after at most 1 day\" (support.gluegent.com)" },
    ips: { kind: "measured", text: `${PAGANI}: 7 different addresses in 9 attempts` },
    ip_subnets: { kind: "assumed", text: "not reported; one /24 assumed" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});

export const MICROSOFT365 = providerRules({
  defaults: numbers("microsoft365", { retry: [15 * M], give_up: 24 * H, ips: 6, ip_subnets: 6 }),
  name: "Microsoft 365",
  title: "Microsoft 365 / Exchange Online (documented: every 15 min, 24 h)",
  description:
    "Exchange Online Protection documents retries every 15 minutes (another page: the first few 15 minutes or less, " +
    "later up to an hour, \"dynamic\") and 24 hours in deferral before an NDR (down from 48 h in March 2019); no delay " +
    "DSN is documented. Retries come from many outbound.protection.outlook.com hosts: 6 in different networks assumed.",
  sources: {
    retry: { kind: "documented", text: "EOP service description \"Messages are retried every 15 minutes\" (quoted in MicrosoftDocs/microsoft-365-docs#723)" },
    give_up: { kind: "documented", text: "EOP limits: \"Messages in deferral will remain in our queues for 24 hours\" (48 h before 20 March 2019)" },
    max_attempts: { kind: "documented", text: "none: the 24 h limit ends the retries" },
    delay_notices: { kind: "documented", text: "none documented; an NDR (4.4.7 / 5.4.300 / 5.4.316) on expiry" },
    ips: { kind: "issue", text: "retries from six or more different *.outbound.protection.outlook.com hosts (schweikert/postgrey#49)" },
    ip_subnets: { kind: "assumed", text: "the hosts' networks were not reported; each in its own /24 assumed" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});

export const AMAZON_SES = providerRules({
  defaults: numbers("amazon-ses", { retry: [5 * M], give_up: 14 * H, ips: 50 }),
  name: "Amazon SES",
  title: "Amazon SES (documented give-up ≤ 14 h; retries observed about 5 min apart)",
  description:
    "SES's longest delivery window is 14 hours (MaxDeliverySeconds 300–50400; third parties say 12 h). Retries seen in " +
    "postgrey logs came about 5 minutes apart, each from a different smtp-out.amazonses.com host; how they space out " +
    "later is not published (5 min assumed throughout), nor the pool's size (50 in one /24 assumed, as the logs pass with " +
    "/24 keying). Delays are reported as DeliveryDelay events to the sending application, not as DSNs.",
  sources: {
    retry: { kind: "issue", text: "postgrey logs: 13:53:08 then 13:58:46 (schweikert/postgrey#37); 11:44:16, 11:46:44, 11:51:56, 11:55:34 (#79)" },
    give_up: { kind: "documented", text: "SES v2 DeliveryOptions.MaxDeliverySeconds must be 300–50400 s; \"12 hours\" per third parties" },
    max_attempts: { kind: "assumed", text: "no limit but the give-up time" },
    delay_notices: { kind: "documented", text: "a DeliveryDelay event per delay, to the sender's application, not a DSN" },
    ips: { kind: "assumed", text: "each retry from a different host (postgrey#37, #79); the pool's size is not published, 50 assumed" },
    ip_subnets: { kind: "assumed", text: "one /24: the logs pass greylisting keyed by /24 (postgrey's default)" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});

export const SENDGRID = providerRules({
  defaults: numbers("sendgrid", { retry: [1 * M, 10 * M, 1 * H, 4 * H], give_up: 72 * H, ips: 2 }),
  name: "SendGrid",
  title: "Twilio SendGrid (documented 72 h; intervals undocumented)",
  description:
    "SendGrid documents retries for 72 hours from the first deferral, \"between a few minutes and a few hours\" apart; " +
    "the intervals here (1 min, 10 min, 1 h, then every 4 h) are a third party's, unverified. A postgrey log shows two " +
    "SendGrid-style hosts (an inference).",
  sources: {
    retry: { kind: "third-party", text: "a third party's 1 m, 10 m, 1 h, 4 h, unverified; SendGrid documents only \"a few minutes to a few hours\"" },
    give_up: { kind: "documented", text: "twilio.com/docs/sendgrid deferrals: 72 hours from the first deferral, then \"expired\"" },
    max_attempts: { kind: "assumed", text: "no limit but the give-up time" },
    delay_notices: { kind: "documented", text: "none: deferral events to the sender's application" },
    ips: { kind: "issue", text: "o1/o2.sg.crunchbase.com in schweikert/postgrey#49 (SendGrid-style names: an inference)" },
    ip_subnets: { kind: "assumed", text: "not reported; one /24 assumed" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});

export const MAILGUN = providerRules({
  defaults: numbers("mailgun", { retry: [10 * M, 15 * M, 30 * M, 1 * H, 2 * H, 4 * H], give_up: 8 * H, ips: 1 }),
  name: "Mailgun",
  title: "Mailgun (documented: 10 m, 15 m, 30 m, 1 h, 2 h, 4 h; 8 h)",
  description:
    "Mailgun documents its retries (10 min, 15 min, 30 min, 1 h, 2 h, 4 h) and a permanent \"Too old\" failure after " +
    "8 hours; delays are temporary_fail webhooks to the sending application, not DSNs. Its address rotation is not " +
    "published: one address assumed.",
  sources: {
    retry: { kind: "documented", text: "help.mailgun.com \"Will Mailgun retry my failed messages\": 10 m, 15 m, 30 m, 1 h, 2 h, 4 h" },
    give_up: { kind: "documented", text: "the same page: 8 hours, then \"Too old\"" },
    max_attempts: { kind: "documented", text: "none: the 8 h limit ends the retries" },
    delay_notices: { kind: "documented", text: "none: temporary_fail webhooks" },
    ips: { kind: "assumed", text: "not published; one address assumed" },
    ip_subnets: { kind: "assumed", text: "one address, one network" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});

export const YAHOO = providerRules(
  measured("yahoo", "Yahoo", {
    times: [ms(2, 7), ms(5, 39), ms(12, 58), ms(27, 16), ms(55, 13), ms(109, 35), ms(216, 47), ms(430, 36)],
    rest: "yahoo.co.uk, gaps doubling from 3.5 min",
    ips: 1,
    ipSource: "the same address throughout",
  }),
);

export const HOTMAIL = providerRules(
  measured("hotmail", "Hotmail / Outlook.com", {
    times: [ms(1, 1), ms(2, 3), ms(3, 4), ms(5, 6), ms(8, 7), ms(12, 8), ms(16, 10)],
    after: 4 * M,
    rest: "the consumer service in 2016: then about every 4 min, 94 attempts in 6 h",
    ips: 1,
    ipSource: "the same address throughout",
    giveUp: 1 * D,
    giveUpSource: { kind: "assumed", text: "not observed (delivered after 6 h); today's Outlook.com runs on Exchange Online: its 24 h assumed" },
  }),
);

export const GMX = providerRules(
  measured("gmx", "GMX", {
    times: [ms(5, 1), ms(12, 33), ms(23, 50), ms(40, 46), ms(66, 9), ms(104, 14), ms(161, 22), ms(247, 4), ms(375, 36)],
    rest: "gaps growing ×1.5 from 7.5 min",
    ips: 3,
    ipSource: "3 different addresses",
  }),
);

export const MAILCOM = providerRules(
  measured("mail.com", "mail.com", {
    times: [ms(5, 1), ms(12, 33), ms(23, 50), ms(40, 46), ms(66, 9), ms(104, 14), ms(161, 22), ms(247, 4), ms(375, 36)],
    rest: "measured with GMX (the same operator), gaps growing ×1.5 from 7.5 min",
    ips: 2,
    ipSource: "2 different addresses",
  }),
);

export const YANDEX = providerRules(
  measured("yandex", "Yandex", {
    times: [ms(1, 5), ms(2, 58), ms(6, 53), ms(14, 55), ms(30, 28), ms(45, 41), ms(61, 1)],
    // 20 more attempts, the last at 369:21: (369:21 − 61:01) / 20 = 15:25.
    after: ms(15, 25),
    rest: "then every 15½ min up to 369:21, 28 attempts",
    ips: 1,
    ipSource: "the same address throughout",
  }),
);

export const MAILRU = providerRules(
  measured("mail.ru", "mail.ru", {
    times: [ms(1, 18), ms(19, 15)],
    // 10 more attempts \"roughly every 30–47 min\", the last at 373:45: their mean, (373:45 − 19:15) / 10 = 35:27.
    after: ms(35, 27),
    rest: "then roughly every 30–47 min up to 373:45, 13 attempts (the mean gap, 35:27, is used)",
    ips: 7,
    ipSource: "7 different addresses in 13 attempts",
  }),
);

export const INDIACOM = providerRules(
  measured("india.com", "india.com", {
    times: [ms(6, 21), ms(16, 21), ms(36, 21), ms(76, 21), ms(146, 21)],
    rest: "gaps of 10, 20, 40 and 70 min, then capped at 70 min",
    ips: 1,
    ipSource: "the same address throughout",
  }),
);

export const AOL = providerRules(
  measured("aol", "AOL", {
    times: [ms(5, 32), ms(11, 32), ms(21, 32), ms(31, 32)],
    rest: "it gave up after the fifth attempt; whether it does so for an unreachable server too is not known",
    ips: 1,
    ipSource: "the same address throughout",
    maxAttempts: 5,
    limitSource: `${PAGANI}: gave up after 5 attempts (the last at 31:32), not delivered`,
  }),
);

export const QQ = providerRules(
  measured("qq", "QQ Mail", {
    // 12 attempts, the last at 204:56; the gaps were not reported: their mean, 204:56 / 11 = 18:38.
    times: [ms(18, 38)],
    rest: "12 attempts up to 204:56, then it gave up; the gaps were not reported (their mean, 18:38, is used)",
    ips: 2,
    ipSource: "2 different addresses",
    maxAttempts: 12,
    limitSource: `${PAGANI}: gave up after 12 attempts (the last at 204:56), not delivered`,
  }),
);

/** A sender whose schedule the scenario writes: `retry: "10m, 15m, 30m, 1h*3"` (the last repeats), `give_up: 2d`. */
export const CUSTOM = providerRules({
  defaults: numbers("custom", { retry: [30 * M], give_up: 5 * D, ips: 1 }),
  name: "custom sender",
  title: "A sender with the retry list you write (default: every 30 min for 5 days)",
  description:
    "Write its schedule as a retry list: retry: \"10m, 15m, 30m, 1h*3\" (intervals from one attempt to the next; " +
    "1h*3 is three of them; the last repeats) and give_up: 2d. The defaults follow RFC 5321 §4.5.4.1: retries at " +
    "least 30 minutes apart, a give-up of 4–5 days.",
  sources: {
    retry: { kind: "documented", text: "RFC 5321 §4.5.4.1: \"the retry interval SHOULD be at least 30 minutes\"" },
    give_up: { kind: "documented", text: "RFC 5321 §4.5.4.1: \"the give-up time generally needs to be at least 4-5 days\"" },
    max_attempts: { kind: "assumed", text: "no limit but the give-up time" },
    delay_notices: { kind: "assumed", text: "none unless written" },
    ips: { kind: "assumed", text: "one address" },
    ip_subnets: { kind: "assumed", text: "one address, one network" },
    ...ASSUMED_FAILOVER_TIMEOUTS,
  },
});
