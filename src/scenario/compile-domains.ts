/** The dns: section: each domain's MX records, a null MX or an implicit MX, with hosts resolved to servers. */
import { t } from "./text.js";
import type { Domain } from "../core/model.js";
import type { CompileContext, Path } from "./compile-context.js";

export function compileDomains(ctx: CompileContext): Domain[] {
  return ctx.domainNames.map((name) => {
    const d = ctx.input.dns[name]!;
    const records = d.mx ?? [];
    const base: Path = ["dns", name];
    if (records.some((r) => r.host === ".")) {
      // RFC 7505 §3: a null MX is a single record of preference 0 with host ".".
      if (records.length > 1 || records[0]!.preference !== 0) {
        ctx.issue([...base, "mx"], t("cli:scn.c.nullMx"));
      }
      return { name, mx: [], nullMx: true, implicit: false };
    }
    if (records.length === 0 && d.a !== undefined) {
      // RFC 5321 §5.1: no MX records, an address: an implicit MX of preference 0.
      return { name, mx: [{ preference: 0, server: ctx.needServer([...base, "a"], d.a) }], nullMx: false, implicit: true };
    }
    return {
      name,
      mx: records.map((r, i) => ({ preference: r.preference, server: ctx.needServer([...base, "mx", i, "host"], r.host) })),
      nullMx: false,
      implicit: false,
    };
  });
}
