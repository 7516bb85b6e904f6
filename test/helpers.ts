import { loadScenario } from "../src/scenario/load.js";
import type { AttemptLog, AttemptReport, NoticeReport } from "../src/core/attempt-log.js";
import type { Model } from "../src/core/model.js";

/** Compiles an inline scenario, failing the test with the diagnostics if it is invalid. */
export function model(yaml: string): Model {
  const r = loadScenario(yaml, "inline.yaml");
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`).join("\n"));
  return r.model;
}

/** A domain with a primary (MX 10) and optionally a qmail secondary (MX 20) routing to it. */
export function twoMx(opts: {
  primaryOutages?: string;
  secondary?: boolean;
  secondaryOutages?: string;
  senders: string;
  duration?: string;
  relayMta?: string;
}): Model {
  const secondary = opts.secondary ?? true;
  return model(`
name: t
seed: 1
duration: ${opts.duration ?? "9d"}
dns:
  example.com:
    mx:
      - { preference: 10, host: p.example.com }
${secondary ? "      - { preference: 20, host: s.example.com }" : ""}
servers:
  p.example.com:
    role: mailbox
    domains: [example.com]
    outages: ${opts.primaryOutages ?? "[]"}
${
  secondary
    ? `  s.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: p.example.com }
    outages: ${opts.secondaryOutages ?? "[]"}
    mta: ${opts.relayMta ?? "qmail"}`
    : ""
}
senders:
${opts.senders}
`);
}

/** An attempt as the delivery reports it to a sink, from its fields in order. */
export function attemptReport(message: number, node: number, start: number, end: number, result: number, host: number, next: number): AttemptReport {
  return { message, node, start, end, result, host, next };
}

/** A notification as the delivery reports it to a sink, from its fields in order. */
export function noticeReport(message: number, node: number, at: number, kind: number, sender: number, reason: number): NoticeReport {
  return { message, node, at, kind, sender, reason };
}

/** The index of attempt `i`'s first connection in an AttemptLog (its connections are [firstConn(a, i), a.connEnd[i])). */
export function firstConn(a: Pick<AttemptLog, "connEnd">, i: number): number {
  return i === 0 ? 0 : a.connEnd[i - 1]!;
}
