/**
 * The servers: section: each server by its role (a balancer's members, a
 * mailbox server's domains, a relay's relay domains and routes), with its
 * outage windows, flapping and MTA profile.
 */
import { NO_GREYLISTING, type Outage, type Server } from "../core/model.js";
import { MTA_NAMES, PROFILE_DEFAULTS, PROFILE_INFO } from "../core/profile.js";
import type { CompileContext, Path } from "./compile-context.js";
import { compileProfile } from "./compile-profile.js";
import { quote } from "./quote.js";
import { t } from "./text.js";
import type { MtaInput, ScenarioInput } from "./schema.js";

type ServerInput = ScenarioInput["servers"][string];
type RoleInput<R extends ServerInput["role"]> = Extract<ServerInput, { role: R }>;
/** What a mailbox server and a relay share, in the model's key order after their role's own keys. */
type Queueing = Pick<Server, "outages" | "profile" | "capacity" | "sessionTime" | "greylisting" | "flapping">;

/** The MTAs a server may run: all but the providers' outbound queues. */
const SERVER_MTAS = MTA_NAMES.filter((n) => !PROFILE_INFO[n].sender);

export function compileServers(ctx: CompileContext): Server[] {
  return ctx.serverNames.map((name) => compileServer(ctx, name));
}

function compileServer(ctx: CompileContext, name: string): Server {
  const s = ctx.input.servers[name]!;
  const base: Path = ["servers", name];
  const outages = compileOutages(ctx, s.outages, base);
  if (s.role === "balancer") return compileBalancer(ctx, name, s, outages);
  const p = compileProfile(ctx, [...base, "mta"], s.mta as MtaInput);
  if (PROFILE_INFO[p.mta].sender) {
    ctx.issue(
      [...base, "mta"],
      t("cli:scn.c.providerMta", { name: quote(p.mta), mtas: SERVER_MTAS.join(", ") }),
    );
  }
  const g = s.greylisting;
  // The whitelist's names are resolved once the senders are compiled (compile-greylisting.ts).
  const greylisting = { delay: g.delay, key: g.key, whitelist: [], autoWhitelist: g.auto_whitelist, retryWindow: g.retry_window };
  const limits = { capacity: s.capacity ?? Infinity, sessionTime: s.session_time, greylisting };
  if (s.flapping && (s.flapping.up <= 0 || s.flapping.down <= 0)) {
    ctx.issue([...base, "flapping"], t("cli:scn.c.flapping"));
  }
  const flapping = s.flapping ? { flapping: { up: s.flapping.up, down: s.flapping.down, mode: s.flapping.mode } } : {};
  const queueing: Queueing = { outages, profile: p, ...limits, ...flapping };
  if (s.role === "mailbox") {
    return {
      name,
      role: "mailbox",
      members: [],
      domains: s.domains.map((d, i) => ctx.needDomain([...base, "domains", i], d)),
      relayDomains: [],
      routes: new Map(),
      ...queueing,
      recipientValidation: true,
    };
  }
  return compileRelay(ctx, name, s, queueing);
}

function compileBalancer(ctx: CompileContext, name: string, s: RoleInput<"balancer">, outages: Outage[]): Server {
  const base: Path = ["servers", name];
  const { servers } = ctx.input;
  const members = s.members.map((name, i) => {
    const k = ctx.needServer([...base, "members", i], name);
    if (k >= 0 && servers[name]!.role !== "mailbox") {
      ctx.issue([...base, "members", i], t("cli:scn.c.notMailbox", { name: quote(name) }));
    }
    return k;
  });
  // A balancer delivers for the domains of its members.
  const memberDomains = [...new Set(s.members.flatMap((name) => (servers[name]?.role === "mailbox" ? servers[name].domains : [])))];
  return {
    name,
    role: "balancer",
    members,
    domains: memberDomains.map((d) => ctx.domainIndex.get(d) ?? -1).filter((d) => d >= 0),
    relayDomains: [],
    routes: new Map(),
    outages,
    // A balancer queues no mail of its own; the Server type asks for a profile, and it gets the schema's default MTA.
    profile: PROFILE_DEFAULTS.qmail,
    capacity: Infinity,
    sessionTime: 0,
    greylisting: NO_GREYLISTING,
    recipientValidation: true,
  };
}

function compileRelay(ctx: CompileContext, name: string, s: RoleInput<"relay">, queueing: Queueing): Server {
  const base: Path = ["servers", name];
  const routes = new Map<number, number>();
  const relayDomains = new Set(s.relay_domains);
  for (const [d, host] of Object.entries(s.routes)) {
    const di = ctx.needDomain([...base, "routes", d], d);
    const hi = ctx.needServer([...base, "routes", d], host);
    if (hi === ctx.serverIndex.get(name)) ctx.issue([...base, "routes", d], t("cli:scn.c.routeToSelf", { domain: quote(d), raw: d }));
    else if (di >= 0 && !relayDomains.has(d)) {
      ctx.issue([...base, "routes", d], t("cli:scn.c.routedNotRelayed", { domain: quote(d) }));
    }
    if (di >= 0 && hi >= 0) routes.set(di, hi);
  }
  return {
    name,
    role: "relay",
    members: [],
    domains: [],
    relayDomains: s.relay_domains.map((d, i) => ctx.needDomain([...base, "relay_domains", i], d)),
    routes,
    ...queueing,
    recipientValidation: s.recipient_validation,
  };
}

/** A server's outage windows in seconds, sorted by start; each one checked, then their overlaps. */
function compileOutages(ctx: CompileContext, raw: ServerInput["outages"], base: Path): Outage[] {
  const windows = raw.map((o, i) => {
    const path: Path = [...base, "outages", i];
    const start = ctx.toSeconds(o.start);
    const end = o.end !== undefined ? ctx.toSeconds(o.end) : start + (o.duration ?? 0);
    if (start < 0) ctx.issue([...path, "start"], t("cli:scn.c.outageBeforeStart"));
    if (o.duration !== undefined && o.duration <= 0) ctx.issue([...path, "duration"], t("cli:scn.c.outageZero"));
    else if (end <= start) ctx.issue([...path, "end"], t("cli:scn.c.outageBackwards"));
    return { index: i, start: Math.round(start), end: Math.round(end), mode: o.mode };
  });
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.start < prev.end) {
      ctx.issue([...base, "outages", cur.index], t("cli:scn.c.overlap", { n: prev.index + 1 }));
    }
  }
  return sorted.map(({ start, end, mode }) => ({ start, end, mode }));
}
