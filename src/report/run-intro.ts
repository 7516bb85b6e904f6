/**
 * report.html's introduction specific to the run: what the model simulates, in a few plain sentences
 * a student can read before the numbers, computed from the model (not from its free-text description):
 * the span and start, each domain's MX hosts with their preferences and MTAs (which one is the backup
 * and how long it keeps mail), the senders with their rates and kinds, each server's outage windows
 * (the first few, then a count), flapping, greylisting and an administrator's flush. In the current language.
 */
import type { Domain, Model, Sender, Server } from "../core/model.js";
import { giveUpAfter, PROFILE_INFO } from "../core/profile.js";
import { dateText, dec, lang, pct, spanText, t } from "../i18n/index.js";
import { listText, num } from "./report-text.js";

/** Domains, MX records, senders and outage windows told one by one; the rest are counted. */
const MAX_DOMAINS = 2;
const MAX_RECORDS = 4;
const MAX_SENDERS = 4;
const MAX_OUTAGES = 3;
const MAX_SERVERS = 4;

/** A moment of the run as the language writes it, always UTC: "Tuesday, March 11, 2008 at 09:00" / "martes, 11 de marzo de 2008, 09:00". */
export function momentText(model: Model, at_s: number): string {
  const ms = model.startEpochMs + at_s * 1000;
  const clock = dateText(ms, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  // Spanish prose reads "el martes 11 de marzo de 2008 a las 09:00", not Intl's "martes, 11 de marzo de 2008, 09:00".
  if (lang() === "es") return `${dateText(ms, { weekday: "long", year: "numeric", month: "long", day: "numeric" }).replace(",", "")} a las ${clock}`;
  return dateText(ms, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

const mtaName = (s: Server | Sender) => PROFILE_INFO[s.profile.mta].name;

/** The introduction's sentences, in order. */
export function runIntro(model: Model): string[] {
  const out = [t("report:intro.span", { duration: spanText(model.duration), start: momentText(model, 0) })];
  const domains = model.domains.filter((d) => model.senders.some((s) => model.domains[s.domain] === d));
  const told = (domains.length > 0 ? domains : model.domains).slice(0, MAX_DOMAINS);
  for (const d of told) out.push(domainText(model, d));
  const others = model.domains.length - told.length;
  if (others > 0) out.push(t("report:intro.moreDomains", { count: others, n: num(others) }));
  const relays = told.flatMap((d) => d.mx.map((r) => model.servers[r.server]!)).filter((s) => s.role === "relay");
  if (relays.length === 0 && told.some((d) => !d.nullMx)) out.push(t("report:intro.noBackup"));
  if (model.senders.length > 0) out.push(sendersText(model));
  out.push(...downText(model));
  for (const s of model.servers) if (s.greylisting.delay > 0) out.push(t("report:intro.greylisting", { server: s.name, delay: spanText(s.greylisting.delay) }));
  for (const a of model.actions) {
    const node = a.node < model.servers.length ? model.servers[a.node]!.name : model.senders[a.node - model.servers.length]!.name;
    out.push(t("report:intro.flush", { node, at: momentText(model, a.at) }));
  }
  return out;
}

/** One paragraph of the introduction: its sentences joined. */
export function runIntroText(model: Model): string {
  return runIntro(model).join(" ");
}

function domainText(model: Model, d: Domain): string {
  if (d.nullMx) return t("report:intro.nullMx", { domain: d.name });
  if (d.implicit) return t("report:intro.implicit", { domain: d.name, host: model.servers[d.mx[0]!.server]!.name });
  const sorted = [...d.mx].sort((a, b) => a.preference - b.preference);
  const records = sorted.slice(0, MAX_RECORDS).map((r, i) => {
    const server = model.servers[r.server]!;
    return t("report:intro.mx", { preference: r.preference, host: server.name, what: serverText(model, server, i === 0) });
  });
  if (sorted.length > MAX_RECORDS) records.push(t("report:intro.moreRecords", { count: sorted.length - MAX_RECORDS, n: num(sorted.length - MAX_RECORDS) }));
  return t("report:intro.domain", { domain: d.name, records: listText(records) });
}

function serverText(model: Model, s: Server, first: boolean): string {
  if (s.role === "relay") return t("report:intro.relay", { mta: mtaName(s), lifetime: spanText(giveUpAfter(s.profile)) });
  if (s.role === "balancer") {
    const members = s.members.slice(0, MAX_RECORDS).map((m) => model.servers[m]!.name);
    if (s.members.length > MAX_RECORDS) members.push(t("report:intro.moreServers", { count: s.members.length - MAX_RECORDS, n: num(s.members.length - MAX_RECORDS) }));
    return t("report:intro.balancer", { count: s.members.length, n: num(s.members.length), members: listText(members) });
  }
  return t(first ? "report:intro.mailboxPrimary" : "report:intro.mailbox", { mta: mtaName(s) });
}

function sendersText(model: Model): string {
  const items = model.senders.slice(0, MAX_SENDERS).map((s) => t("report:intro.sender", { name: s.name, what: senderWhat(s).join(", ") }));
  const more = model.senders.length - MAX_SENDERS;
  if (more > 0) items.push(t("report:intro.moreSenders", { count: more, n: num(more) }));
  return t("report:intro.senders", { count: model.senders.length, n: num(model.senders.length), list: listText(items) });
}

/** A rate as people say it: "20", "0.5", "1,200" messages an hour (a day below one an hour). */
function rateText(perSecond: number): string {
  const perHour = perSecond * 3600;
  const round = (x: number) => (x >= 10 || Number.isInteger(x) ? num(Math.round(x)) : dec(x, 1));
  return perHour >= 1 ? t("report:intro.perHour", { rate: round(perHour) }) : t("report:intro.perDay", { rate: round(perHour * 24) });
}

function senderWhat(s: Sender): string[] {
  const what = [s.arrivals.kind === "poisson" ? rateText(s.arrivals.rate) : t("report:intro.listed", { count: s.arrivals.times.length, n: num(s.arrivals.times.length) })];
  if (Number.isFinite(s.until)) what.push(t("report:intro.until", { after: spanText(s.until) }));
  if (s.forged) what.push(t("report:intro.spam"));
  if (s.invalidRecipients > 0) what.push(t("report:intro.invalid", { share: pct(100 * s.invalidRecipients, 0) }));
  if (s.target === "lowest-priority") what.push(t("report:intro.lowestPriority"));
  what.push(s.retries ? t("report:intro.retriesAs", { mta: mtaName(s) }) : t("report:intro.noRetries"));
  return what;
}

/** Each server that goes down: its windows (the first few, then a count) and its random failures. */
function downText(model: Model): string[] {
  const down = model.servers.filter((s) => s.outages.length > 0 || s.flapping);
  if (down.length === 0) return [t("report:intro.noOutages")];
  const out: string[] = [];
  for (const s of down.slice(0, MAX_SERVERS)) {
    const o = s.outages;
    if (o.length === 1) {
      out.push(t("report:intro.outageOnce", { server: s.name, start: momentText(model, o[0]!.start), duration: spanText(o[0]!.end - o[0]!.start), mode: t(`report:mode.${o[0]!.mode}`) }));
    } else if (o.length > 1) {
      const items = o.slice(0, MAX_OUTAGES).map((w) => `${t("report:intro.outageItem", { start: momentText(model, w.start), duration: spanText(w.end - w.start) })} (${t(`report:mode.${w.mode}`)})`);
      if (o.length > MAX_OUTAGES) items.push(t("report:intro.moreOutages", { count: o.length - MAX_OUTAGES, n: num(o.length - MAX_OUTAGES) }));
      out.push(t("report:intro.outagesMany", { server: s.name, n: num(o.length), list: listText(items) }));
    }
    if (s.flapping) out.push(t("report:intro.flapping", { server: s.name, up: spanText(s.flapping.up), down: spanText(s.flapping.down), mode: t(`report:mode.${s.flapping.mode}`) }));
  }
  return out;
}
