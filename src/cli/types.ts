/**
 * What the command line and its commands share: the terminal they write to
 * (`Io`) and the shape of a command. Its own module, so that cli.ts imports
 * the commands and the commands import nothing back from it.
 */
import type { ArgumentsCamelCase, Argv } from "yargs";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour in the summary table (a terminal that supports it). */
  color: boolean;
  /** The environment whose LC_ALL, LC_MESSAGES or LANG choose the language when --lang does not (none: English). */
  env?: Record<string, string | undefined>;
}

/** The options every command takes (parser.ts defines them). */
export interface GlobalOptions {
  /** Run past the resource guards. */
  allowLarge: boolean;
  /** Warnings are errors. */
  strict: boolean;
  /** The language of the text mxsim writes (cli.ts has already set it). */
  lang?: string;
}

/**
 * One command of mxsim, as yargs' CommandModule has it (its command string
 * with positionals, its line in --help, a builder of its options), with a
 * handler that returns the exit code instead of setting it.
 */
export interface Command<U = {}> {
  command: string;
  describe: string;
  builder(y: Argv): Argv<U>;
  run(args: ArgumentsCamelCase<U> & GlobalOptions, io: Io): Promise<number> | number;
}

/** `c` as it is: lets TypeScript infer the options of `run` from those the builder defines. */
export function defineCommand<U>(c: Command<U>): Command<U> {
  return c;
}
