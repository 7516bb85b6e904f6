/**
 * The scenario file format, defined once. The same schema validates scenario
 * files, gives their TypeScript type, and carries the descriptions and
 * examples that error messages show, and that editors show through the JSON
 * Schema made from it (json-schema.ts → schema/scenario.schema.json).
 */
import * as z from "zod";
import { FAILURE_MODES, FAILURE_MODES_DESCRIPTION } from "../core/failure-modes.js";
import { MTA_NAMES, type MtaName } from "../core/profile.js";
import { MTA_OPTIONS, type OptionSpec } from "./mta-options.js";
import { STORY_PICKS } from "../core/story-picks.js";
import { describe, durationHint, maxDurationText, parseDurationValue, parseRate, rateHint } from "./duration.js";
import { t } from "./text.js";
import { quote } from "./quote.js";

/**
 * A schema-level error message, except for a missing value: that one falls
 * through to the loader's "x is missing; add e.g. ..." message.
 */
function unlessMissing(message: (iss: { input?: unknown }) => string) {
  return (iss: { input?: unknown }) => (iss.input === undefined ? undefined : message(iss));
}

/** Meta shown in errors: what the field is and an example of a valid value. */
function hint<T extends z.ZodType>(schema: T, description: string, example: unknown): T {
  return schema.meta({ description, examples: [example] });
}

const HOST_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const hostName = z
  .string({ error: unlessMissing((iss) => t("cli:scn.s.expectedHostOrDomain", { got: describe(iss.input) })) })
  .regex(HOST_RE, { error: unlessMissing((iss) => t("cli:scn.s.notHostOrDomain", { value: describe(iss.input) })) });

/** A duration in seconds (see duration.ts for the syntax). */
export const duration = z
  .union([z.number(), z.string()], {
    error: unlessMissing((iss) =>
      typeof iss.input === "number"
        ? t("cli:scn.s.durationNotFinite", { value: iss.input, max: maxDurationText(), hint: durationHint() })
        : t("cli:scn.expectedDuration", { got: describe(iss.input), hint: durationHint() }),
    ),
  })
  .transform((value, ctx) => {
    const r = parseDurationValue(value);
    if (r.ok) return r.seconds;
    ctx.addIssue({ code: "custom", message: r.message, input: value });
    return z.NEVER;
  });

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** What a date looks like, said after a bad one (in the current language). */
export const dateHint = () => t("cli:scn.s.dateHint");
/** Years a scenario may be set in. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Milliseconds since the epoch of an ISO date (UTC when no zone is given),
 * or why it is not a date. Impossible dates (30 February, 31 April, 29
 * February of a common year, 25:00, a leap second) are refused, not rolled
 * over into the next month as Date.parse does.
 */
export function checkIsoDate(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = ISO_RE.exec(text.trim());
  const bad = (why: string) => ({ ok: false as const, message: t("cli:scn.s.notDateWhy", { value: quote(text), why, hint: dateHint() }) });
  if (!m) return { ok: false, message: t("cli:scn.s.notDate", { value: quote(text), hint: dateHint() }) };
  const [, y, mo, d, h = "00", mi = "00", s = "00", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < MIN_YEAR || year > MAX_YEAR) return bad(t("cli:scn.s.years", { min: MIN_YEAR, max: MAX_YEAR }));
  if (month < 1 || month > 12) return bad(t("cli:scn.s.months"));
  if (day < 1 || day > daysIn(year, month)) {
    return bad(t("cli:scn.s.monthDays", { month: t(`cli:scn.s.month.${month}`), year, days: daysIn(year, month) }));
  }
  if (Number(h) > 23 || Number(mi) > 59) return bad(t("cli:scn.s.hours"));
  if (Number(s) > 59) return bad(t("cli:scn.s.secondsRange"));
  const zoned = zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  if (zoned !== "Z" && (Number(zoned.slice(1, 3)) > 23 || Number(zoned.slice(4, 6)) > 59)) return bad(t("cli:scn.s.zone"));
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${zoned}`);
  return Number.isFinite(ms) ? { ok: true, ms } : { ok: false, message: t("cli:scn.s.notDate", { value: quote(text), hint: dateHint() }) };
}

export const isoDate = z
  .string({ error: unlessMissing((iss) => t("cli:scn.s.expectedDate", { got: describe(iss.input), hint: dateHint() })) })
  .transform((value, ctx) => {
    const r = checkIsoDate(value);
    if (r.ok) return r.ms;
    ctx.addIssue({ code: "custom", message: r.message, input: value });
    return z.NEVER;
  });

/** A point in simulated time: an offset from the scenario's start (a duration) or an absolute date. */
export type TimePoint = { offset: number } | { date: number };

export const timePoint = z
  .union([z.number(), z.string()], {
    error: unlessMissing((iss) => t("cli:scn.s.expectedTime", { got: describe(iss.input), hint: dateHint() })),
  })
  .transform((value, ctx): TimePoint => {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
      const r = checkIsoDate(value);
      if (r.ok) return { date: r.ms };
      ctx.addIssue({ code: "custom", message: r.message, input: value });
      return z.NEVER;
    }
    const r = parseDurationValue(value);
    if (r.ok) return { offset: r.seconds };
    ctx.addIssue({
      code: "custom",
      message: t("cli:scn.s.notTime", { value: describe(value), hint: dateHint() }),
      input: value,
    });
    return z.NEVER;
  });

export const rate = z
  .string({ error: unlessMissing((iss) => t("cli:scn.expectedRate", { got: describe(iss.input), hint: rateHint() })) })
  .transform((value, ctx) => {
  const r = parseRate(value);
  if (r.ok) return r.perSecond;
  ctx.addIssue({ code: "custom", message: r.message, input: value });
  return z.NEVER;
});

function optionSchema(o: OptionSpec): z.ZodType {
  switch (o.kind.type) {
    case "duration":
      return hint(duration, o.description, o.example).optional();
    case "count":
      return hint(
        z
          .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedWhole", { got: describe(iss.input), example: `${o.key}: ${o.example}` })) })
          .int({ error: unlessMissing((iss) => t("cli:scn.s.notWhole", { value: describe(iss.input), example: `${o.key}: ${o.example}` })) }),
        o.description,
        o.example,
      ).optional();
    case "boolean":
      return hint(
        z.boolean({ error: unlessMissing((iss) => t("cli:scn.s.expectedBoolean", { got: describe(iss.input), example: `${o.key}: ${o.example}` })) }),
        o.description,
        o.example,
      ).optional();
    case "retry":
      return hint(
        z.string({ error: unlessMissing((iss) => t("cli:scn.s.expectedRetry", { got: describe(iss.input), example: `${o.key}: "${o.example}"` })) }),
        o.description,
        o.example,
      ).optional();
    case "intervals":
      // A retry list as text ("10m, 15m, 30m, 1h*3"), or as a YAML list of durations; parsed by the compiler.
      return hint(
        z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))], {
          error: unlessMissing((iss) => t("cli:scn.s.expectedIntervals", { got: describe(iss.input), example: `${o.key}: "${o.example}"` })),
        }),
        o.description,
        o.example,
      ).optional();
  }
}

const mtaObjects = MTA_NAMES.map((name) =>
  z.strictObject({
    name: z.literal(name),
    ...Object.fromEntries(MTA_OPTIONS[name].map((o) => [o.key, optionSchema(o)])),
  }),
);

/**
 * The MTA a queue imitates: a name (`postfix`), or a name with overrides of
 * its settings (`{ name: postfix, maximal_queue_lifetime: 2d }`).
 */
export const mta = z.preprocess(
  (v) => (typeof v === "string" ? { name: v } : v),
  z.discriminatedUnion("name", mtaObjects as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (iss) => {
      const name = (iss.input as { name?: unknown } | undefined)?.name;
      return name === undefined
        ? t("cli:scn.s.mtaNoName", { names: MTA_NAMES.join(", ") })
        : t("cli:scn.s.notMta", { value: describe(name), names: MTA_NAMES.join(", ") });
    },
  }),
);
export type MtaInput = { name: MtaName } & Record<string, unknown>;

export const outage = z
  .strictObject({
    start: hint(timePoint, "when the server goes down: an offset from the scenario's start or a date", "1d9h"),
    duration: hint(duration, "how long it stays down (give this or end)", "36h").optional(),
    end: hint(timePoint, "when it is back (give this or duration)", "2d21h").optional(),
    mode: hint(
      z.enum(FAILURE_MODES),
      FAILURE_MODES_DESCRIPTION,
      "refused",
    ).default("refused"),
  })
  .check((ctx) => {
    const o = ctx.value;
    if ((o.duration === undefined) === (o.end === undefined)) {
      ctx.issues.push({
        code: "custom",
        message:
          o.duration === undefined
            ? t("cli:scn.s.outageNeedsEnd")
            : t("cli:scn.s.outageBoth"),
        input: o,
        path: o.duration === undefined ? [] : ["end"],
      });
    }
  });

export const mxRecord = z.strictObject({
  preference: hint(
    z
      .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedPreference", { got: describe(iss.input) })) })
      .int({ error: unlessMissing((iss) => t("cli:scn.s.preferenceNotWhole", { value: describe(iss.input) })) })
      .min(0, { error: unlessMissing((iss) => t("cli:scn.s.preferenceBelow", { value: describe(iss.input) })) })
      .max(65535, { error: unlessMissing((iss) => t("cli:scn.s.preferenceAbove", { value: describe(iss.input) })) }),
    "MX preference: lower is tried first",
    10,
  ),
  host: hint(
    z
      .string({ error: unlessMissing((iss) => t("cli:scn.s.expectedHost", { got: describe(iss.input) })) })
      .regex(/^(\.|[A-Za-z0-9][A-Za-z0-9.-]*)$/, {
        error: unlessMissing((iss) => t("cli:scn.s.notHost", { value: describe(iss.input) })),
      }),
    "the mail exchanger: one of the servers, or \".\" for a null MX (RFC 7505)",
    "mx1.example.com",
  ),
});

export const domain = z
  .strictObject({
    mx: hint(z.array(mxRecord), "the domain's MX records", [{ preference: 10, host: "mx1.example.com" }]).optional(),
    a: hint(hostName, "with no MX records: the server the domain's address points to (an implicit MX, RFC 5321 §5.1)", "mail.example.com").optional(),
  })
  .check((ctx) => {
    const d = ctx.value;
    if (!d.mx?.length && d.a === undefined) {
      ctx.issues.push({
        code: "custom",
        message: t("cli:scn.s.domainNeedsMx"),
        input: d,
        path: d.mx ? ["mx"] : [],
      });
    }
  });

const domainList = z
  .array(hostName)
  .min(1, { error: () => t("cli:scn.s.domainList") });

export const flapping = z.strictObject({
  up: hint(duration, "mean time between failures (exponential)", "6h"),
  down: hint(duration, "mean time to repair (exponential)", "10m"),
  mode: hint(z.enum(FAILURE_MODES), "how the server fails while down", "refused").default("refused"),
});

const common = {
  outages: hint(z.array(outage), "windows when the server is down", [{ start: "1d", duration: "36h", mode: "refused" }]).default([]),
  flapping: hint(flapping, "random failures on top of the outages: mean up and down times (MTBF/MTTR)", { up: "6h", down: "10m" }).optional(),
  mta: hint(mta, "the MTA whose queue this server imitates", "qmail").prefault("qmail"),
};

/**
 * A server's greylisting: a delay alone (`5m`, postgrey's --delay) or postgrey's other options too;
 * the defaults are postgrey's (src/core/greylist.ts).
 */
const greylistingObject = z.strictObject({
  delay: hint(duration, "a triplet's first attempt gets 450; an attempt this long after it passes (postgrey --delay; 0 = off)", "5m"),
  key: hint(
    z.enum(["subnet", "ip"]),
    "what identifies the client: its /24 network (postgrey's default, --lookup-by-subnet) or its exact address (--lookup-by-host)",
    "ip",
  ).default("subnet"),
  whitelist: hint(
    z.array(z.string({ error: unlessMissing((iss) => t("cli:scn.s.expectedWhitelistName", { got: describe(iss.input) })) })),
    "clients never greylisted (postgrey_whitelist_clients): sender names, server names or sender MTA names such as amazon-ses",
    ["amazon-ses"],
  ).default([]),
  auto_whitelist: hint(
    z
      .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedWhole", { got: describe(iss.input), example: "auto_whitelist: 5" })) })
      .int({ error: unlessMissing((iss) => t("cli:scn.s.notWhole", { value: describe(iss.input), example: "auto_whitelist: 5" })) })
      .min(0, { error: unlessMissing((iss) => t("cli:scn.s.autoWhitelistNegative", { value: describe(iss.input) })) }),
    "a client address whose mail passed this many times (one counted per hour) is not greylisted again (postgrey --auto-whitelist-clients, 5; 0 = off)",
    5,
  ).default(5),
  retry_window: hint(duration, "a first retry later than this after the first attempt starts the wait over (postgrey --retry-window, 2d)", "2d").default(
    172800,
  ),
});

const GREYLISTING_DEFAULTS = { key: "subnet" as const, whitelist: [] as string[], auto_whitelist: 5, retry_window: 172800 };
const greylisting = z.union([duration.transform((delay) => ({ delay, ...GREYLISTING_DEFAULTS })), greylistingObject], {
  error: unlessMissing((iss) => t("cli:scn.s.expectedGreylisting", { got: describe(iss.input) })),
});

/** The most concurrent sessions a server may be given (each has a slot in memory). */
export const MAX_CAPACITY = 1_000_000;

const capacity = {
  capacity: hint(
    z
      .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedSessions", { got: describe(iss.input) })) })
      .int({ error: unlessMissing((iss) => t("cli:scn.s.notWhole", { value: describe(iss.input), example: "capacity: 20" })) })
      .min(1, { error: unlessMissing((iss) => t("cli:scn.s.capacityZero", { value: describe(iss.input) })) })
      // One slot per session is kept in memory.
      .max(MAX_CAPACITY, { error: unlessMissing((iss) => t("cli:scn.s.capacityTooBig", { value: describe(iss.input), max: MAX_CAPACITY })) }),
    "concurrent SMTP sessions it accepts; above that it answers 421 (default: no limit)",
    20,
  ).optional(),
  session_time: hint(duration, "how long one SMTP session occupies a slot (default 2s)", "2s").default(2),
  greylisting: hint(
    greylisting,
    "greylisting as postgrey does it: a delay (5m), or { delay, key: subnet|ip, whitelist, auto_whitelist, retry_window } (default off)",
    "5m",
  ).default({ delay: 0, ...GREYLISTING_DEFAULTS }),
};

export const mailboxServer = z.strictObject({
  role: z.literal("mailbox"),
  ...capacity,
  domains: hint(domainList, "domains whose mailboxes this server holds", ["example.com"]),
  ...common,
});

export const relayServer = z.strictObject({
  role: z.literal("relay"),
  recipient_validation: hint(
    z.boolean({ error: unlessMissing((iss) => t("cli:scn.s.expectedBoolean", { got: describe(iss.input), example: "recipient_validation: true" })) }),
    "reject unknown recipients at RCPT, as Postfix relay_recipient_maps does (default false, as qmail's rcpthosts)",
    true,
  ).default(false),
  ...capacity,
  relay_domains: hint(domainList, "domains it accepts and queues for (qmail: control/rcpthosts)", ["example.com"]),
  routes: hint(
    z.record(hostName, hostName),
    "where it forwards each domain (qmail: control/smtproutes domain:host); without a route it looks up the MX records",
    { "example.com": "mx1.example.com" },
  ).default({}),
  ...common,
});

export const balancerServer = z.strictObject({
  role: z.literal("balancer"),
  members: hint(
    z.array(hostName).min(1, { error: () => t("cli:scn.s.balancerMembers") }),
    "mailbox servers behind this virtual address (LVS); each connection goes to one that passes a TCP health check",
    ["node1.example.com", "node2.example.com"],
  ),
  outages: common.outages,
});

export const server = z.discriminatedUnion("role", [mailboxServer, relayServer, balancerServer], {
  error: (iss) => {
    const role = (iss.input as { role?: unknown } | undefined)?.role;
    return role === undefined
      ? t("cli:scn.s.roleMissing")
      : t("cli:scn.s.notRole", { value: describe(role) });
  },
});

/** A percentage written 45% or 45, from 0 to 100. */
export const percentage = (example: string) =>
  z.union([z.number(), z.string()], { error: unlessMissing((iss) => t("cli:scn.s.expectedPercentage", { got: describe(iss.input), example })) }).transform((v, ctx) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(String(v));
    if (m && Number(m[1]) <= 100) return Number(m[1]);
    ctx.addIssue({ code: "custom", message: t("cli:scn.s.notPercentage", { value: describe(v), example }), input: v });
    return z.NEVER;
  });

/** One MTA's share of a sender mix: `30%`, or `{ share: 30%, <that MTA's overrides> }` (checked by the compiler). */
const mixShare = z.union(
  [
    percentage("gmail: 30%").transform((share) => ({ share })),
    z.looseObject({ share: hint(percentage("gmail: { share: 30%, give_up: 48h }"), "this MTA's share of the sender's rate, in percent", "30%") }),
  ],
  { error: unlessMissing((iss) => t("cli:scn.s.expectedMixShare", { got: describe(iss.input) })) },
);

export const sender = z
  .strictObject({
    to: hint(hostName, "the domain this sender mails", "example.com"),
    rate: hint(rate, `Poisson arrivals: ${rateHint()}`, "20/h").optional(),
    at: hint(z.array(timePoint), "explicit send times: offsets from the start or dates", ["0s", "1h30m"]).optional(),
    until: hint(timePoint, "stop sending at this time (default: send for the whole run), so queued mail can drain before the end", "14d").optional(),
    mta: hint(mta, "the MTA whose queue the sender's mail waits in when every MX fails (default qmail)", "qmail").optional(),
    mix: hint(
      z.record(z.string(), mixShare),
      "instead of mta: who sends, as shares of the rate by sender MTA, e.g. { microsoft365: 45%, gmail: 30% } (each may carry overrides: gmail: { share: 30%, give_up: 48h })",
      { microsoft365: "45%", gmail: "30%", "amazon-ses": "10%", postfix: "15%" },
    ).optional(),
    forged: hint(
      z.boolean({ error: unlessMissing((iss) => t("cli:scn.s.expectedBoolean", { got: describe(iss.input), example: "forged: true" })) }),
      "the envelope sender is forged (spam): bounces and warnings sent to it are backscatter (default false)",
      true,
    ).default(false),
    invalid_recipients: hint(
      z
        .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedFraction", { got: describe(iss.input) })) })
        .min(0, { error: unlessMissing((iss) => t("cli:scn.s.fractionBelow", { value: describe(iss.input) })) })
        .max(1, { error: unlessMissing((iss) => t("cli:scn.s.fractionAbove", { value: describe(iss.input) })) }),
      "share of messages to recipients that do not exist (default 0)",
      0.3,
    ).default(0),
    target: hint(
      z.enum(["mx-order", "lowest-priority"]),
      "mx-order: a normal MTA; lowest-priority: spam software that connects only to the backup MX (the highest preference number)",
      "lowest-priority",
    ).default("mx-order"),
    retries: hint(
      z.boolean({ error: unlessMissing((iss) => t("cli:scn.s.expectedBoolean", { got: describe(iss.input), example: "retries: false" })) }),
      "false for spam software: a message not accepted at once is dropped (default true)",
      false,
    ).default(true),
  })
  .check((ctx) => {
    const s = ctx.value;
    if ((s.rate === undefined) === (s.at === undefined)) {
      ctx.issues.push({
        code: "custom",
        message:
          s.rate === undefined
            ? t("cli:scn.s.senderNeedsRate")
            : t("cli:scn.s.senderBoth"),
        input: s,
        path: s.rate === undefined ? [] : ["at"],
      });
    }
    if (s.mix !== undefined && s.mta !== undefined) {
      ctx.issues.push({ code: "custom", message: t("cli:scn.s.mtaOrMix"), input: s, path: ["mix"] });
    }
    if (s.mix !== undefined && s.at !== undefined) {
      ctx.issues.push({ code: "custom", message: t("cli:scn.s.mixAt"), input: s, path: ["at"] });
    }
  });

export const action = z.strictObject({
  at: hint(timePoint, "when: an offset from the start or a date", "2d21h"),
  flush: hint(hostName, "retry every message queued at this server or sender now (qmailctl flush, postqueue -f)", "fcmx2.blyx.com"),
});

/** The bounds counted over legitimate mail only (report/expectations.ts). */
const LEGITIMATE_COUNTS = new Set(["bounced", "still_queued", "delivered_via_secondary", "delivered_after_sender_retry"]);

const count = (name: string, example: number) =>
  hint(
    z
      .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedWhole", { got: describe(iss.input), example: `${name}: ${example}` })) })
      .int({ error: unlessMissing((iss) => t("cli:scn.s.notWhole", { value: describe(iss.input), example: `${name}: ${example}` })) })
      .min(0, { error: unlessMissing((iss) => t("cli:scn.s.negativeEg", { value: describe(iss.input), example: `${name}: ${example}` })) }),
    `at most this many ${name.replace(/_/g, " ")}${LEGITIMATE_COUNTS.has(name) ? " (legitimate mail: spam from forged senders is left out)" : ""}`,
    example,
  ).optional();
const atMost = (what: string, example: string) => hint(duration, `at most this long: ${what}`, example).optional();

/** Upper bounds the run must respect; `mxsim run` exits 1 when one is broken. */
export const expectations = z.strictObject({
  bounced: count("bounced", 0),
  bounce_rate: hint(
    percentage("bounce_rate: 1%"),
    "at most this share of the legitimate messages created bounced, in percent (spam from forged senders is left out)",
    "1%",
  ).optional(),
  still_queued: count("still_queued", 0),
  delivered_via_secondary: count("delivered_via_secondary", 100),
  delivered_after_sender_retry: count("delivered_after_sender_retry", 100),
  p50_latency: atMost("the median delivery latency", "5m"),
  p90_latency: atMost("the 90th percentile of delivery latency", "1h"),
  p95_latency: atMost("the 95th percentile of delivery latency", "2h"),
  p99_latency: atMost("the 99th percentile of delivery latency", "6h"),
  max_latency: atMost("the slowest delivery", "1d"),
  peak_queue: count("peak_queue", 1000),
  drain_time: atMost("the time queues take to empty after an outage", "4h"),
  delay_warnings: count("delay_warnings", 0),
  backscatter: count("backscatter", 0),
});

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const scenario = z.strictObject({
  name: hint(
    z
      .string({ error: unlessMissing((iss) => t("cli:scn.s.expectedName", { got: describe(iss.input) })) })
      .regex(NAME_RE, {
        error: (iss) =>
          t("cli:scn.s.badName", { value: describe(iss.input) }),
      }),
    "the scenario's name; outputs go to output/<name>/",
    "article-outage",
  ),
  description: hint(
    z.union([z.string(), z.strictObject({ en: z.string().optional(), es: z.string().optional() })], {
      error: (iss) => `expected a text, got ${describe(iss.input)}; write e.g. description: The primary is down for 36 hours. (or one text per language: description: { en: …, es: … })`,
    }),
    "what the scenario shows, in plain words; or one text per language, { en: …, es: … }, shown in the language of the output",
    "The primary is down for 36 hours.",
  ).default(""),
  seed: hint(
    z
      .number({ error: unlessMissing((iss) => t("cli:scn.s.expectedSeed", { got: describe(iss.input) })) })
      .int({ error: unlessMissing((iss) => t("cli:scn.s.notWhole", { value: describe(iss.input), example: "seed: 42" })) })
      .min(0, { error: unlessMissing((iss) => t("cli:scn.s.seedNegative", { value: describe(iss.input) })) })
      .max(Number.MAX_SAFE_INTEGER),
    "seed of every random stream; the same seed gives the same results",
    42,
  ).default(1),
  start: hint(isoDate, "the date and time of the simulation's start (UTC)", "2008-03-10T00:00:00Z").prefault(
    "2024-01-01T00:00:00Z",
  ),
  duration: hint(duration, "how much time to simulate", "5d"),
  dns: hint(z.record(hostName, domain), "MX records per domain", {
    "example.com": { mx: [{ preference: 10, host: "mx1.example.com" }] },
  }),
  servers: hint(z.record(hostName, server), "mail servers by host name", { "mx1.example.com": { role: "mailbox", domains: ["example.com"] } }),
  senders: hint(z.record(hostName, sender), "sending MTAs by name", { "hotmail.com": { to: "example.com", rate: "20/h" } }),
  actions: hint(z.array(action), "an administrator's actions", [{ at: "2d21h", flush: "fcmx2.blyx.com" }]).default([]),
  story: hint(
    z.enum(STORY_PICKS),
    "the story explain and story.txt tell by default: the first message of this kind (default: the first through a backup, else after sender retries, else bounced)",
    "bounce",
  ).optional(),
  expect: hint(expectations, "what must hold; mxsim run exits 1 when it does not (for CI)", { bounced: 0, p95_latency: "2h" }).optional(),
});

export type ScenarioInput = z.output<typeof scenario>;
