/**
 * Which message's story to tell: `explain --pick <kind>` and a scenario's
 * `story:`. Each kind names what the story shows (a message that went through
 * the backup, one that bounced, a backscatter DSN, …) and finds the first
 * message of the run that shows it, from the message table and, for what only
 * the attempts show (a greylisting 450), from the attempts the run kept.
 */
import type { AttemptLog } from "../core/attempt-log.js";
import { BOUNCED, CONNECTION_CODE, DELIVERED, PATH_DIRECT, PATH_SENDER_RETRY, PATH_VIA_SECONDARY } from "../core/outcomes.js";
import type { RunResult } from "../core/simulate.js";
import { instructiveMessage } from "./explain.js";
import { t } from "../i18n/index.js";

import { STORY_PICKS, type StoryPick } from "../core/story-picks.js";

export { STORY_PICKS, type StoryPick };

/** What each pick tells, as "this run has no …" says it (the explain catalog's pick.<kind>). */
export function storyPickText(pick: StoryPick): string {
  return t(`explain:pick.${pick}`);
}

/** The first message of `r` the pick holds for, or -1. `kept` holds the attempts the run kept (the first messages'). */
export function pickMessage(r: RunResult, pick: StoryPick, kept: AttemptLog | undefined = r.attempts): number {
  const m = r.messages;
  const senders = r.model.senders;
  const servers = r.model.servers.length;
  const legit = (i: number) => !senders[m.sender[i]!]!.forged;
  const first = (ok: (i: number) => boolean) => {
    for (let i = 0; i < m.count; i++) if (ok(i)) return i;
    return -1;
  };
  switch (pick) {
    case "via-secondary":
      return first((i) => m.path[i] === PATH_VIA_SECONDARY && m.outcome[i] === DELIVERED && legit(i));
    case "sender-retry":
      return first((i) => m.path[i] === PATH_SENDER_RETRY && m.outcome[i] === DELIVERED && legit(i));
    case "bounce":
      return first((i) => m.outcome[i] === BOUNCED && legit(i));
    case "backscatter":
      return first((i) => m.outcome[i] === BOUNCED && !legit(i) && m.holder[i]! < servers);
    case "flushed": {
      // Transactions take no time: a message delivered at a flush's instant went on that flush.
      const flushes = new Set(r.model.actions.map((a) => a.at));
      return first((i) => m.outcome[i] === DELIVERED && flushes.has(m.done[i]!) && m.path[i] !== PATH_DIRECT);
    }
    case "greylisted":
      return kept ? firstGreylisted(r, kept) : -1;
    case "slowest": {
      let best = -1;
      for (let i = 0; i < m.count; i++) {
        if (m.outcome[i] === DELIVERED && legit(i) && (best < 0 || m.done[i]! - m.created[i]! > m.done[best]! - m.created[best]!)) best = i;
      }
      return best;
    }
  }
}

/** The first message, among those whose attempts were kept, that a greylisting server answered 450. */
function firstGreylisted(r: RunResult, a: AttemptLog): number {
  const greylists = r.model.servers.map((s) => s.greylisting.delay > 0);
  const rcpt4xx = CONNECTION_CODE["rcpt-4xx"];
  let found = -1;
  for (let i = 0; i < a.count; i++) {
    for (let k = i === 0 ? 0 : a.connEnd[i - 1]!; k < a.connEnd[i]!; k++) {
      const host = a.connHost[k]!;
      if (a.connResult[k] === rcpt4xx && host >= 0 && greylists[host] && (found < 0 || a.message[i]! < found)) found = a.message[i]!;
    }
  }
  return found;
}

/** The picks the run has a message for, in STORY_PICKS order. */
export function picksAvailable(r: RunResult, kept: AttemptLog | undefined = r.attempts): StoryPick[] {
  return STORY_PICKS.filter((p) => pickMessage(r, p, kept) >= 0);
}

/**
 * The message whose story a run tells by default: the scenario's `story:` when the run has one, else the
 * instructive message (explain.ts). `missing` names the scenario's pick when the run had none for it.
 */
export function defaultStory(r: RunResult, kept: AttemptLog | undefined = r.attempts): { message: number; missing?: StoryPick } {
  const pick = r.model.story;
  if (pick !== undefined) {
    const m = pickMessage(r, pick, kept);
    if (m >= 0) return { message: m };
    return { message: instructiveMessage(r), missing: pick };
  }
  return { message: instructiveMessage(r) };
}

/** One line for a pick the run has no message for: what it would have shown, and what the run does have. */
export function noSuchStory(r: RunResult, pick: StoryPick, kept: AttemptLog | undefined = r.attempts): string {
  const have = picksAvailable(r, kept);
  return t("explain:pick.none", { what: storyPickText(pick), have: have.length > 0 ? t("explain:pick.have", { list: have.join(", ") }) : t("explain:pick.haveNone") });
}
