import { readFileSync } from "node:fs";

let version: string | undefined;

/** mxsim's version, from its package.json (two folders above dist/cli/). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}
