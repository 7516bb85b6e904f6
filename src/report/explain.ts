/**
 * The life of one message in plain language: the MX lookup as `nslookup -q=mx`
 * prints it, each connection and what came of it, why the MTA moved on to
 * the next MX or did not, each queue entry and retry, and the end. A pure
 * function of a run's records (core/records.ts).
 */
import { FAILURE_INFO, FAILURE_MODES, isFailureMode, type FailureMode } from "../core/failure-modes.js";
import type { Domain, Model, Sender, Server } from "../core/model.js";
import { BOUNCE_INFO, BOUNCED, PATH_SENDER_RETRY, PATH_VIA_SECONDARY, type ConnectionResult } from "../core/outcomes.js";
import { clientPool, MTA_SETTINGS, PROFILE_DEFAULTS, PROFILE_INFO, failsOverOnConnectOnly, giveUpAfter, waitFor, type Profile } from "../core/profile.js";
import { poolAddress } from "../core/greylist.js";
import { sourceTag, valueText } from "./model-doc.js";
import { attemptsOf, messageRecord, notificationsOf, type AttemptRecord, type ConnectionRecord, type MessageRecord } from "../core/records.js";
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
export type StoryConnection = ConnectionRecord;

export type StoryAttempt = AttemptRecord;

/** The records of one message, gathered from the attempt log. */
export function messageAttempts(r: RunResult, m: number): StoryAttempt[] {
  if (!r.attempts) throw new Error("explaining a message needs the run's attempt log");
  return attemptsOf(r, m);
}


const MEANING: Record<ConnectionResult, string> = {
  accepted: "accepted the message",
  ...(Object.fromEntries(FAILURE_MODES.map((m) => [m, FAILURE_INFO[m].meaning])) as Record<FailureMode, string>),
  busy: 'answered "421 too many connections": it is at its session limit',
  "unknown-user": 'answered "550 no such user": the recipient does not exist',
  "relay-denied": 'answered "553 sorry, that domain isn\'t in my list of allowed rcpthosts"',
  loop: 'answered "554 too many hops, this message is looping"',
  skipped: "not contacted: the MTA remembers this host as down",
};

/** What a connection's result means, in the words of the MTA that made it (a skipped host names what remembered it). */
function meaning(profile: Profile, result: ConnectionResult): string {
  const by = PROFILE_INFO[profile.mta].skipsHostsBy;
  return result === "skipped" && by !== undefined ? `not contacted: it remembers this host as down (${by})` : MEANING[result];
}

/** Why, after a failure at one host, the MTA went on to the next or stopped. */
function moveOnReason(profile: Profile, result: ConnectionResult, movedOn: boolean): string {
  const mta = PROFILE_INFO[profile.mta].name;
  if (result === "skipped") return `${mta} goes on to the next host without waiting.`;
  if (movedOn) {
    if (result === "refused" || result === "timeout") return `The TCP connection failed, so ${mta} tries the next MX: this is the failover.`;
    return `${mta} treats this as a temporary error at this host and tries the next MX in the same attempt.`;
  }
  if (failsOverOnConnectOnly(profile) && result !== "refused" && result !== "timeout" && result !== "reject-5xx") {
    return `The TCP connection succeeded, so ${mta} does not try another MX: it only fails over when it cannot connect at all.`;
  }
  return "";
}

/** What every step of one message's story reads. */
interface Story {
  run: RunResult;
  model: Model;
  message: MessageRecord;
  sender: Sender;
  domain: Domain;
  /** A time as the story prints it: the date and time, and the offset from the start of the run. */
  at: (t: number) => string;
}

/** Plain-language, numbered steps telling the life of message `m`. */
export function explain(r: RunResult, m: number): string[] {
  const { model } = r;
  const message = messageRecord(r, m);
  const sender = model.senders[message.senderIndex]!;
  const at = (t: number) => `${isoAt(model.startEpochMs, t).replace("T", " ").replace("Z", "")} (T+${offset(t)})`;
  const story: Story = { run: r, model, message, sender, domain: model.domains[sender.domain]!, at };
  return [sentStep(story), lookupStep(story), ...attemptSteps(story, messageAttempts(r, m)), ...warningSteps(story), endStep(story)];
}

function sentStep({ message, sender, at }: Story): string {
  const spamSoftware = sender.target === "lowest-priority" || !sender.retries;
  const who = spamSoftware ? "spam software, not a mail server" : `running ${PROFILE_INFO[sender.profile.mta].title}`;
  // Said once, here: the end step names the consequence (backscatter) where it happens.
  const forged = sender.forged ? `; its envelope sender is forged, so a bounce or warning sent to it lands on an innocent third party` : "";
  const sent = `Message ${message.id} is sent by ${sender.name} (${who}${forged}) to a user at ${message.domain}, at ${at(message.created)}.`;
  const habits = providerHabits(sender.profile);
  return habits ? `${sent}\n  ${habits}` : sent;
}

/** Providers state their give-up in hours up to three days ("72 hours"). */
function providerDuration(s: number): string {
  return s <= 72 * 3600 && s % 3600 === 0 ? `${s / 3600} h` : human(s);
}

/**
 * For a provider's sender, how it retries and when it gives up, each number with the kind of source it
 * comes from ("Gmail gives up after 3d [third-party, unverified: …]"), or "set in the scenario" when overridden.
 */
export function providerHabits(p: Profile): string | undefined {
  const info = PROFILE_INFO[p.mta];
  if (!info.sender) return undefined;
  const tag = (key: string) => {
    const spec = MTA_SETTINGS[p.mta].find((o) => o.key === key)!;
    const value = (p as unknown as Record<string, unknown>)[key];
    const byDefault = JSON.stringify(value) === JSON.stringify((PROFILE_DEFAULTS[p.mta] as unknown as Record<string, unknown>)[key]);
    return { text: valueText(spec.kind, value, spec.example), source: byDefault && spec.source ? sourceTag(spec.source) : "[set in the scenario]" };
  };
  const retry = tag("retry");
  const giveUp = tag("give_up");
  const limit = (p as { max_attempts?: number }).max_attempts ? tag("max_attempts") : undefined;
  const intervals = (p as { retry: number[] }).retry.length;
  const giveUpText = providerDuration(giveUpAfter(p));
  return (
    `${info.name} retries ${intervals === 1 ? `every ${retry.text}` : `after ${retry.text} (then the last interval repeats)`} ${retry.source}, ` +
    `and gives up after about ${giveUpText} ${giveUp.source}` +
    (limit ? ` or after ${limit.text} attempts ${limit.source}` : "") +
    "."
  );
}

/** The MX lookup, as `nslookup -q=mx` prints it. */
function lookupStep({ run, sender, domain }: Story): string {
  const lookup = [`${sender.name} looks up where mail for ${domain.name} goes:`, `    $ nslookup -q=mx ${domain.name}`];
  if (domain.nullMx) lookup.push(`    ${domain.name}\tmail exchanger = 0 .`, "  A null MX (RFC 7505): the domain accepts no mail.");
  else if (domain.implicit) {
    lookup.push(`    *** No mail exchanger (MX) records for ${domain.name}`, `  No MX records, so the domain's own address is used as an implicit MX of preference 0: ${run.nodes[domain.mx[0]!.server]!.name}.`);
  } else {
    for (const x of [...domain.mx].sort((p, q) => p.preference - q.preference)) {
      lookup.push(`    ${domain.name}\tmail exchanger = ${x.preference} ${run.nodes[x.server]!.name}.`);
    }
    lookup.push(
      sender.target === "lowest-priority"
        ? "  An MTA would try the lowest preference first; this spam software goes straight to the highest number, the backup, hoping for weaker filtering, and tries nothing else."
        : sender.retries
          ? "  The lowest preference is tried first; hosts of equal preference are tried in random order."
          : "  The lowest preference is tried first; this spam software does not retry: a message not accepted at once is dropped.",
    );
  }
  return lookup.join("\n");
}

/** The profile of the node named `name`, a server or a sender. */
function profileOf(model: Model, name: string): Profile {
  const s = model.servers.find((x) => x.name === name);
  return s ? s.profile : model.senders.find((x) => x.name === name)!.profile;
}

/** What makes two attempts tell the same thing: who made it, its result, and each host with its result. */
const signature = (x: StoryAttempt) => `${x.by}|${x.result}|${x.connections.map((c) => `${c.host}:${c.result}`).join(",")}`;

/** The end (exclusive) of the run of deferrals like attempt i that starts at i. */
function sameDeferralsEnd(attempts: StoryAttempt[], i: number): number {
  const att = attempts[i]!;
  let j = i + 1;
  while (j < attempts.length && att.result === "deferred" && signature(attempts[j]!) === signature(att)) j++;
  return j;
}

/** One step per attempt, a long run of identical deferrals told once, and a note where a backup MX takes over. */
function attemptSteps(s: Story, attempts: StoryAttempt[]): string[] {
  const steps: string[] = [];
  // When each MTA took the message: its retry schedule counts from then. A relayed attempt is always over (end not null).
  const takenAt = new Map<string, number>([[s.sender.name, s.message.created]]);
  for (const a of attempts) if (a.result === "relayed") takenAt.set(a.connections.at(-1)!.host, a.end!);
  let queuedAt = "";
  // When each node's next attempt was due: when it took the message, then each deferral's `next`.
  const dueAt = new Map(takenAt);
  // Each attempt's number at its node (1 = the node's first on this message): which sending address it came from.
  const count = new Map<string, number>();
  const tries = attempts.map((a) => {
    const n = (count.get(a.by) ?? 0) + 1;
    count.set(a.by, a.result === "relayed" ? 0 : n);
    return n;
  });
  for (let i = 0; i < attempts.length; i++) {
    const att = attempts[i]!;
    const due = dueAt.get(att.by) ?? att.start;
    if (att.next !== null) dueAt.set(att.by, att.next);
    // A long run of identical deferrals is told once, with its times, after the first of them.
    // A flush is a step of its own: a run of identical deferrals stops before the attempt a flush started.
    let j = sameDeferralsEnd(attempts, i);
    for (let k = i; k < j; k++) {
      if (flushAt(s, attempts[k]!)) {
        j = k;
        break;
      }
    }
    if (j - i >= 4 && i > 0 && signature(attempts[i - 1]!) === signature(att)) {
      steps.push(repeatedStep(s, attempts.slice(i, j), takenAt.get(att.by) ?? s.message.created));
      i = j - 1;
      if (attempts[i]!.next !== null) dueAt.set(att.by, attempts[i]!.next!);
      continue;
    }
    const server = s.model.servers.find((x) => x.name === att.by);
    if (att.by !== queuedAt && server) {
      steps.push(backupStep(s, server));
      queuedAt = att.by;
    }
    const flush = flushAt(s, att);
    if (flush) steps.push(flush(due));
    steps.push(attemptStep(s, att, due, tries[i]!));
  }
  return steps;
}

/** Offsets of a run of attempts: all of them when few, else the first and last few around the count left out. */
function offsetsText(offsets: number[]): string {
  const SHOWN = 12;
  const list = (xs: number[]) => xs.map((x) => `+${human(x)}`).join(", ");
  if (offsets.length <= SHOWN) return `at ${list(offsets)}`;
  return `at ${list(offsets.slice(0, 8))}, … ${offsets.length - 11} more …, ${list(offsets.slice(-3))}`;
}

/** For a sender with a pool of addresses: that the attempts of a run come from them in turn. */
function fromPool(p: Profile): string {
  const { ips } = clientPool(p);
  return ips > 1 ? `, each from the next of its ${ips} sending addresses` : "";
}

/** A run of identical deferrals by one MTA, `since` the time it took the message. Deferrals always have a next attempt. */
function repeatedStep(s: Story, repeats: StoryAttempt[], since: number): string {
  const att = repeats[0]!;
  const profile = profileOf(s.model, att.by);
  const what = att.connections.map((c) => `${c.host}: ${meaning(profile, c.result)}`).join("; ") || "no connection";
  return (
    `${att.by} tries ${repeats.length} more times on ${PROFILE_INFO[profileOf(s.model, att.by).mta].name}'s schedule, ` +
    `${human(repeats[0]!.start - since)} to ${human(repeats.at(-1)!.start - since)} after it took the message ` +
    `(${offsetsText(repeats.map((x) => x.start - since))})${fromPool(profile)}; each time ${what}. ` +
    `The next attempt is due at ${s.at(repeats.at(-1)!.next!)}.`
  );
}

/** When `att` is the attempt an administrator's flush started: the step that tells the flush. */
function flushAt(s: Story, att: StoryAttempt): ((due: number) => string) | undefined {
  const action = s.model.actions.find((a) => a.kind === "flush" && a.at === att.start && s.run.nodes[a.node]!.name === att.by);
  if (!action) return undefined;
  const info = PROFILE_INFO[profileOf(s.model, att.by).mta];
  const how = info.flush ? ` (${info.name}: ${info.flush})` : "";
  return (due) =>
    `At ${s.at(att.start)} the administrator flushes ${att.by}'s queue${how}: every queued message is tried now` +
    (due > att.start ? `, this one ${human(due - att.start)} before its next retry was due.` : ".");
}

/** The static route as the relay's own MTA writes it. */
function routeText(server: Server, domain: string, host: string): string {
  const route = PROFILE_INFO[server.profile.mta].route;
  return route ? `in ${PROFILE_INFO[server.profile.mta].name}'s terms ${route(domain, host)}` : `to ${host}`;
}

/** A server that makes an attempt holds the message: it is a backup MX. */
function backupStep({ run, domain, sender }: Story, server: Server): string {
  const route = server.routes.get(sender.domain);
  return (
    `${server.name} is a backup MX for ${domain.name}: it has no mailboxes, so it keeps the message in its queue and forwards it ` +
    (route !== undefined ? `to ${run.nodes[route]!.name} (its static route, ${routeText(server, domain.name, run.nodes[route]!.name)}).` : "to the better MX hosts.")
  );
}

/** One attempt (due at `due`): each connection, why the MTA moved on or stopped, and what came of it. */
function attemptStep(s: Story, att: StoryAttempt, due: number, tries: number): string {
  const profile = profileOf(s.model, att.by);
  const info = PROFILE_INFO[profile.mta];
  const mta = info.name;
  const lines = [`At ${s.at(att.start)} ${att.by} makes a delivery attempt:`];
  const pool = clientPool(profile);
  if (pool.ips > 1) {
    // What a greylisting server keyed by the client's address (or /24) sees: core/greylist.ts.
    const k = poolAddress(s.message.id, tries, pool.ips);
    lines.push(`  It connects from sending address ${k + 1} of its ${pool.ips} (in network ${(k % pool.subnets) + 1} of ${pool.subnets}).`);
  }
  // Only an MTA whose destination queue holds attempts starts one after it was due (Postfix's concurrency window).
  if (att.start > due && info.holds !== undefined) lines.push(`  It was due ${human(att.start - due)} earlier and waited: ${info.holds}.`);
  if (att.connections.length === 0 && att.result === "deferred") {
    // Only an MTA whose memory suspends a destination defers without any connection (Postfix).
    const why = PROFILE_INFO[profile.mta].suspends;
    if (why !== undefined) lines.push(`  no connection: ${why}.`);
  }
  att.connections.forEach((c, k) => {
    const pref = c.preference !== null ? ` (MX ${c.preference})` : "";
    const wait = isFailureMode(c.result) ? waitFor(profile, c.result) : 0;
    const waited = wait > 0 ? ` after waiting ${human(wait)}` : "";
    lines.push(`  - ${c.host}${pref}${reuseNote(s, c)}: ${meaning(profile, c.result)}${waited}.`);
    if (c.result !== "accepted") {
      const why = moveOnReason(profile, c.result, k < att.connections.length - 1);
      if (why) lines.push(`    ${why}`);
    }
  });
  if (att.result === "deferred") {
    // A deferral is over (end) and has its next attempt due (next).
    lines.push(
      `  The attempt failed for now: the message waits in ${att.by}'s queue. ${mta} schedules the next attempt for ${s.at(att.next!)}, ` +
        `${human(att.next! - att.end!)} later.`,
    );
  } else if (att.result === "relayed") lines.push(`  ${att.connections.at(-1)!.host} now holds the message.`);
  else if (att.result === "unfinished") {
    lines.push(`  The run ends while this attempt is still under way (a connection is still waiting for its timeout), so its outcome falls after the end of the simulation.`);
  }
  return lines.join("\n");
}

/**
 * " over connection #12, reused (opened at … for message 3)" for a connection an earlier attempt
 * opened (Exim's continued delivery, Postfix's connection cache); nothing for one this attempt opened.
 */
function reuseNote(s: Story, c: StoryConnection): string {
  const from = c.reusedFrom;
  if (!from) return "";
  let where = "opened earlier, by an attempt whose record was not kept";
  if (from.at !== null) where = `opened at ${s.at(from.at)} ${from.message === s.message.id ? "by an earlier attempt of this message" : `for message ${from.message}`}`;
  return ` over connection #${c.conn}, reused (${where})`;
}

function warningSteps({ run, message, at }: Story): string[] {
  return notificationsOf(run, message.id)
    .filter((n) => n.kind === "delayed")
    .map((n) => `At ${at(n.at)} ${n.by} sends a delay warning (a DSN with Action: delayed) to the sender: the message is still queued.`);
}

/** Delivered, bounced (backscatter when the sender was forged) or still queued at the end. */
function endStep({ model, message: msg, sender, at }: Story): string {
  switch (msg.outcome) {
    case "delivered":
      return (
        `The message reaches the mailbox on ${msg.holder} at ${at(msg.done)}: ` +
        `${human(msg.latency)} after it was sent, after ${msg.attempts} delivery attempt${msg.attempts === 1 ? "" : "s"}.`
      );
    case "bounced":
      return (
        (sender.forged && msg.holderKind === "server"
          ? `${msg.holder} gives up at ${at(msg.done)} and sends a bounce to the message's envelope sender, not to ${sender.name}: ${BOUNCE_INFO[msg.bounceReason].text}.`
          : `${msg.holder} gives up at ${at(msg.done)} and returns the message to ${sender.name}: ${BOUNCE_INFO[msg.bounceReason].text}.`) +
        (msg.holderKind === "sender" && PROFILE_INFO[sender.profile.mta].sender
          ? ` ${PROFILE_INFO[sender.profile.mta].name} gave up ${providerDuration(msg.done - msg.created)} after the message was sent.`
          : "") +
        (sender.forged && msg.holderKind === "server" ? " The sender address was forged, so this bounce is backscatter: it lands on an innocent third party." : "")
      );
    case "queued":
      return `At the end of the run (${at(model.duration)}) the message is still waiting in ${msg.holder}'s queue.`;
  }
}

/** The steps numbered, as printed by `mxsim explain`. */
export function explainText(steps: string[]): string {
  return steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s.replace(/\n/g, "\n    ")}`).join("\n");
}
