/** The actions: section: an administrator's flushes, at times inside the run, of a server or a sender, in time order. */
import type { AdminAction } from "../core/model.js";
import type { CompileContext } from "./compile-context.js";
import { quote } from "./quote.js";
import { t } from "./text.js";

export function compileActions(ctx: CompileContext): AdminAction[] {
  const { input } = ctx;
  // Node indices: the servers, then the senders (AdminAction.node); a name used twice is the server.
  const senderNames = Object.keys(input.senders);
  const nodeNames = [...ctx.serverNames, ...senderNames];
  const nodeIndex = new Map<string, number>();
  nodeNames.forEach((n, i) => {
    if (!nodeIndex.has(n)) nodeIndex.set(n, i);
  });
  const actions: AdminAction[] = input.actions.map((a, i) => {
    const at = Math.round(ctx.toSeconds(a.at));
    if (at < 0 || at >= input.duration) ctx.issue(["actions", i, "at"], t("cli:scn.c.actionOutside"));
    const node = nodeIndex.get(a.flush) ?? -1;
    if (node < 0) {
      ctx.issue(["actions", i, "flush"], t("cli:scn.c.notServerOrSender", { name: quote(a.flush), suggestion: ctx.suggest(a.flush, nodeNames, t("cli:scn.c.useOneOf")) }));
    }
    return { at, kind: "flush" as const, node };
  });
  return actions.sort((a, b) => a.at - b.at);
}
