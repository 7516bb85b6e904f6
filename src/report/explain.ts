/**
 * The life of one message in plain language: the MX lookup as `nslookup -q=mx`
 * prints it, each connection and what came of it, why the MTA moved on to
 * the next MX or did not, each queue entry and retry, and the end. A pure
 * function of a run's records.
 */
import { FAILURE_INFO, FAILURE_MODES, type FailureMode } from "../core/failure-modes.js";
import { BOUNCED, DELIVERED, PATH_SENDER_RETRY, PATH_VIA_SECONDARY } from "../core/message-table.js";
import { ATTEMPT_RESULTS, BOUNCE_INFO, BOUNCE_REASONS, CONNECTION_RESULTS, NOTIFICATION_KINDS, type ConnectionResult } from "../core/outcomes.js";
import { PROFILE_INFO, connectTimeout, type Profile } from "../core/profile.js";
import type { RunResult } from "../core/simulate.js";
import { human, isoAt, offset } from "./format.js";

/**
 * The message a reader learns most from: the first that went through the
 * secondary, else the first delivered after sender retries, else the first
 * bounced, else the first message.
 */
export function instructiveMessage(r: RunResult): number {
  const m = r.messages;
  const first = (ok: (i: number) => boolean) => {
    for (let i = 0; i < m.count; i++) if (ok(i)) return i;
    return -1;
  };
  for (const pick of [
    (i: number) => m.path[i] === PATH_VIA_SECONDARY,
    (i: number) => m.path[i] === PATH_SENDER_RETRY,
    (i: number) => m.outcome[i] === BOUNCED,
  ]) {
    const i = first(pick);
    if (i >= 0) return i;
  }
  return 0;
}

/** One connection or skipped host of an attempt. */
export interface StoryConnection {
  host: string;
  preference: number | null;
  at: number;
  result: ConnectionResult;
}

export interface StoryAttempt {
  by: string;
  start: number;
  end: number;
  result: string;
  connections: StoryConnection[];
  next: number;
}

/** The records of one message, gathered from the attempt log. */
export function messageAttempts(r: RunResult, m: number): StoryAttempt[] {
  const a = r.attempts;
  if (!a) throw new Error("explaining a message needs the run's attempt log");
  const out: StoryAttempt[] = [];
  const domain = r.model.domains[r.model.senders[r.messages.sender[m]!]!.domain]!;
  const prefOf = (server: number) => domain.mx.find((x) => x.server === server)?.preference ?? null;
  for (let i = 0; i < a.count; i++) {
    if (a.message[i] !== m) continue;
    const connections: StoryConnection[] = [];
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
      connections.push({
        host: r.nodes[a.connHost[k]!]!.name,
        preference: prefOf(a.connHost[k]!),
        at: a.connAt[k]!,
        result: CONNECTION_RESULTS[a.connResult[k]!]!,
      });
    }
    out.push({
      by: r.nodes[a.node[i]!]!.name,
      start: a.start[i]!,
      end: a.end[i]!,
      result: ATTEMPT_RESULTS[a.result[i]!]!,
      connections,
      next: a.next[i]!,
    });
  }
  return out;
}

const MEANING: Record<ConnectionResult, string> = {
  accepted: "accepted the message",
  ...(Object.fromEntries(FAILURE_MODES.map((m) => [m, FAILURE_INFO[m].meaning])) as Record<FailureMode, string>),
  busy: 'answered "421 too many connections": it is at its session limit',
  "unknown-user": 'answered "550 no such user": the recipient does not exist',
  "relay-denied": 'answered "553 sorry, that domain isn\'t in my list of allowed rcpthosts"',
  loop: 'answered "554 too many hops, this message is looping"',
  skipped: "not contacted: the sender remembers this host as down (qmail's tcpto or Exim's retry hint)",
};

/** Why, after a failure at one host, the MTA went on to the next or stopped. */
function moveOnReason(profile: Profile, result: ConnectionResult, movedOn: boolean): string {
  const mta = PROFILE_INFO[profile.mta].name;
  if (result === "skipped") return `${mta} goes on to the next host without waiting.`;
  if (movedOn) {
    if (result === "refused" || result === "timeout") return `The TCP connection failed, so ${mta} tries the next MX: this is the failover.`;
    return `${mta} treats this as a temporary error at this host and tries the next MX in the same attempt.`;
  }
  if (profile.mta === "qmail" && result !== "refused" && result !== "timeout" && result !== "reject-5xx") {
    return "The TCP connection succeeded, so qmail does not try another MX: it only fails over when it cannot connect at all.";
  }
  return "";
}

/** Plain-language, numbered steps telling the life of message `m`. */
export function explain(r: RunResult, m: number): string[] {
  const { model, messages: msgs } = r;
  const at = (t: number) => `${isoAt(model.startEpochMs, t).replace("T", " ").replace("Z", "")} (T+${offset(t)})`;
  const sender = model.senders[msgs.sender[m]!]!;
  const domain = model.domains[sender.domain]!;
  const profileOf = (name: string): Profile => {
    const s = model.servers.find((x) => x.name === name);
    return s ? s.profile : model.senders.find((x) => x.name === name)!.profile;
  };
  const created = msgs.created[m]!;
  const steps: string[] = [];
  steps.push(
    `Message ${m} is sent by ${sender.name} (running ${PROFILE_INFO[sender.profile.mta].title}) to a user at ${domain.name}, at ${at(created)}.`,
  );
  const lookup = [`${sender.name} looks up where mail for ${domain.name} goes:`, `    $ nslookup -q=mx ${domain.name}`];
  if (domain.nullMx) lookup.push(`    ${domain.name}\tmail exchanger = 0 .`, "  A null MX (RFC 7505): the domain accepts no mail.");
  else if (domain.implicit) {
    lookup.push(`    *** No mail exchanger (MX) records for ${domain.name}`, `  No MX records, so the domain's own address is used as an implicit MX of preference 0: ${r.nodes[domain.mx[0]!.server]!.name}.`);
  } else {
    for (const x of [...domain.mx].sort((p, q) => p.preference - q.preference)) {
      lookup.push(`    ${domain.name}\tmail exchanger = ${x.preference} ${r.nodes[x.server]!.name}.`);
    }
    lookup.push("  The lowest preference is tried first; hosts of equal preference are tried in random order.");
  }
  steps.push(lookup.join("\n"));

  let queuedAt = "";
  const attempts = messageAttempts(r, m);
  // When each MTA took the message: its retry schedule counts from then.
  const takenAt = new Map<string, number>([[sender.name, created]]);
  for (const a of attempts) if (a.result === "relayed") takenAt.set(a.connections.at(-1)!.host, a.end);
  const signature = (x: StoryAttempt) => `${x.by}|${x.result}|${x.connections.map((c) => `${c.host}:${c.result}`).join(",")}`;
  for (let i = 0; i < attempts.length; i++) {
    const att = attempts[i]!;
    // A long run of identical deferrals is told once, with its times, after the first of them.
    let j = i + 1;
    while (j < attempts.length && att.result === "deferred" && signature(attempts[j]!) === signature(att)) j++;
    if (j - i >= 4 && i > 0 && signature(attempts[i - 1]!) === signature(att)) {
      const run = attempts.slice(i, j);
      const what = att.connections.map((c) => `${c.host}: ${MEANING[c.result]}`).join("; ") || "no connection";
      const since = takenAt.get(att.by) ?? created;
      steps.push(
        `${att.by} tries ${run.length} more times on ${PROFILE_INFO[profileOf(att.by).mta].name}'s schedule, ` +
          `${human(run[0]!.start - since)} to ${human(run.at(-1)!.start - since)} after it took the message ` +
          `(at +${run.map((x) => human(x.start - since)).join(", +")}); each time ${what}. ` +
          `The next attempt is due at ${at(run.at(-1)!.next)}.`,
      );
      i = j - 1;
      continue;
    }
    const profile = profileOf(att.by);
    const mta = PROFILE_INFO[profile.mta].name;
    if (att.by !== queuedAt && model.servers.some((s) => s.name === att.by)) {
      const route = model.servers.find((s) => s.name === att.by)!.routes.get(sender.domain);
      steps.push(
        `${att.by} is a backup MX for ${domain.name}: it has no mailboxes, so it keeps the message in its queue and forwards it ` +
          (route !== undefined ? `to ${r.nodes[route]!.name} (its static route, like qmail's control/smtproutes).` : "to the better MX hosts."),
      );
      queuedAt = att.by;
    }
    const lines = [`At ${at(att.start)} ${att.by} makes a delivery attempt:`];
    if (att.connections.length === 0 && att.result === "deferred") {
      lines.push(`  no connection: the destination is marked dead after the last failures ("delivery temporarily suspended").`);
    }
    att.connections.forEach((c, k) => {
      const pref = c.preference !== null ? ` (MX ${c.preference})` : "";
      const waited = c.result === "timeout" ? ` after waiting ${human(connectTimeout(profile))}` : "";
      lines.push(`  - ${c.host}${pref}: ${MEANING[c.result]}${waited}.`);
      if (c.result !== "accepted") {
        const why = moveOnReason(profile, c.result, k < att.connections.length - 1);
        if (why) lines.push(`    ${why}`);
      }
    });
    if (att.result === "deferred") {
      lines.push(
        `  The attempt failed for now: the message waits in ${att.by}'s queue. ${mta} schedules the next attempt for ${at(att.next)}, ` +
          `${human(att.next - att.end)} later.`,
      );
    } else if (att.result === "relayed") lines.push(`  ${att.connections.at(-1)!.host} now holds the message.`);
    else if (att.result === "unfinished") {
      lines.push(`  The run ends while this attempt is still under way (a connection is still waiting for its timeout), so its outcome falls after the end of the simulation.`);
    }
    steps.push(lines.join("\n"));
  }

  const a = r.attempts!;
  for (let i = 0; i < a.noteCount; i++) {
    if (a.noteMessage[i] === m && NOTIFICATION_KINDS[a.noteKind[i]!] === "delayed") {
      steps.push(`At ${at(a.noteAt[i]!)} ${r.nodes[a.noteNode[i]!]!.name} sends a delay warning (a DSN with Action: delayed) to the sender: the message is still queued.`);
    }
  }

  const outcome = msgs.outcome[m];
  if (outcome === DELIVERED) {
    steps.push(
      `The message reaches the mailbox on ${r.nodes[msgs.holder[m]!]!.name} at ${at(msgs.done[m]!)}: ` +
        `${human(msgs.done[m]! - created)} after it was sent, after ${msgs.attempts[m]} delivery attempt${msgs.attempts[m] === 1 ? "" : "s"}.`,
    );
  } else if (outcome === BOUNCED) {
    const reason = BOUNCE_REASONS[msgs.reason[m]!]!;
    steps.push(
      `${r.nodes[msgs.holder[m]!]!.name} gives up at ${at(msgs.done[m]!)} and returns the message to ${sender.name}: ${BOUNCE_INFO[reason].text}.` +
        (sender.forged && msgs.holder[m]! < model.servers.length ? " The sender address was forged, so this bounce is backscatter: it lands on an innocent third party." : ""),
    );
  } else {
    steps.push(`At the end of the run (${at(model.duration)}) the message is still waiting in ${r.nodes[msgs.holder[m]!]!.name}'s queue.`);
  }
  return steps;
}

/** The steps numbered, as printed by `mxsim explain`. */
export function explainText(steps: string[]): string {
  return steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s.replace(/\n/g, "\n    ")}`).join("\n");
}
