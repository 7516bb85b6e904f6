/**
 * What every section of the compiler shares: the scenario, the list of
 * problems found so far, and the name → index lookups that report an unknown
 * name where it is written. One context per compile; the sections add to its
 * issues in the order they run, which is the order the user reads them in.
 */
import { didYouMean, oneOf } from "./did-you-mean.js";
import { listSome, quote } from "./quote.js";
import { t } from "./text.js";
import type { ScenarioInput, TimePoint } from "./schema.js";

export type Path = (string | number)[];
export interface Issue {
  path: Path;
  message: string;
}

/** Problems worded in full (with suggestions); beyond this many, the rest are only counted and get short words. */
const WORDED = 20;

export class CompileContext {
  readonly issues: Issue[] = [];
  readonly domainNames: string[];
  readonly serverNames: string[];
  readonly domainIndex: Map<string, number>;
  readonly serverIndex: Map<string, number>;

  constructor(readonly input: ScenarioInput) {
    this.domainNames = Object.keys(input.dns);
    this.serverNames = Object.keys(input.servers);
    this.domainIndex = new Map(this.domainNames.map((d, i) => [d, i]));
    this.serverIndex = new Map(this.serverNames.map((s, i) => [s, i]));
  }

  issue(path: Path, message: string): void {
    this.issues.push({ path, message });
  }

  /**
   * Suggestions compare a name with every known one: only for the problems that will be shown,
   * so a file with thousands of bad references is still checked in linear time.
   */
  suggest(name: string, known: readonly string[], otherwise: string): string {
    return this.issues.length >= WORDED ? "" : didYouMean(name, known) || `; ${otherwise}${oneOf(listSome(known))}`;
  }

  /** Seconds from the scenario's start. */
  toSeconds(p: TimePoint): number {
    return "offset" in p ? p.offset : (p.date - this.input.start) / 1000;
  }

  /** The index of a domain named at `path`, or -1 (reported) when dns has no such domain. */
  needDomain(path: Path, name: string): number {
    const i = this.domainIndex.get(name);
    if (i === undefined) {
      this.issue(path, t("cli:scn.c.noMx", { name: quote(name), suggestion: this.suggest(name, this.domainNames, t("cli:scn.c.addUnderDns")) }));
      return -1;
    }
    return i;
  }

  /** The index of a server named at `path`, or -1 (reported) when there is no such server. */
  needServer(path: Path, name: string): number {
    const i = this.serverIndex.get(name);
    if (i === undefined) {
      this.issue(path, t("cli:scn.c.notServer", { name: quote(name), suggestion: this.suggest(name, this.serverNames, t("cli:scn.c.defineUnderServers")) }));
      return -1;
    }
    return i;
  }
}
