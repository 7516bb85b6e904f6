/**
 * Writes a run's files as a whole or not at all: everything goes into a
 * temporary folder beside the target, which is renamed into place at the end;
 * on failure the temporary folder is removed. Large files are streamed into
 * it in chunks, so a run of a million messages never holds them in memory.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "./exit-codes.js";

export interface OutputFile {
  name: string;
  data: string | Uint8Array;
}

/** Throws a UserError if `dir` exists and does not look like an earlier mxsim output. */
export function checkReplaceable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a folder; choose another --out`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes("results.json")) {
    throw new UserError(`${dir} exists and is not an mxsim output folder (no results.json); choose another --out or remove it`);
  }
}

/** A text file written in chunks of about 256 kB: small enough that the strings die young, cheap for the garbage collector. */
export class TextStream {
  private parts: string[] = [];
  private size = 0;
  private fd: number;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 18) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

/** Output folders being written, so an interrupted run can remove them (see main.ts). */
const unfinished = new Set<OutputDir>();

/** Removes every output folder still being written; for SIGINT. */
export function abortUnfinished(): void {
  for (const out of [...unfinished]) out.abort();
}

export class OutputDir {
  private readonly target: string;
  private readonly tmp: string;
  private readonly streams: TextStream[] = [];
  readonly names: string[] = [];

  constructor(dir: string) {
    this.target = resolve(dir);
    checkReplaceable(this.target);
    mkdirSync(dirname(this.target), { recursive: true });
    this.tmp = join(dirname(this.target), `.${basename(this.target)}.tmp-${process.pid}`);
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp);
    unfinished.add(this);
  }

  file(name: string, data: string | Uint8Array): void {
    writeFileSync(join(this.tmp, name), data);
    this.names.push(name);
  }

  stream(name: string): TextStream {
    const s = new TextStream(join(this.tmp, name));
    this.streams.push(s);
    this.names.push(name);
    return s;
  }

  /** Puts the finished folder in place of the target (replacing an earlier output). */
  commit(): void {
    for (const s of this.streams) s.close();
    unfinished.delete(this);
    if (existsSync(this.target)) {
      const old = join(dirname(this.target), `.${basename(this.target)}.old-${process.pid}`);
      renameSync(this.target, old);
      renameSync(this.tmp, this.target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(this.tmp, this.target);
    }
  }

  /** Leaves no trace of an unfinished run. */
  abort(): void {
    unfinished.delete(this);
    for (const s of this.streams) {
      try {
        s.close();
      } catch {
        // already closed, or the disk is gone: the folder is removed anyway
      }
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Writes small files as one folder, whole or absent. */
export function writeOutputDir(dir: string, files: OutputFile[]): void {
  const out = new OutputDir(dir);
  try {
    for (const f of files) out.file(f.name, f.data);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}
