/**
 * The rows of `mxsim compare`, shared by the terminal table, compare.csv and
 * compare.html: every outcome of the legitimate mail (delivered by path,
 * bounced by whom and why, still queued), the time to delivery over ALL mail
 * sent (a percentile that falls on undelivered mail is "not delivered"), the
 * split by sender profile, the spam side, and the servers' load.
 */
import { human } from "./format.js";
import { allMailPercentile, delivered, NOT_DELIVERED, type LegitimateMail, type MailOutcomes, type Spam } from "./mail-outcomes.js";
import type { ProfileCounts, Summary } from "./summary.js";

/** What a row needs of a variant. */
export interface RowInput {
  summary: Summary;
  outcomes: MailOutcomes;
}

export interface Cell {
  /** The number, for the CSV; null when there is none (see `note`). */
  value: number | null;
  /** For people: "180 (2.5%)", "2d 3h", "not delivered". */
  text: string;
  /** Why there is no number: "not delivered", "not drained", "no queue". */
  note: string;
}

export interface Row {
  section: string;
  /** The metric's name, unique within its section. */
  label: string;
  /** 0 for a total, 1 for its parts. */
  indent: number;
  cells: Cell[];
}

const count = (n: number): Cell => ({ value: n, text: String(n), note: "" });
const share = (n: number, of: number): Cell => ({ value: n, text: `${n} (${of ? ((100 * n) / of).toFixed(1) : "0.0"}%)`, note: "" });
const none = (note: string, text = note): Cell => ({ value: null, text, note });
const time = (t: number | typeof NOT_DELIVERED): Cell => (t === NOT_DELIVERED ? none(NOT_DELIVERED) : { value: t, text: human(t), note: "" });

/** The percentiles over all mail shown by compare (and sweep). */
export const ALL_MAIL_PERCENTILES = [50, 90, 95, 99] as const;

/** Every row, in order; a section only when some variant has something in it. */
export function compareRows(vs: RowInput[]): Row[] {
  return [...legitimateRows(vs), ...profileRows(vs), ...spamRows(vs), ...serverRows(vs)];
}

/** The union of a record's keys over the variants, in name order. */
const keys = (vs: RowInput[], of: (v: RowInput) => Record<string, unknown>) => [...new Set(vs.flatMap((v) => Object.keys(of(v))))].sort();

function legitimateRows(vs: RowInput[]): Row[] {
  const section = "legitimate mail";
  const L = (v: RowInput) => v.outcomes.legitimate;
  const row = (label: string, indent: number, cell: (l: LegitimateMail) => Cell): Row => ({ section, label, indent, cells: vs.map((v) => cell(L(v))) });
  const rows = [
    row("sent", 0, (l) => count(l.created)),
    row("delivered", 0, (l) => share(delivered(l), l.created)),
    row("directly", 1, (l) => share(l.delivered_direct, l.created)),
    row("via a secondary", 1, (l) => share(l.delivered_via_secondary, l.created)),
    row("after sender retries", 1, (l) => share(l.delivered_after_sender_retry, l.created)),
    row("bounced", 0, (l) => share(l.bounced, l.created)),
    ...keys(vs, (v) => L(v).bounced_by).map((by) => row(`by ${by}`, 1, (l) => share(l.bounced_by[by] ?? 0, l.created))),
    ...keys(vs, (v) => L(v).bounced_why).map((why) => row(`why: ${why}`, 1, (l) => share(l.bounced_why[why] ?? 0, l.created))),
    row("still queued at the end", 0, (l) => share(l.still_queued, l.created)),
    ...keys(vs, (v) => L(v).still_queued_at).map((at) => row(`at ${at}`, 1, (l) => share(l.still_queued_at[at] ?? 0, l.created))),
  ];
  for (const p of ALL_MAIL_PERCENTILES) {
    rows.push(row(`time to delivery p${p} (all mail sent)`, 0, (l) => time(allMailPercentile(l.latencies, l.created, p / 100))));
  }
  return rows;
}

const PROFILE_FIELDS: [keyof ProfileCounts, string][] = [
  ["created", "sent"],
  ["bounced", "bounced"],
  ["still_queued", "still queued"],
];

/** Legitimate mail by sender profile, when there are two profiles or more (one would repeat the section above). */
function profileRows(vs: RowInput[]): Row[] {
  const mtas = keys(vs, (v) => v.summary.by_profile);
  if (mtas.length < 2) return [];
  return mtas.flatMap((mta) => {
    const of = (v: RowInput): ProfileCounts | undefined => v.summary.by_profile[mta];
    const deliveredRow: Row = {
      section: "by sender profile",
      label: `${mta}: delivered`,
      indent: 1,
      cells: vs.map((v) => {
        const c = of(v);
        return c ? share(c.delivered_direct + c.delivered_via_secondary + c.delivered_after_sender_retry, c.created) : none("no such sender", "-");
      }),
    };
    const rows = PROFILE_FIELDS.map(([field, label]): Row => ({
      section: "by sender profile",
      label: `${mta}: ${label}`,
      indent: field === "created" ? 0 : 1,
      cells: vs.map((v) => {
        const c = of(v);
        return c ? (field === "created" ? count(c.created) : share(c[field], c.created)) : none("no such sender", "-");
      }),
    }));
    return [rows[0]!, deliveredRow, ...rows.slice(1)];
  });
}

const SPAM_FIELDS: [keyof Spam, string][] = [
  ["created", "sent"],
  ["delivered_direct", "delivered to the primary directly"],
  ["delivered_via_secondary", "delivered through a backup MX"],
  ["rejected", "rejected at SMTP time (no DSN)"],
  ["bounced_after_acceptance", "accepted, then bounced (backscatter)"],
  ["dropped", "given up by the sending software"],
  ["still_queued", "still queued at the end"],
];

/** The spam side: where forged mail ended, and the backscatter it caused. None when no variant has spam. */
function spamRows(vs: RowInput[]): Row[] {
  if (vs.every((v) => v.outcomes.spam === null)) return [];
  const section = "spam (forged senders)";
  const rows = SPAM_FIELDS.map(([field, label]): Row => ({
    section,
    label,
    indent: field === "created" ? 0 : 1,
    cells: vs.map((v) => {
      const s = v.outcomes.spam;
      if (!s) return none("no spam", "-");
      return field === "created" ? count(s.created) : share(s[field], s.created);
    }),
  }));
  rows.push({ section, label: "backscatter DSNs sent to forged senders", indent: 0, cells: vs.map((v) => count(v.summary.notifications.backscatter)) });
  return rows;
}

const worstDrain = (s: Summary): Cell => {
  if (s.drain.length === 0) return none("no queue", "-");
  if (s.drain.some((d) => d.drain_s === null)) return none("not drained");
  const t = Math.max(...s.drain.map((d) => d.drain_s!));
  return { value: t, text: human(t), note: "" };
};

/** Connections to the servers holding the mailboxes (the primary, or a cluster's nodes): how hard the senders and the backups hit them. */
const toMailboxes = (s: Summary, field: "attempted" | "opened") => {
  let n = 0;
  for (const c of Object.values(s.connections)) if (c.role === "mailbox") n += c[field];
  return n;
};

function serverRows(vs: RowInput[]): Row[] {
  const section = "servers";
  const row = (label: string, cell: (s: Summary) => Cell): Row => ({ section, label, indent: 0, cells: vs.map((v) => cell(v.summary)) });
  return [
    row("peak queue (largest single queue)", (s) => count(Math.max(0, ...s.peak_queue.map((q) => q.peak)))),
    row("drain after the outage (slowest queue)", worstDrain),
    row("delay warnings sent", (s) => count(s.notifications.delayed)),
    row("connection attempts to the mailbox servers", (s) => count(toMailboxes(s, "attempted"))),
    row("sessions at the mailbox servers", (s) => count(toMailboxes(s, "opened"))),
  ];
}
