/**
 * From a schema-valid scenario to the simulator's model: names resolved to
 * indices, times to seconds from the start, MTA overrides merged over the
 * profile's defaults. Checks what the schema cannot see on its own
 * (references between sections, windows in time) and reports each problem
 * with the path of the value to fix.
 */
import type { AdminAction, Arrivals, Domain, Model, Outage, Sender, Server } from "../core/model.js";
import { PROFILE_DEFAULTS, type Profile } from "../core/profile.js";
import { parseRetryRule } from "../core/profiles/exim.js";
import { didYouMean, oneOf } from "./did-you-mean.js";
import { listSome, quote } from "./quote.js";
import { parseDurationValue } from "./duration.js";
import { MTA_OPTIONS, profileProblems } from "./mta-options.js";
import type { MtaInput, ScenarioInput, TimePoint } from "./schema.js";

export type Path = (string | number)[];
export interface Issue {
  path: Path;
  message: string;
}

/** Problems worded in full (with suggestions); beyond this many, the rest are only counted and get short words. */
const WORDED = 20;

export function compile(input: ScenarioInput): { model: Model; issues: Issue[] } {
  const issues: Issue[] = [];
  const issue = (path: Path, message: string) => issues.push({ path, message });
  // Suggestions compare a name with every known one: only for the problems that will be shown,
  // so a file with thousands of bad references is still checked in linear time.
  const suggest = (name: string, known: readonly string[], otherwise: string) =>
    issues.length >= WORDED ? "" : didYouMean(name, known) || `; ${otherwise}${oneOf(listSome(known))}`;
  const domainNames = Object.keys(input.dns);
  const serverNames = Object.keys(input.servers);
  const domainIndex = new Map(domainNames.map((d, i) => [d, i]));
  const serverIndex = new Map(serverNames.map((s, i) => [s, i]));
  const { duration } = input;
  if (duration <= 0) issue(["duration"], "the simulation needs a positive duration; write e.g. duration: 5d");
  // Event times are whole seconds packed with a sequence number (event-queue.ts): keep them below 2^25 s.
  if (duration > 365 * 86400) issue(["duration"], "mxsim simulates at most a year; write a duration up to 365d");

  const toSeconds = (p: TimePoint): number => ("offset" in p ? p.offset : (p.date - input.start) / 1000);

  const needDomain = (path: Path, name: string): number => {
    const i = domainIndex.get(name);
    if (i === undefined) {
      issue(path, `${quote(name)} has no MX records under dns${suggest(name, domainNames, "add it under dns: or use one of: ")}`);
      return -1;
    }
    return i;
  };
  const needServer = (path: Path, name: string): number => {
    const i = serverIndex.get(name);
    if (i === undefined) {
      issue(path, `${quote(name)} is not one of the servers${suggest(name, serverNames, "define it under servers: or use one of: ")}`);
      return -1;
    }
    return i;
  };

  const domains: Domain[] = domainNames.map((name) => {
    const d = input.dns[name]!;
    const records = d.mx ?? [];
    const base: Path = ["dns", name];
    if (records.some((r) => r.host === ".")) {
      // RFC 7505 §3: a null MX is a single record of preference 0 with host ".".
      if (records.length > 1 || records[0]!.preference !== 0) {
        issue([...base, "mx"], 'a null MX must be the only MX record and have preference 0; write mx: [{ preference: 0, host: "." }]');
      }
      return { name, mx: [], nullMx: true, implicit: false };
    }
    if (records.length === 0 && d.a !== undefined) {
      // RFC 5321 §5.1: no MX records, an address: an implicit MX of preference 0.
      return { name, mx: [{ preference: 0, server: needServer([...base, "a"], d.a) }], nullMx: false, implicit: true };
    }
    return {
      name,
      mx: records.map((r, i) => ({ preference: r.preference, server: needServer([...base, "mx", i, "host"], r.host) })),
      nullMx: false,
      implicit: false,
    };
  });

  const profile = (path: Path, m: MtaInput): Profile => {
    const merged: Record<string, unknown> = { ...PROFILE_DEFAULTS[m.name] };
    for (const o of MTA_OPTIONS[m.name]) {
      const v = m[o.key];
      if (v === undefined) continue;
      const at = [...path, o.key];
      if (o.kind.type === "duration" || o.kind.type === "count") {
        if ((v as number) < o.kind.min) {
          issue(at, `${o.key} must be at least ${o.kind.min}${o.kind.type === "duration" ? "s" : ""}; write e.g. ${o.key}: ${o.example}`);
        }
        merged[o.key] = v;
      } else if (o.kind.type === "retry") {
        const r = parseRetryRule(
          v as string,
          (text) => {
            const d = parseDurationValue(text);
            return d.ok ? d.seconds : undefined;
          },
          quote,
        );
        if (r.ok) merged[o.key] = r.rules;
        else issue(at, r.message);
      } else merged[o.key] = v;
    }
    const p = merged as unknown as Profile;
    for (const problem of profileProblems(p)) issue([...path, problem.key], problem.message);
    return p;
  };

  const servers: Server[] = serverNames.map((name) => {
    const s = input.servers[name]!;
    const base: Path = ["servers", name];
    const outages = compileOutages(s.outages, base, toSeconds, issue);
    if (s.role === "balancer") {
      const members = s.members.map((name, i) => {
        const k = needServer([...base, "members", i], name);
        if (k >= 0 && input.servers[name]!.role !== "mailbox") {
          issue([...base, "members", i], `${quote(name)} is not a mailbox server; a balancer's members hold the mailboxes (role: mailbox)`);
        }
        return k;
      });
      // A balancer delivers for the domains of its members.
      const memberDomains = [...new Set(s.members.flatMap((name) => (input.servers[name]?.role === "mailbox" ? input.servers[name].domains : [])))];
      return {
        name,
        role: "balancer",
        members,
        domains: memberDomains.map((d) => domainIndex.get(d) ?? -1).filter((d) => d >= 0),
        relayDomains: [],
        routes: new Map(),
        outages,
        profile: PROFILE_DEFAULTS.qmail,
        capacity: Infinity,
        sessionTime: 0,
        greylisting: 0,
        recipientValidation: true,
      };
    }
    const p = profile([...base, "mta"], s.mta as MtaInput);
    const limits = { capacity: s.capacity ?? Infinity, sessionTime: s.session_time, greylisting: s.greylisting };
    if (s.flapping && (s.flapping.up <= 0 || s.flapping.down <= 0)) {
      issue([...base, "flapping"], "flapping needs positive mean up and down times; write e.g. flapping: { up: 6h, down: 10m }");
    }
    const flapping = s.flapping ? { flapping: { up: s.flapping.up, down: s.flapping.down, mode: s.flapping.mode } } : {};
    if (s.role === "mailbox") {
      return {
        name,
        role: "mailbox",
        members: [],
        domains: s.domains.map((d, i) => needDomain([...base, "domains", i], d)),
        relayDomains: [],
        routes: new Map(),
        outages,
        profile: p,
        ...limits,
        ...flapping,
        recipientValidation: true,
      };
    }
    const routes = new Map<number, number>();
    const relayDomains = new Set(s.relay_domains);
    for (const [d, host] of Object.entries(s.routes)) {
      const di = needDomain([...base, "routes", d], d);
      const hi = needServer([...base, "routes", d], host);
      if (hi === serverIndex.get(name)) issue([...base, "routes", d], `a relay cannot route ${quote(d)} to itself; route it to the primary, e.g. ${d}: mx1.${d}`);
      else if (di >= 0 && !relayDomains.has(d)) {
        issue([...base, "routes", d], `${quote(d)} is routed but not in relay_domains, so this server would refuse its mail; add it to relay_domains`);
      }
      if (di >= 0 && hi >= 0) routes.set(di, hi);
    }
    return {
      name,
      role: "relay",
      members: [],
      domains: [],
      relayDomains: s.relay_domains.map((d, i) => needDomain([...base, "relay_domains", i], d)),
      routes,
      outages,
      profile: p,
      ...limits,
      ...flapping,
      recipientValidation: s.recipient_validation,
    };
  });

  // Relays whose static routes lead back to themselves would pass mail around until the hop limit.
  // Per domain, each relay's route chain is walked once (a relay already walked is not walked again),
  // so the check is linear in the number of routes.
  const walked = new Map<number, Uint8Array>(); // domain → per server: 0 new, 1 on the current walk, 2 done
  servers.forEach((start, i) => {
    for (const [domain, first] of start.routes) {
      let state = walked.get(domain);
      if (!state) walked.set(domain, (state = new Uint8Array(servers.length)));
      if (state[i]) continue;
      const chain = [i];
      state[i] = 1;
      let at = first;
      while (at >= 0 && servers[at]?.role === "relay" && state[at] === 0) {
        state[at] = 1;
        chain.push(at);
        at = servers[at]!.routes.get(domain) ?? -1;
      }
      if (at >= 0 && state[at] === 1) {
        // Back on this walk: a loop from `at` to the end of the chain.
        const loop = chain.slice(chain.indexOf(at));
        const d = domains[domain]!.name;
        const from = servers[loop[0]!]!.name;
        issue(
          ["servers", from, "routes", d],
          `routes for ${quote(d)} go round in a loop between relays (${listSome(loop.map((k) => servers[k]!.name), 6).join(" → ")} → ${from}); route it to the server with the mailboxes`,
        );
      }
      for (const k of chain) state[k] = 2;
    }
  });

  const senders: Sender[] = Object.entries(input.senders).map(([name, s]) => {
    const base: Path = ["senders", name];
    if (serverIndex.has(name)) issue(base, `${quote(name)} names both a sender and a server; give the sender another name`);
    let arrivals: Arrivals;
    if (s.rate !== undefined) arrivals = { kind: "poisson", rate: s.rate };
    else {
      const times = (s.at ?? []).map((p, i) => {
        const t = toSeconds(p);
        if (t < 0 || t >= duration) {
          issue([...base, "at", i], `this send time is outside the simulation (from the start up to duration ${duration}s); move it or lengthen duration`);
        }
        return Math.round(t);
      });
      arrivals = { kind: "list", times: times.sort((a, b) => a - b) };
    }
    const until = s.until !== undefined ? Math.round(toSeconds(s.until)) : Infinity;
    if (until <= 0) issue([...base, "until"], "this sender would never send; give an end after the start, e.g. until: 14d");
    return {
      name,
      until,
      domain: needDomain([...base, "to"], s.to),
      arrivals,
      profile: profile([...base, "mta"], s.mta as MtaInput),
      forged: s.forged,
      invalidRecipients: s.invalid_recipients,
      target: s.target,
      retries: s.retries,
    };
  });

  const senderNames = Object.keys(input.senders);
  const nodeNames = [...serverNames, ...senderNames];
  const nodeIndex = new Map<string, number>();
  nodeNames.forEach((n, i) => {
    if (!nodeIndex.has(n)) nodeIndex.set(n, i);
  });
  const actions: AdminAction[] = input.actions.map((a, i) => {
    const at = Math.round(toSeconds(a.at));
    if (at < 0 || at >= duration) issue(["actions", i, "at"], "this action is outside the simulation (from the start up to its duration); move it");
    const node = nodeIndex.get(a.flush) ?? -1;
    if (node < 0) {
      issue(["actions", i, "flush"], `${quote(a.flush)} is neither a server nor a sender${suggest(a.flush, nodeNames, "use one of: ")}`);
    }
    return { at, kind: "flush" as const, node };
  });
  actions.sort((a, b) => a.at - b.at);

  const model: Model = {
    name: input.name,
    description: input.description,
    seed: input.seed,
    startEpochMs: input.start,
    duration,
    domains,
    servers,
    senders,
    actions,
  };
  return { model, issues };
}

function compileOutages(
  raw: ScenarioInput["servers"][string]["outages"],
  base: Path,
  toSeconds: (p: TimePoint) => number,
  issue: (path: Path, message: string) => void,
): Outage[] {
  const windows = raw.map((o, i) => {
    const path: Path = [...base, "outages", i];
    const start = toSeconds(o.start);
    const end = o.end !== undefined ? toSeconds(o.end) : start + (o.duration ?? 0);
    if (start < 0) issue([...path, "start"], "this outage starts before the scenario's start; move it to 0s or later");
    if (o.duration !== undefined && o.duration <= 0) issue([...path, "duration"], "an outage must last longer than 0s; write e.g. duration: 36h");
    else if (end <= start) issue([...path, "end"], "this outage ends before it starts; write an end after its start, or use duration: instead");
    return { index: i, start: Math.round(start), end: Math.round(end), mode: o.mode };
  });
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.start < prev.end) {
      issue([...base, "outages", cur.index], `this outage overlaps outage ${prev.index + 1} of the same server; merge them or move one`);
    }
  }
  return sorted.map(({ start, end, mode }) => ({ start, end, mode }));
}
