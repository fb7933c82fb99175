// Writes a report or a baseline to a file. Every failure is one OutputError line (the CLI exits 2): a
// folder, a read-only place, a full device, a pipe nobody reads. Missing parent folders are made one at a
// time (node's recursive mkdir can spin forever on paths such as /proc/self/x/y), the file is opened
// without blocking (a FIFO without a reader is an error, not a hang), and a symlink to a regular file is
// refused: a checkout can commit `stripe-audit.sarif -> ~/.bashrc`, and the scan must not overwrite its
// target. Links to devices (`/dev/stdout`) are fine.
import fs from 'node:fs';
import path from 'node:path';

export class OutputError extends Error {}

const REASONS: Record<string, string> = {
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such folder',
  ENOTDIR: 'a parent is not a folder',
  ENXIO: 'a pipe with no reader',
  ELOOP: 'too many symlinks',
  ENAMETOOLONG: 'the name is too long',
  EPIPE: 'the reader went away',
  EFBIG: 'file too large',
  EIO: 'input/output error',
};

const reason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? (code || (err as Error).message);
};

/** Creates the missing folders above `file`, one mkdir each (no recursive mkdir). */
function makeParents(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(d);
    if (path.dirname(d) === d || missing.length > 64) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
  }
  for (const d of missing) fs.mkdirSync(d);
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  let waits = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
      waits = 0;
    } catch (err) {
      // A pipe opened without blocking: wait for the reader, but not forever.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || ++waits > 6000) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** `what` names the file in messages ("the report", "the baseline"). */
export function writeOutputFile(file: string, text: string, what: string): void {
  const abs = path.resolve(file);
  try {
    makeParents(path.dirname(abs));
    let link: fs.Stats | undefined;
    try {
      link = fs.lstatSync(abs);
    } catch {
      link = undefined;
    }
    if (link?.isSymbolicLink()) {
      let target: fs.Stats | undefined;
      try {
        target = fs.statSync(abs);
      } catch {
        target = undefined;
      }
      if (!target || target.isFile() || target.isDirectory()) throw new OutputError(`cannot write ${what} to ${file}: it is a symlink (not followed; remove it or name another file)`);
    }
    const { O_WRONLY, O_CREAT, O_TRUNC, O_NONBLOCK } = fs.constants;
    const fd = fs.openSync(abs, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0o666);
    try {
      writeAll(fd, text);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (err instanceof OutputError) throw err;
    throw new OutputError(`cannot write ${what} to ${file}: ${reason(err)}`);
  }
}
