/**
 * Relays whose static routes lead back to themselves would pass mail around
 * until the hop limit. Per domain, each relay's route chain is walked once (a
 * relay already walked is not walked again), so the check is linear in the
 * number of routes.
 */
import type { Domain, Server } from "../core/model.js";
import type { CompileContext } from "./compile-context.js";
import { listSome, quote } from "./quote.js";
import { t } from "./text.js";

export function checkRouteLoops(ctx: CompileContext, domains: Domain[], servers: Server[]): void {
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
        ctx.issue(
          ["servers", from, "routes", d],
          t("cli:scn.c.routeLoop", { domain: quote(d), loop: `${listSome(loop.map((k) => servers[k]!.name), 6).join(" → ")} → ${from}` }),
        );
      }
      for (const k of chain) state[k] = 2;
    }
  });
}
