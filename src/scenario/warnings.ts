/**
 * Warnings: a valid scenario that silently does less than it seems to. Each
 * says where (a path, or a YAML node) and what to write instead; `--strict`
 * turns them into errors. Pure.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { Model } from "../core/model.js";
import { relayPlan } from "../core/mx-lookup.js";
import { human } from "../core/duration-text.js";
import type { Path } from "./compile.js";
import { MTA_OPTIONS, type LongUnit } from "./mta-options.js";
import { quote } from "./quote.js";
import { t } from "./text.js";
import type { ScenarioInput } from "./schema.js";

export interface Warning {
  path: Path;
  message: string;
  /** The YAML node to point at, when known; else the path is located. */
  node?: Node;
}

/**
 * Keys whose durations are long by nature: a bare number there (`duration: 36`)
 * means seconds, which is rarely what was meant. The unit a small number most
 * likely meant is given for the fix. The scenario's own keys (times, outages,
 * flapping, expectations) are listed here; each MTA's settings carry their own
 * flag in its profile file (core/profiles/<name>.ts, read through mta-options.ts).
 */
export const LONG_DURATION_KEYS: Record<string, LongUnit> = {
  duration: "h",
  start: "h",
  end: "h",
  up: "h",
  down: "h",
  until: "d",
  at: "h",
  p50_latency: "h",
  p90_latency: "h",
  p95_latency: "h",
  p99_latency: "h",
  max_latency: "h",
  drain_time: "h",
  ...Object.fromEntries(
    Object.values(MTA_OPTIONS)
      .flat()
      .flatMap((o) => (o.kind.type === "duration" && o.kind.long ? [[o.key, o.kind.long]] : [])),
  ),
};

/** Below this, a bare number of seconds for a long duration is flagged. */
const SUSPICIOUS_BELOW = 100;

/** Bare numbers under long-duration keys, found in one linear walk of the document. */
export function bareNumberWarnings(root: unknown): Warning[] {
  const out: Warning[] = [];
  const visit = (node: unknown, path: Path, key: string | undefined): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        // Exim's retry rule and the scenario's start date hold their own syntax.
        if (k === "retry" || (path.length === 0 && k === "start")) continue;
        visit(pair.value, [...path, k], k);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i], key === "at" ? "at" : undefined));
    } else if (isScalar(node) && key !== undefined && key in LONG_DURATION_KEYS) {
      const v = node.value;
      const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
      if (Number.isInteger(n) && n > 0 && n < SUSPICIOUS_BELOW) {
        const unit = LONG_DURATION_KEYS[key]!;
        const word = t(unit === "d" ? "cli:scn.warn.days" : "cli:scn.warn.hours");
        out.push({
          path,
          node: node as Node,
          message: t("cli:scn.warn.bareNumber", { n, word, key, unit }),
        });
      }
    }
  };
  visit(root, [], undefined);
  return out;
}

/** Warnings that need the compiled model: windows outside the run, servers nothing reaches, backups that bounce everything. */
export function modelWarnings(input: ScenarioInput, model: Model): Warning[] {
  const reached = reachedServers(model);
  return [...lateOutageWarnings(input, model), ...unreachedWarnings(model, reached), ...ambiguousMxWarnings(model, reached)];
}

/** Outages that start when the run is already over. */
function lateOutageWarnings(input: ScenarioInput, model: Model): Warning[] {
  const out: Warning[] = [];
  const { duration } = model;
  model.servers.forEach((s, i) => {
    const raw = input.servers[s.name]!.outages ?? [];
    // The model's windows are sorted; the scenario's indices are needed for the path.
    raw.forEach((_, k) => {
      const w = outageOf(input, model, i, k);
      if (w && w.start >= duration) {
        out.push({
          path: ["servers", s.name, "outages", k],
          message: t("cli:scn.warn.outageAfterEnd", { start: human(w.start), duration: human(duration) }),
        });
      }
    });
  });
  return out;
}

/** Per server, 1 if mail can reach it: MX records (explicit or implicit), balancers, relays' routes. */
function reachedServers({ servers, domains }: Model): Uint8Array {
  const reached = new Uint8Array(servers.length);
  const work: number[] = [];
  const reach = (j: number) => {
    if (j >= 0 && !reached[j]) {
      reached[j] = 1;
      work.push(j);
    }
  };
  for (const d of domains) for (const r of d.mx) reach(r.server);
  while (work.length > 0) {
    const s = servers[work.pop()!]!;
    if (s.role === "balancer") s.members.forEach(reach);
    else for (const j of s.routes.values()) reach(j);
  }
  return reached;
}

/** Mailbox servers no mail reaches, and backups no sender uses. */
function unreachedWarnings({ servers }: Model, reached: Uint8Array): Warning[] {
  const out: Warning[] = [];
  servers.forEach((s, i) => {
    if (reached[i]) return;
    if (s.role === "mailbox") {
      out.push({
        path: ["servers", s.name],
        message: t("cli:scn.warn.unreachedMailbox", { name: quote(s.name) }),
      });
    } else if (s.role === "relay") {
      out.push({
        path: ["servers", s.name],
        message: t("cli:scn.warn.unusedRelay", { name: quote(s.name), host: s.name }),
      });
    }
  });
  return out;
}

/** A backup that is the best MX of a domain it relays and has no route: everything it takes bounces (perm_ambigmx). */
function ambiguousMxWarnings(model: Model, reached: Uint8Array): Warning[] {
  const out: Warning[] = [];
  const { servers, domains } = model;
  servers.forEach((s, i) => {
    if (s.role !== "relay" || !reached[i]) return;
    for (const d of s.relayDomains) {
      if (d < 0 || s.routes.has(d)) continue;
      if (!domains[d]!.mx.some((r) => r.server === i)) continue;
      if (relayPlan(model, i, d).hosts.length === 0) {
        const name = domains[d]!.name;
        out.push({
          path: ["servers", s.name, "relay_domains"],
          message: t("cli:scn.warn.bestMxNoRoute", { name: quote(s.name), domain: quote(name), rawDomain: name }),
        });
      }
    }
  });
  return out;
}

/** The compiled window of the k-th outage (as written) of server i. */
function outageOf(input: ScenarioInput, model: Model, i: number, k: number): { start: number } | undefined {
  const raw = input.servers[model.servers[i]!.name]!.outages?.[k];
  if (!raw) return undefined;
  const p = raw.start;
  const start = "offset" in p ? p.offset : (p.date - input.start) / 1000;
  return { start };
}
