/**
 * Reading files a user names, safely: only regular files (a FIFO, a device
 * or a socket would block or never end), opened without blocking, and never
 * more than a limit: the size a file reports proves nothing (/proc files say
 * 0, a file can grow while it is read), so at most limit + 1 bytes are read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** What a path is when it is not a regular file. */
export type NotRegularKind = "folder" | "FIFO" | "character device" | "block device" | "socket" | "special file";

export class NotRegularFile extends Error {
  constructor(readonly kind: NotRegularKind) {
    super(`not a regular file (a ${kind})`);
  }
}

export class FileTooLarge extends Error {
  /** `size` is what the file reported, when that was already over the limit; otherwise undefined. */
  constructor(
    readonly limit: number,
    readonly size: number | undefined,
  ) {
    super(`more than ${limit} bytes`);
  }
}

function kindOf(st: Stats): NotRegularKind {
  if (st.isDirectory()) return "folder";
  if (st.isFIFO()) return "FIFO";
  if (st.isCharacterDevice()) return "character device";
  if (st.isBlockDevice()) return "block device";
  if (st.isSocket()) return "socket";
  return "special file";
}

/**
 * The bytes of the regular file at `path` (symbolic links followed), at most
 * `limit`. Throws NotRegularFile, FileTooLarge, or the system error (ENOENT, EACCES…).
 */
export function readRegularFile(path: string, limit: number): Buffer {
  return withRegularFile(path, (fd, st) => {
    if (st.size > limit) throw new FileTooLarge(limit, st.size);
    return readUpTo(fd, limit);
  });
}

/** The first `n` bytes (or fewer) of the regular file at `path`. */
export function readRegularHead(path: string, n: number): Buffer {
  return withRegularFile(path, (fd) => {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const k = readSync(fd, buf, got, n - got, null);
      if (k === 0) break;
      got += k;
    }
    return buf.subarray(0, got);
  });
}

function withRegularFile<T>(path: string, fn: (fd: number, st: Stats) => T): T {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    // A Unix socket cannot be opened as a file.
    if ((e as NodeJS.ErrnoException).code === "ENXIO") throw new NotRegularFile("socket");
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFile(kindOf(st));
    return fn(fd, st);
  } finally {
    closeSync(fd);
  }
}

/** Reads `fd` to its end, failing as soon as more than `limit` bytes have come. */
export function readUpTo(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // Never ask for more than one byte past the limit.
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > limit) throw new FileTooLarge(limit, undefined);
  }
  return Buffer.concat(chunks, total);
}

/** Standard input, at most `limit` bytes; read asynchronously, so a slow pipe does not block signals. */
export async function readStdin(limit: number, stdin: NodeJS.ReadStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > limit) {
      stdin.destroy();
      throw new FileTooLarge(limit, undefined);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}
