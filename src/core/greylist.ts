/**
 * Greylisting as postgrey does it (postgrey 1.37, smtpd_access_policy()),
 * for every server of a run that greylists, and the sending addresses the
 * clients' attempts come from.
 *
 * postgrey keys a triplet on (client network, sender, recipient): the
 * client's /24 by default (--lookup-by-subnet, ipv4cidr 24) or its exact
 * address (--lookup-by-host). A triplet's first sight is answered 450; an
 * attempt at least `delay` after it passes. A first retry that comes more
 * than `retry_window` (2 days) after the first sight starts the wait over.
 * A client address whose triplets passed `auto_whitelist` times (5; at most
 * one pass counted per hour) is passed at once from then on (--auto-whitelist-
 * clients, keyed by the exact address). Clients listed in the whitelist
 * (postgrey_whitelist_clients) are never greylisted.
 *
 * mxsim's simplifications: each message is its own (sender, recipient) pair,
 * so two messages never share a triplet; postgrey's nightly clean-up of
 * entries older than --max-age (35 days) is not modelled.
 *
 * Addresses: each node sends from a pool (one address for a server or a
 * classic MTA, a provider's `ips` in `ip_subnets` networks); an attempt uses
 * the pool's address number (message + attempt − 1) mod ips, so one message's
 * retries go round the pool in turn, and address j is in network j mod subnets.
 * Nodes never share an address or a network.
 */
import type { Model } from "./model.js";

/** Seconds between two passes that auto-whitelisting counts (postgrey: `$now >= $cawl_last + 3600`). */
const AWL_SPACING = 3600;

/** The address, in a pool of `ips`, that the `tries`-th attempt on message `m` comes from (1 = the first attempt): in turn from m. */
export function poolAddress(m: number, tries: number, ips: number): number {
  return (m + tries - 1) % ips;
}

export class Greylists {
  private readonly ips: Int32Array;
  private readonly subnets: Int32Array;
  /** Per node: its first address id and first network id. */
  private readonly ipBase: Int32Array;
  private readonly netBase: Int32Array;
  private readonly nIds: number;
  /** Triplets: key → first sight, last sight. */
  private readonly first = new Map<number | string, number>();
  private readonly last = new Map<number | string, number>();
  /** Auto-whitelist by (server, exact address): passes counted, and when the last was counted. */
  private readonly awlCount = new Map<number, number>();
  private readonly awlLast = new Map<number, number>();
  /** Per server: whitelisted client nodes. */
  private readonly whitelisted: Uint8Array[];
  /** Numeric keys stay exact below 2^53; past that bound the triplet keys are strings. */
  private readonly numericKeys: boolean;

  constructor(
    private readonly model: Model,
    pools: readonly { ips: number; subnets: number }[],
  ) {
    const n = pools.length;
    this.ips = Int32Array.from(pools, (p) => p.ips);
    this.subnets = Int32Array.from(pools, (p) => p.subnets);
    this.ipBase = new Int32Array(n);
    this.netBase = new Int32Array(n);
    let ip = 0;
    let net = 0;
    for (let i = 0; i < n; i++) {
      this.ipBase[i] = ip;
      this.netBase[i] = net;
      ip += pools[i]!.ips;
      net += pools[i]!.subnets;
    }
    this.nIds = Math.max(ip, net);
    this.numericKeys = model.servers.length * this.nIds < 2 ** 28;
    this.whitelisted = model.servers.map((s) => {
      const set = new Uint8Array(n);
      for (const node of s.greylisting.whitelist) set[node] = 1;
      return set;
    });
  }

  /** True when any server of the model greylists. */
  static needed(model: Model): boolean {
    return model.servers.some((s) => s.greylisting.delay > 0);
  }

  /** The address number in `node`'s pool of the `tries`-th attempt on message `m` (1 = the first). */
  address(node: number, m: number, tries: number): number {
    return poolAddress(m, tries, this.ips[node]!);
  }

  /**
   * Whether `host` answers message `m`, on `client`'s `tries`-th attempt, with a greylisting 450 at `now`.
   * With `probe` nothing is recorded (a cached session tested before use).
   */
  greylists(m: number, client: number, host: number, tries: number, now: number, probe: boolean): boolean {
    const g = this.model.servers[host]!.greylisting;
    if (g.delay <= 0 || this.whitelisted[host]![client]) return false;
    const j = this.address(client, m, tries);
    const ipId = this.ipBase[client]! + j;
    const awlKey = host * this.nIds + ipId;
    const awl = this.awlCount.get(awlKey);
    if (g.autoWhitelist > 0 && awl !== undefined && awl >= g.autoWhitelist) return false;
    const keyId = g.key === "ip" ? ipId : this.netBase[client]! + (j % this.subnets[client]!);
    const key = this.tripletKey(m, host, keyId);
    let first = this.first.get(key);
    let lastWasSuccessful = false;
    if (first !== undefined) {
      const last = this.last.get(key)!;
      if (last - first >= g.delay) lastWasSuccessful = true;
      // The first retry beyond the retry window starts over.
      else if (now - first > g.retryWindow) first = now;
    } else first = now;
    const passes = now - first >= g.delay;
    if (probe) return !passes;
    this.first.set(key, first);
    this.last.set(key, now);
    if (passes && !lastWasSuccessful && g.autoWhitelist > 0) {
      const at = this.awlLast.get(awlKey);
      if (at === undefined || now >= at + AWL_SPACING) {
        this.awlCount.set(awlKey, (awl ?? 0) + 1);
        this.awlLast.set(awlKey, now);
      }
    }
    return !passes;
  }

  private tripletKey(m: number, host: number, keyId: number): number | string {
    const k = host * this.nIds + keyId;
    return this.numericKeys ? m * (this.model.servers.length * this.nIds) + k : `${m}:${k}`;
  }
}
