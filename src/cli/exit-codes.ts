/** Exit codes, documented in the README and pinned by tests. */
export const EXIT_OK = 0;
/** A scenario's own expectations (`expect:`) failed. */
export const EXIT_EXPECTATION_FAILED = 1;
/** Bad input or usage: a malformed scenario, a missing file, an unknown flag. */
export const EXIT_USAGE = 2;
/** A bug in mxsim. */
export const EXIT_INTERNAL = 3;

/** A mistake of the user's: printed as one line, exit code 2, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [message],
  ) {
    super(message);
  }
}

/** The exit code of a completed run: 1 when one of the scenario's expectations is broken, else 0. */
export function exitCodeFor(checks: readonly { ok: boolean }[]): number {
  return checks.every((c) => c.ok) ? EXIT_OK : EXIT_EXPECTATION_FAILED;
}
