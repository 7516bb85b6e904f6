/**
 * Writes a run's files as a whole or not at all, and never deletes what mxsim
 * did not write.
 *
 * Everything goes into a temporary folder beside the target
 * (`.<name>.mxsim-tmp-<pid>`), which is renamed into place at the end; on
 * failure or interruption the temporary folder is removed. Every folder mxsim
 * writes carries a marker file, `.mxsim-output`, listing the files in it. An
 * existing target is replaced only when it is empty, or when its marker is
 * there and it holds nothing but the files the marker lists; never when it is
 * the current folder or one of its parents, or holds a scenario being run.
 * A temporary folder left by a killed process (its pid no longer runs) is
 * removed by the next write beside it. Large files are streamed in chunks, so
 * a run of a million messages never holds them in memory.
 */
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { showPath } from "../scenario/quote.js";
import { cannotWrite, EnvironmentError, isSystemError, UserError, writing } from "./exit-codes.js";
import { t } from "../i18n/index.js";
import { readRegularFile } from "./read-file.js";
import { toolVersion } from "./version.js";

export interface OutputFile {
  name: string;
  data: string | Uint8Array;
}

/** The marker file that says a folder was written by mxsim, and which files it wrote. */
export const MARKER = ".mxsim-output";
/** The marker being written, renamed over MARKER when whole. */
const MARKER_NEXT = `${MARKER}.next`;

interface Marker {
  tool: "mxsim";
  version: string;
  /** false while the folder is being written. */
  complete: boolean;
  files: string[];
}

/** What must never be replaced: the scenario files being read. */
export interface Protect {
  /** Paths of the scenario files of this command. */
  inputs?: readonly string[];
  /** The option that names the target, for messages ("--out"). */
  option?: string;
}

/** The files the marker in `dir` lists, or undefined when there is no valid marker. */
function readMarker(dir: string): Marker | undefined {
  try {
    const text = readRegularFile(join(dir, MARKER), 64 * 1024).toString("utf8");
    const m = JSON.parse(text) as Partial<Marker>;
    if (m.tool !== "mxsim" || !Array.isArray(m.files) || !m.files.every((f) => typeof f === "string")) return undefined;
    return m as Marker;
  } catch {
    return undefined;
  }
}

function markerText(files: string[], complete: boolean): string {
  const m: Marker = { tool: "mxsim", version: toolVersion(), complete, files };
  return `${JSON.stringify(m, null, 2)}\n`;
}

const isInside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * The real path of a target named by the user: a symbolic link is followed
 * (a dangling one cannot be written through); a path through a file cannot be written.
 */
export function resolveTarget(shown: string): { path: string; stat: Stats | undefined } {
  const abs = resolve(shown);
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { path: abs, stat: undefined };
    throw cannotWrite(shown, e);
  }
  // The real path (through any linked parent folder), so it compares with the current folder's.
  if (!st.isSymbolicLink()) return { path: realOrSelf(abs), stat: st };
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    let to = "";
    try {
      to = t("cli:out.linkTo", { target: showPath(readlinkSync(abs)) });
    } catch {
      // unreadable link: say less
    }
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new EnvironmentError(t("cli:out.dangling", { path: showPath(shown), to }));
    }
    throw cannotWrite(shown, e);
  }
  return { path: real, stat: lstatSync(real) };
}

/**
 * Throws (exit 2) unless the folder `target` may be replaced: it does not
 * exist, is empty, or holds only what its marker lists; and it is neither
 * the current folder (or a parent of it) nor a folder holding one of the inputs.
 */
function checkFolder(target: string, st: Stats | undefined, shown: string, protect: Protect): void {
  if (!st) return;
  const opt = protect.option ?? "--out";
  const s = showPath(shown);
  if (!st.isDirectory()) throw new UserError(t("cli:out.notFolder", { path: s, opt }));
  const cwd = realOrSelf(process.cwd());
  if (isInside(cwd, target)) {
    throw new UserError(t(cwd === target ? "cli:out.isCwd" : "cli:out.isCwdParent", { path: s, opt }));
  }
  for (const input of protect.inputs ?? []) {
    if (input === "-" || input.startsWith("\u0000")) continue;
    const real = realOrSelf(input);
    if (isInside(real, target)) {
      throw new UserError(t("cli:out.holdsInput", { path: s, input: showPath(input), opt }));
    }
  }
  const entries = writing(shown, () => readdirSync(target)).sort();
  if (entries.length === 0) return;
  const marker = readMarker(target);
  const inTheWay = (entry: string, why: string, fix: string) =>
    new UserError(t("cli:out.inTheWay", { path: showPath(join(shown, entry)), why, opt, fix }));
  if (!marker) {
    const first = entries.find((e) => e !== MARKER) ?? MARKER;
    throw inTheWay(first, t("cli:out.notOurs", { path: s, marker: MARKER }), t("cli:out.fixEmpty"));
  }
  const listed = new Set(marker.files);
  for (const entry of entries) {
    if (entry === MARKER) continue;
    if (!listed.has(entry)) throw inTheWay(entry, t("cli:out.notListed", { marker: MARKER }), t("cli:out.fixMove"));
    const est = writing(shown, () => lstatSync(join(target, entry)));
    if (!est.isFile()) throw inTheWay(entry, t("cli:out.notPlain"), t("cli:out.fixMove"));
  }
}

/** Is process `pid` still running? (EPERM: it runs, under another user.) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Removes a folder mxsim wrote: the files its marker lists, the marker, then
 * the folder. Anything else in it stays (and then so does the folder).
 */
function removeOwned(dir: string): void {
  // The marker's next version, left half-written by a process killed while replacing it (writeMarker).
  rmSync(join(dir, MARKER_NEXT), { force: true });
  const marker = readMarker(dir);
  if (!marker) {
    // Killed between making the folder and writing its marker: only an empty folder goes.
    try {
      rmdirSync(dir);
    } catch {
      // not there, or not empty: leave it
    }
    return;
  }
  for (const f of marker.files) {
    if (f.includes("/") || f.includes(sep) || f === "." || f === "..") continue;
    const p = join(dir, f);
    try {
      if (lstatSync(p).isFile() || lstatSync(p).isSymbolicLink()) rmSync(p, { force: true });
    } catch {
      // already gone
    }
  }
  rmSync(join(dir, MARKER), { force: true });
  try {
    rmdirSync(dir);
  } catch {
    // something else is in it: leave it
  }
}

/** Removes temporary folders and files of `base` in `parent` left by processes that no longer run. */
export function cleanStale(parent: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const re = new RegExp(`^\\.${escapeRe(base)}\\.mxsim-(tmp|old)-(\\d+)$`);
  for (const name of names) {
    const m = re.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    const p = join(parent, name);
    try {
      const st = lstatSync(p);
      if (st.isDirectory()) removeOwned(p);
      else if (st.isFile()) rmSync(p, { force: true });
    } catch {
      // raced with another cleaner
    }
  }
}

/** A text file written in chunks of about 256 kB: small enough that the strings die young, cheap for the garbage collector. */
export class TextStream {
  private parts: string[] = [];
  private size = 0;
  private fd: number;
  /** Characters written so far (about bytes: the files are mostly ASCII). */
  written = 0;

  /** `shown` names the file in errors (the final path, not the temporary one). */
  constructor(
    path: string,
    private readonly shown: string,
  ) {
    this.fd = writing(shown, () => openSync(path, "wx"));
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    this.written += text.length;
    if (this.size >= 1 << 18) this.flush();
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    const fd = this.fd;
    this.fd = -1;
    writing(this.shown, () => closeSync(fd));
  }

  private flush(): void {
    if (this.parts.length > 0) {
      const text = this.parts.join("");
      writing(this.shown, () => writeSync(this.fd, text));
    }
    this.parts = [];
    this.size = 0;
  }
}

/** Writes being made, so an interrupted run can remove them (see main.ts). */
const unfinished = new Set<{ abort(): void }>();

/** Removes every output folder or file still being written; for SIGINT, SIGTERM and SIGHUP. */
export function abortUnfinished(): void {
  for (const out of [...unfinished]) out.abort();
}

export class OutputDir {
  private readonly shown: string;
  private readonly target: string;
  private readonly tmp: string;
  private readonly protect: Protect;
  /** The first folder this output had to create above itself, removed again on abort if still empty. */
  private readonly createdParent: string | undefined;
  private readonly streams: TextStream[] = [];
  private fileBytes = 0;
  readonly names: string[] = [];

  /** Bytes written into the folder so far. */
  get bytes(): number {
    let n = this.fileBytes;
    for (const s of this.streams) n += s.written;
    return n;
  }

  constructor(dir: string, protect: Protect = {}) {
    this.shown = dir;
    this.protect = protect;
    const { path, stat } = resolveTarget(dir);
    this.target = path;
    checkFolder(path, stat, dir, protect);
    const parent = dirname(path);
    this.createdParent = writing(dir, () => mkdirSync(parent, { recursive: true }));
    cleanStale(parent, basename(path));
    this.tmp = join(parent, `.${basename(path)}.mxsim-tmp-${process.pid}`);
    removeOwned(this.tmp);
    writing(dir, () => mkdirSync(this.tmp));
    unfinished.add(this);
    this.writeMarker(false);
  }

  file(name: string, data: string | Uint8Array): void {
    this.fileBytes += data.length;
    this.names.push(name);
    this.writeMarker(false);
    writing(join(this.shown, name), () => writeFileSync(join(this.tmp, name), data, { flag: "wx" }));
  }

  stream(name: string): TextStream {
    this.names.push(name);
    this.writeMarker(false);
    const s = new TextStream(join(this.tmp, name), join(this.shown, name));
    this.streams.push(s);
    return s;
  }

  /** Puts the finished folder in place of the target (replacing an earlier output, if it may still be replaced). */
  commit(): void {
    for (const s of this.streams) s.close();
    this.writeMarker(true);
    // Checked again: a long run gives a user time to put a file into the old folder.
    const { path, stat } = resolveTarget(this.shown);
    checkFolder(path, stat, this.shown, this.protect);
    if (stat) {
      const old = join(dirname(this.target), `.${basename(this.target)}.mxsim-old-${process.pid}`);
      writing(this.shown, () => renameSync(this.target, old));
      writing(this.shown, () => renameSync(this.tmp, this.target));
      removeOwned(old);
    } else {
      writing(this.shown, () => renameSync(this.tmp, this.target));
    }
    unfinished.delete(this);
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
    try {
      removeOwned(this.tmp);
    } catch {
      // nothing more can be done
    }
    removeEmptyParents(dirname(this.target), this.createdParent);
  }

  /**
   * Written beside and renamed over the old one, so the marker is whole at every moment: a process
   * killed while writing it leaves the previous marker (and a partial MARKER_NEXT, which removeOwned
   * takes away), never an empty marker that would keep its folder from being cleaned up.
   */
  private writeMarker(complete: boolean): void {
    // A full disk while writing the marker names the marker, the file that did not fit.
    writing(join(this.shown, MARKER), () => {
      writeFileSync(join(this.tmp, MARKER_NEXT), markerText(this.names, complete));
      renameSync(join(this.tmp, MARKER_NEXT), join(this.tmp, MARKER));
    });
  }
}

/** Removes the folders from `dir` up to `top` (which this process created) while they are empty. */
function removeEmptyParents(dir: string, top: string | undefined): void {
  if (!top) return;
  const rel = relative(top, dir);
  if (rel.startsWith("..")) return;
  for (let d = dir; ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || d === dirname(d)) return;
  }
}

/** Writes small files as one folder, whole or absent. */
export function writeOutputDir(dir: string, files: OutputFile[], protect: Protect = {}): void {
  const out = new OutputDir(dir, protect);
  try {
    for (const f of files) out.file(f.name, f.data);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}

/** Checks that `dir` could be written now (exit 2 or 3 if not), before the work that fills it. */
export function checkOutputDir(dir: string, protect: Protect = {}): void {
  const { path, stat } = resolveTarget(dir);
  checkFolder(path, stat, dir, protect);
}

/**
 * Writes one file whole or not at all: into a temporary file beside it, then
 * renamed. An existing file is replaced only when `mayReplace` says mxsim
 * wrote it; a folder, a device or a FIFO is never written to.
 */
export function writeFileWhole(shown: string, data: string | Uint8Array, opts: { option: string; example: string; mayReplace: (path: string) => boolean }): void {
  const { path, stat } = resolveTarget(shown);
  const s = showPath(shown);
  if (stat) {
    if (stat.isDirectory()) throw new UserError(t("cli:out.fileIsFolder", { opt: opts.option, path: s, example: opts.example }));
    if (!stat.isFile()) throw new UserError(t("cli:out.fileNotRegular", { opt: opts.option, path: s, example: opts.example }));
    if (!opts.mayReplace(path)) {
      throw new UserError(t("cli:out.fileNotOurs", { path: s, opt: opts.option }));
    }
  }
  const parent = dirname(path);
  cleanStale(parent, basename(path));
  const tmp = join(parent, `.${basename(path)}.mxsim-tmp-${process.pid}`);
  const entry = {
    abort: () => {
      unfinished.delete(entry);
      rmSync(tmp, { force: true });
    },
  };
  unfinished.add(entry);
  try {
    rmSync(tmp, { force: true });
    writing(shown, () => writeFileSync(tmp, data, { flag: "wx" }));
    writing(shown, () => renameSync(tmp, path));
    unfinished.delete(entry);
  } catch (e) {
    entry.abort();
    if (isSystemError(e)) throw cannotWrite(shown, e);
    throw e;
  }
}
