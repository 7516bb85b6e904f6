/**
 * Which hosts an MTA tries for a domain, in what order (RFC 5321 §5.1;
 * docs/model.md#the-walk-over-the-mx-hosts):
 *
 * - MX records are tried in ascending preference; hosts of equal preference
 *   are shuffled on every lookup (here from a seeded stream).
 * - A relay that is itself an MX of the domain drops its own record and every
 *   record of equal or worse preference, so a secondary never sends to itself.
 *   If nothing is left the message cannot be relayed (qmail: perm_ambigmx,
 *   #5.4.6, a permanent failure).
 * - A static route (qmail control/smtproutes `domain:relay`) replaces the
 *   lookup: the relay host is treated as the only MX.
 */
import type { Model } from "./model.js";
import type { Stream } from "./rng.js";

export interface HostPlan {
  /** Candidate server indices, sorted by preference. */
  hosts: Int32Array;
  /** Preference of each candidate (0 for a static route). */
  prefs: Int32Array;
  /** How the candidates were found. */
  via: "mx" | "route";
}

/**
 * Candidates for mail from a sender (a plain MX lookup); with
 * `lowestPriority`, only the hosts of the highest preference number (spam
 * software aiming at the backup MX, docs/model.md#spam-software).
 */
export function senderPlan(model: Model, domain: number, lowestPriority = false): HostPlan {
  let records = [...model.domains[domain]!.mx].sort((a, b) => a.preference - b.preference);
  if (lowestPriority && records.length > 0) {
    const worst = records[records.length - 1]!.preference;
    records = records.filter((r) => r.preference === worst);
  }
  return {
    hosts: Int32Array.from(records, (r) => r.server),
    prefs: Int32Array.from(records, (r) => r.preference),
    via: "mx",
  };
}

/** Candidates for mail that relay `self` forwards to `domain`. */
export function relayPlan(model: Model, self: number, domain: number): HostPlan {
  const route = model.servers[self]!.routes.get(domain);
  if (route !== undefined) {
    return { hosts: Int32Array.of(route), prefs: Int32Array.of(0), via: "route" };
  }
  const all = senderPlan(model, domain);
  let mine = Infinity;
  for (let i = 0; i < all.hosts.length; i++) {
    if (all.hosts[i] === self) mine = Math.min(mine, all.prefs[i]!);
  }
  let keep = 0;
  while (keep < all.prefs.length && all.prefs[keep]! < mine) keep++;
  return { hosts: all.hosts.slice(0, keep), prefs: all.prefs.slice(0, keep), via: "mx" };
}

/**
 * Writes the order of this lookup into `out` (length ≥ plan.hosts.length):
 * the plan's order with each run of equal preferences shuffled (Fisher–Yates
 * from `stream`). Draws nothing when all preferences differ, so adding an
 * unrelated equal-preference domain does not shift other streams.
 */
export function orderHosts(plan: HostPlan, stream: Stream, out: Int32Array): number {
  const n = plan.hosts.length;
  out.set(plan.hosts);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && plan.prefs[j] === plan.prefs[i]) j++;
    for (let k = j - 1; k > i; k--) {
      const r = i + Math.floor(stream() * (k - i + 1));
      const tmp = out[k]!;
      out[k] = out[r]!;
      out[r] = tmp;
    }
    i = j;
  }
  return n;
}
