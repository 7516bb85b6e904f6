/**
 * The clients a greylisting server never greylists (postgrey_whitelist_clients), resolved once the
 * senders are compiled: each name is a server, a sender as written under senders: (all the MTAs of
 * its mix), a model sender (`<sender>/<mta>`), or a sender MTA (every sender running it, e.g. amazon-ses).
 */
import type { Sender, Server } from "../core/model.js";
import type { CompileContext } from "./compile-context.js";
import { quote } from "./quote.js";
import { t } from "./text.js";

export function compileWhitelists(ctx: CompileContext, servers: Server[], senders: Sender[], byName: Map<string, number[]>): void {
  const nodes = new Map<string, number[]>();
  const add = (name: string, node: number) => {
    const list = nodes.get(name);
    if (list) list.push(node);
    else nodes.set(name, [node]);
  };
  servers.forEach((s, i) => add(s.name, i));
  for (const [name, list] of byName) for (const k of list) add(name, servers.length + k);
  senders.forEach((s, k) => {
    if (!byName.has(s.name)) add(s.name, servers.length + k);
    add(s.profile.mta, servers.length + k);
  });
  const known = [...nodes.keys()];
  ctx.serverNames.forEach((name, i) => {
    const input = ctx.input.servers[name]!;
    if (input.role === "balancer" || !servers[i]) return;
    const list = new Set<number>();
    input.greylisting.whitelist.forEach((w, j) => {
      const found = nodes.get(w);
      if (found) for (const n of found) list.add(n);
      else {
        const where = ["servers", name, "greylisting", "whitelist", j];
        ctx.issue(where, t("cli:scn.c.notWhitelistable", { name: quote(w), suggestion: ctx.suggest(w, known, t("cli:scn.c.writeOneOf")) }));
      }
    });
    servers[i].greylisting = { ...servers[i].greylisting, whitelist: [...list].sort((a, b) => a - b) };
  });
}
