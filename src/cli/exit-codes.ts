/** Exit codes, documented in the README and pinned by tests. */
import { showPath } from "../scenario/quote.js";
import { t } from "../i18n/index.js";

export const EXIT_OK = 0;
/** A scenario's own expectations (`expect:`) failed. */
export const EXIT_EXPECTATION_FAILED = 1;
/** Bad input or usage: a malformed scenario, a missing file, an unknown flag, an output folder in the way. */
export const EXIT_USAGE = 2;
/** The environment failed: a file could not be written (disk full, read-only, permission, a path through a file). */
export const EXIT_ENVIRONMENT = 3;
/** A bug in mxsim. */
export const EXIT_INTERNAL = 4;
/** Interrupted: 128 + the signal's number, as shells report it. */
export const EXIT_SIGNAL: Record<"SIGINT" | "SIGTERM" | "SIGHUP", number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** A mistake of the user's: printed as one line, exit code 2, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [message],
  ) {
    super(message);
  }
}

/** Something outside mxsim failed (the disk, the permissions): one line, exit code 3. */
export class EnvironmentError extends Error {}

/** The system errors a user can meet while mxsim writes or reads files, said in plain words (cli:reason.<code>). */
export const REASON_CODES = [
  "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENOTDIR", "EISDIR", "ENOENT", "EEXIST", "ENOTEMPTY",
  "ELOOP", "ENAMETOOLONG", "EIO", "EMFILE", "ENFILE", "EBUSY", "ETXTBSY", "EXDEV", "EFBIG", "ENXIO",
] as const;
const REASONS: ReadonlySet<string> = new Set(REASON_CODES);

/** A system error's reason in words, e.g. "no space left on device". */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS.has(code)) return t(`cli:reason.${code}`);
  return code ?? (e as Error | undefined)?.message ?? String(e);
}

/** True for an error raised by the operating system (it has an errno code and a system call). */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

/** "cannot write PATH: no space left on device". */
export function cannotWrite(path: string, e: unknown): EnvironmentError {
  return new EnvironmentError(t("cli:err.cannotWrite", { path: showPath(path), reason: reasonOf(e) }));
}

/** Runs a file-system call; a system error becomes "cannot write PATH: reason" (exit 3). */
export function writing<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isSystemError(e)) throw cannotWrite(path, e);
    throw e;
  }
}

/** The exit code of a completed run: 1 when one of the scenario's expectations is broken, else 0. */
export function exitCodeFor(checks: readonly { ok: boolean }[]): number {
  return checks.every((c) => c.ok) ? EXIT_OK : EXIT_EXPECTATION_FAILED;
}
