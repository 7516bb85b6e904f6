/**
 * The life of one message in plain language: the MX lookup as `nslookup -q=mx`
 * prints it, each connection and what came of it, why the MTA moved on to
 * the next MX or did not, each queue entry and retry, and the end. A pure
 * function of a run's records (core/records.ts).
 */
import { isFailureMode } from "../core/failure-modes.js";
import type { Domain, Model, Sender, Server } from "../core/model.js";
import { BOUNCED, PATH_SENDER_RETRY, PATH_VIA_SECONDARY, type ConnectionResult } from "../core/outcomes.js";
import { clientPool, MTA_SETTINGS, PROFILE_DEFAULTS, PROFILE_INFO, failsOverOnConnectOnly, giveUpAfter, waitFor, type Profile } from "../core/profile.js";
import { poolAddress } from "../core/greylist.js";
import { valueText } from "./model-doc.js";
import { attemptsOf, messageRecord, notificationsOf, type AttemptRecord, type ConnectionRecord, type MessageRecord } from "../core/records.js";
import type { RunResult } from "../core/simulate.js";
import { human, isoAt, offset } from "./format.js";
import { int, t } from "../i18n/index.js";

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


/*
 * The words of the story are the explain catalog's (src/i18n/<lang>/explain.ts), one template per sentence.
 * The texts core holds for each failure mode, MTA and bounce reason (FAILURE_INFO[mode].meaning,
 * PROFILE_INFO[mta].name/title/…, BOUNCE_INFO[reason].text) are read through keys named by their id;
 * the English catalog repeats core's words exactly (test/i18n/explain-es.test.ts checks it).
 */

/** The MTA's name in running text ("qmail", "Postfix"; "custom sender" in the reader's language). */
const mtaName = (profile: Profile) => t(`explain:name.${profile.mta}`);

/** What a connection's result means, in the words of the MTA that made it (a skipped host names what remembered it). */
function meaning(profile: Profile, result: ConnectionResult): string {
  const by = PROFILE_INFO[profile.mta].skipsHostsBy;
  return result === "skipped" && by !== undefined ? t("explain:meaning.skippedBy", { by: t(`explain:skipsBy.${profile.mta}`) }) : t(`explain:meaning.${result}`);
}

/** Why, after a failure at one host, the MTA went on to the next or stopped. */
function moveOnReason(profile: Profile, result: ConnectionResult, movedOn: boolean): string {
  const mta = mtaName(profile);
  if (result === "skipped") return t("explain:moveOn.skipped", { mta });
  if (movedOn) {
    if (result === "refused" || result === "timeout") return t("explain:moveOn.failover", { mta });
    return t("explain:moveOn.temporary", { mta });
  }
  if (failsOverOnConnectOnly(profile) && result !== "refused" && result !== "timeout" && result !== "reject-5xx") {
    return t("explain:moveOn.connectOnly", { mta });
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
  const who = spamSoftware ? t("explain:sent.spamSoftware") : t("explain:sent.running", { title: t(`explain:title.${sender.profile.mta}`) });
  // Said once, here: the end step names the consequence (backscatter) where it happens.
  const forged = sender.forged ? t("explain:sent.forged") : "";
  // A message id is an identifier (what --message takes): written as is, never grouped.
  const sent = t("explain:sent.text", { id: String(message.id), sender: sender.name, who, forged, domain: message.domain, at: at(message.created) });
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
  if (!PROFILE_INFO[p.mta].sender) return undefined;
  const tag = (key: string) => {
    const spec = MTA_SETTINGS[p.mta].find((o) => o.key === key)!;
    const value = (p as unknown as Record<string, unknown>)[key];
    const byDefault = JSON.stringify(value) === JSON.stringify((PROFILE_DEFAULTS[p.mta] as unknown as Record<string, unknown>)[key]);
    // A source's own text is a citation (a document's title, a measurement): it stays as written; its kind is translated.
    const source = byDefault && spec.source ? t("explain:habits.source", { kind: t(`explain:sourceKind.${spec.source.kind}`), text: spec.source.text }) : t("explain:habits.setInScenario");
    return { text: valueText(spec.kind, value, spec.example), source };
  };
  const retry = tag("retry");
  const giveUp = tag("give_up");
  const limit = (p as { max_attempts?: number }).max_attempts ? tag("max_attempts") : undefined;
  const intervals = (p as { retry: number[] }).retry.length;
  const giveUpText = providerDuration(giveUpAfter(p));
  return t("explain:habits.text", {
    mta: t(`explain:name.${p.mta}`),
    schedule: t(intervals === 1 ? "explain:habits.every" : "explain:habits.after", { value: retry.text }),
    retrySource: retry.source,
    giveUp: giveUpText,
    giveUpSource: giveUp.source,
    limit: limit ? t("explain:habits.limit", { value: limit.text, source: limit.source }) : "",
  });
}

/** The MX lookup, as `nslookup -q=mx` prints it. */
function lookupStep({ run, sender, domain }: Story): string {
  // nslookup's own output ("mail exchanger = …") is the tool's, in the tool's words.
  const lookup = [t("explain:lookup.intro", { sender: sender.name, domain: domain.name }), `    $ nslookup -q=mx ${domain.name}`];
  if (domain.nullMx) lookup.push(`    ${domain.name}\tmail exchanger = 0 .`, `  ${t("explain:lookup.nullMx")}`);
  else if (domain.implicit) {
    lookup.push(`    ${t("explain:lookup.noMx", { domain: domain.name })}`, `  ${t("explain:lookup.implicit", { host: run.nodes[domain.mx[0]!.server]!.name })}`);
  } else {
    for (const x of [...domain.mx].sort((p, q) => p.preference - q.preference)) {
      lookup.push(`    ${domain.name}\tmail exchanger = ${x.preference} ${run.nodes[x.server]!.name}.`);
    }
    lookup.push(`  ${t(sender.target === "lowest-priority" ? "explain:lookup.spamBackup" : sender.retries ? "explain:lookup.order" : "explain:lookup.noRetry")}`);
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
  if (offsets.length <= SHOWN) return t("explain:repeated.offsets", { list: list(offsets) });
  return t("explain:repeated.offsetsCut", { first: list(offsets.slice(0, 8)), more: int(offsets.length - 11), last: list(offsets.slice(-3)) });
}

/** For a sender with a pool of addresses: that the attempts of a run come from them in turn. */
function fromPool(p: Profile): string {
  const { ips } = clientPool(p);
  return ips > 1 ? t("explain:repeated.pool", { ips: int(ips) }) : "";
}

/** A run of identical deferrals by one MTA, `since` the time it took the message. Deferrals always have a next attempt. */
function repeatedStep(s: Story, repeats: StoryAttempt[], since: number): string {
  const att = repeats[0]!;
  const profile = profileOf(s.model, att.by);
  const what =
    att.connections.map((c) => t("explain:repeated.item", { host: c.host, meaning: meaning(profile, c.result) })).join(t("explain:repeated.join")) ||
    t("explain:repeated.noConnection");
  return t("explain:repeated.text", {
    by: att.by,
    times: int(repeats.length),
    mta: mtaName(profile),
    from: human(repeats[0]!.start - since),
    to: human(repeats.at(-1)!.start - since),
    offsets: offsetsText(repeats.map((x) => x.start - since)),
    pool: fromPool(profile),
    what,
    at: s.at(repeats.at(-1)!.next!),
  });
}

/** When `att` is the attempt an administrator's flush started: the step that tells the flush. */
function flushAt(s: Story, att: StoryAttempt): ((due: number) => string) | undefined {
  const action = s.model.actions.find((a) => a.kind === "flush" && a.at === att.start && s.run.nodes[a.node]!.name === att.by);
  if (!action) return undefined;
  const profile = profileOf(s.model, att.by);
  const how = PROFILE_INFO[profile.mta].flush ? t("explain:flush.how", { mta: mtaName(profile), command: t(`explain:flushCommand.${profile.mta}`) }) : "";
  return (due) =>
    t("explain:flush.text", {
      at: s.at(att.start),
      by: att.by,
      how,
      early: due > att.start ? t("explain:flush.early", { early: human(due - att.start) }) : t("explain:flush.onTime"),
    });
}

/** The static route as the relay's own MTA writes it. */
function routeText(server: Server, domain: string, host: string): string {
  if (!PROFILE_INFO[server.profile.mta].route) return t("explain:backup.to", { host });
  return t("explain:backup.inTerms", { mta: mtaName(server.profile), route: t(`explain:route.${server.profile.mta}`, { domain, host }) });
}

/** A server that makes an attempt holds the message: it is a backup MX. */
function backupStep({ run, domain, sender }: Story, server: Server): string {
  const route = server.routes.get(sender.domain);
  const where =
    route !== undefined
      ? t("explain:backup.route", { host: run.nodes[route]!.name, route: routeText(server, domain.name, run.nodes[route]!.name) })
      : t("explain:backup.better");
  return t("explain:backup.text", { server: server.name, domain: domain.name, where });
}

/** One attempt (due at `due`): each connection, why the MTA moved on or stopped, and what came of it. */
function attemptStep(s: Story, att: StoryAttempt, due: number, tries: number): string {
  const profile = profileOf(s.model, att.by);
  const info = PROFILE_INFO[profile.mta];
  const mta = mtaName(profile);
  const lines = [t("explain:attempt.start", { at: s.at(att.start), by: att.by })];
  const pool = clientPool(profile);
  if (pool.ips > 1) {
    // What a greylisting server keyed by the client's address (or /24) sees: core/greylist.ts.
    const k = poolAddress(s.message.id, tries, pool.ips);
    lines.push(`  ${t("explain:attempt.pool", { address: int(k + 1), ips: int(pool.ips), network: int((k % pool.subnets) + 1), networks: int(pool.subnets) })}`);
  }
  // Only an MTA whose destination queue holds attempts starts one after it was due (Postfix's concurrency window).
  if (att.start > due && info.holds !== undefined) lines.push(`  ${t("explain:attempt.held", { early: human(att.start - due), why: t(`explain:holds.${profile.mta}`) })}`);
  if (att.connections.length === 0 && att.result === "deferred") {
    // Only an MTA whose memory suspends a destination defers without any connection (Postfix).
    if (info.suspends !== undefined) lines.push(`  ${t("explain:attempt.suspended", { why: t(`explain:suspends.${profile.mta}`) })}`);
  }
  att.connections.forEach((c, k) => {
    // A preference is a DNS value, written as is.
    const preference = c.preference !== null ? t("explain:attempt.preference", { preference: String(c.preference) }) : "";
    const wait = isFailureMode(c.result) ? waitFor(profile, c.result) : 0;
    const waited = wait > 0 ? t("explain:attempt.waited", { wait: human(wait) }) : "";
    lines.push(`  ${t("explain:attempt.connection", { host: c.host, preference, reuse: reuseNote(s, c), meaning: meaning(profile, c.result), waited })}`);
    if (c.result !== "accepted") {
      const why = moveOnReason(profile, c.result, k < att.connections.length - 1);
      if (why) lines.push(`    ${why}`);
    }
  });
  if (att.result === "deferred") {
    // A deferral is over (end) and has its next attempt due (next).
    lines.push(`  ${t("explain:attempt.deferred", { by: att.by, mta, at: s.at(att.next!), later: human(att.next! - att.end!) })}`);
  } else if (att.result === "relayed") lines.push(`  ${t("explain:attempt.relayed", { host: att.connections.at(-1)!.host })}`);
  else if (att.result === "unfinished") lines.push(`  ${t("explain:attempt.unfinished")}`);
  return lines.join("\n");
}

/**
 * " over connection #12, reused (opened at … for message 3)" for a connection an earlier attempt
 * opened (Exim's continued delivery, Postfix's connection cache); nothing for one this attempt opened.
 */
function reuseNote(s: Story, c: StoryConnection): string {
  const from = c.reusedFrom;
  if (!from) return "";
  let where = t("explain:reuse.unknown");
  if (from.at !== null) {
    where = from.message === s.message.id ? t("explain:reuse.self", { at: s.at(from.at) }) : t("explain:reuse.other", { at: s.at(from.at), message: String(from.message) });
  }
  return t("explain:reuse.text", { conn: String(c.conn), where });
}

function warningSteps({ run, message, at }: Story): string[] {
  return notificationsOf(run, message.id)
    .filter((n) => n.kind === "delayed")
    .map((n) => t("explain:warning.text", { at: at(n.at), by: n.by }));
}

/** Delivered, bounced (backscatter when the sender was forged) or still queued at the end. */
function endStep({ model, message: msg, sender, at }: Story): string {
  switch (msg.outcome) {
    case "delivered":
      return t("explain:end.delivered", { holder: msg.holder, at: at(msg.done), latency: human(msg.latency), count: msg.attempts, attempts: int(msg.attempts) });
    case "bounced": {
      const backscatter = sender.forged && msg.holderKind === "server";
      const values = { holder: msg.holder, at: at(msg.done), sender: sender.name, reason: t(`explain:bounce.${msg.bounceReason}`) };
      return (
        t(backscatter ? "explain:end.bouncedForged" : "explain:end.bounced", values) +
        (msg.holderKind === "sender" && PROFILE_INFO[sender.profile.mta].sender
          ? t("explain:end.providerGaveUp", { mta: mtaName(sender.profile), after: providerDuration(msg.done - msg.created) })
          : "") +
        (backscatter ? t("explain:end.backscatter") : "")
      );
    }
    case "queued":
      return t("explain:end.queued", { at: at(model.duration), holder: msg.holder });
  }
}

/** The steps numbered, as printed by `mxsim explain`. */
export function explainText(steps: string[]): string {
  return steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s.replace(/\n/g, "\n    ")}`).join("\n");
}
