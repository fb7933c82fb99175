// Every file stripe-audit reads belongs to a repository it does not trust. A path can name a FIFO (open
// blocks until a writer comes, forever), a device (`/dev/zero` never ends, `/dev/stdin` waits for a
// terminal), or a huge file. So every read goes through here: open without blocking, check on the open
// descriptor that it is a regular file (fstat: no second lookup of the path that could be swapped in
// between), and read at most a fixed number of bytes. The scan's reads of source files (one per file
// of the tree) fstat only when the reads did not end like a regular file's; see readRegularInto.
import fs from 'node:fs';

/** Source files: anything larger is generated code or data. */
export const MAX_SOURCE_BYTES = 1024 * 1024;
/** Data files the tool reads as a whole (package.json, tsconfig, .npmrc, config, baseline, lockfiles). */
const MAX_DATA_BYTES = 64 * 1024 * 1024;
/** Lockfiles: a large monorepo's package-lock.json or pnpm-lock.yaml runs to tens of MB. */
export const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

// Not defined on Windows, where neither FIFOs nor O_NOFOLLOW exist in this form.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Why a file was not read: not a regular file, or over the limit. The message says which, for people. */
export class UnreadableFileError extends Error {
  constructor(
    readonly reason: 'not-regular' | 'too-large',
    message: string,
    /** The file's size (too large). */
    readonly size = 0,
  ) {
    super(message);
  }
}

/** True when an error of openRegular says the last component of the path is a symlink (with `noFollow`). */
export function isLinkError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK'; // Linux and macOS say ELOOP, FreeBSD EMLINK
}

/** What a non-regular file is, in words (from fs.Stats or a Dirent). */
export function kindOf(st: Pick<fs.Stats, 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isDirectory'>): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'a special file';
}

export interface ReadOptions {
  /** Fail with ELOOP when the last component of the path is a symlink (the caller checks where it leads). */
  noFollow?: boolean;
}

/** Opens a regular file without blocking; the caller closes the descriptor. */
export function openRegular(file: string, { noFollow = false }: ReadOptions = {}): { fd: number; size: number } {
  const fd = fs.openSync(file, noFollow ? OPEN_FLAGS | NO_FOLLOW : OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UnreadableFileError('not-regular', `not a regular file (${kindOf(st)})`);
    return { fd, size: st.size };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

function tooLarge(size: number, limit: number): UnreadableFileError {
  const mb = (n: number) => `${n % 1048576 === 0 ? n / 1048576 : (n / 1048576).toFixed(n < 10 * 1048576 ? 2 : 1)} MB`;
  return new UnreadableFileError('too-large', `${mb(size)} is over the ${mb(limit)} limit`, size);
}

/**
 * Reads a file of at most `limit` bytes into `buf` (which must hold limit + 1 bytes) and returns the
 * number of bytes read: the scan's read of every source file. Opened without blocking, so a read can
 * never wait; the reads stop at the cap, so nothing is read without bound. fstat, on the same
 * descriptor, decides only when the reads did not end like a regular file's (no bytes, an error such
 * as EAGAIN or EISDIR, or more than the cap): a Stats object per file costs ~3 µs, a measurable share
 * of reading a 15,000-file monorepo. The walker never opens what its directory entries say is not a
 * regular file, and a symlink out of the tree (to /dev/zero, say) is refused before it is opened.
 */
export function readRegularInto(file: string, buf: Buffer, limit: number, options: ReadOptions = {}): number {
  const fd = fs.openSync(file, options.noFollow ? OPEN_FLAGS | NO_FOLLOW : OPEN_FLAGS);
  try {
    let n = 0;
    let readError: unknown;
    try {
      for (;;) {
        const r = fs.readSync(fd, buf, n, buf.length - n, null);
        if (r === 0) break;
        n += r;
        if (n === buf.length) break;
      }
    } catch (err) {
      readError = err;
    }
    if (n === 0 || n > limit || readError) {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new UnreadableFileError('not-regular', `not a regular file (${kindOf(st)})`);
      if (readError) throw readError;
      if (n > limit) throw tooLarge(Math.max(st.size, n), limit);
    }
    return n;
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's bytes, at most `limit` of them (else UnreadableFileError 'too-large'). */
export function readRegularFile(file: string, limit = MAX_DATA_BYTES, options?: ReadOptions): Buffer {
  const { fd, size } = openRegular(file, options);
  try {
    if (size > limit) throw tooLarge(size, limit);
    // A regular file can report size 0 and still have content (procfs): read in chunks up to the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    let buf = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(size + 1, 8192)));
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (total + n > limit) throw tooLarge(total + n, limit);
      if (n === buf.length) {
        chunks.push(buf);
        total += n;
        buf = Buffer.allocUnsafe(Math.min(limit + 1 - total, 65536));
        n = 0;
      }
    }
    chunks.push(buf.subarray(0, n));
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's text as UTF-8 (what fs.readFileSync(file, 'utf8') gave, without the hazards). */
export function readTextFile(file: string, limit = MAX_DATA_BYTES, options?: ReadOptions): string {
  return readRegularFile(file, limit, options).toString('utf8');
}
