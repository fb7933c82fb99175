// Writing into a repository that may be hostile (`stripe-audit init`): never through a symbolic link (a
// committed `.github -> ~/.ssh` would otherwise redirect the write), never into a special file (a FIFO
// would block), and each folder created one level at a time so that none of them can be a link.
import fs from 'node:fs';
import path from 'node:path';

class UnsafePathError extends Error {}

export type PathState = 'absent' | 'file';

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Checks `rel` (POSIX, inside `base`) before writing: every existing folder on the way is a real folder
 * and the file, if present, is a regular file. `base` itself was chosen by the user (resolved already).
 */
export function checkWritable(base: string, rel: string): PathState {
  const parts = rel.split('/');
  let current = base;
  for (const [i, part] of parts.entries()) {
    current = path.join(current, part);
    const st = lstat(current);
    if (!st) return 'absent';
    const shown = parts.slice(0, i + 1).join('/');
    if (st.isSymbolicLink()) throw new UnsafePathError(`${shown} is a symbolic link; not writing through it`);
    const last = i === parts.length - 1;
    if (!last && !st.isDirectory()) throw new UnsafePathError(`${shown} exists and is not a folder`);
    if (last && !st.isFile()) throw new UnsafePathError(`${shown} exists and is not a regular file`);
  }
  return 'file';
}

/** Writes `text` to `rel` under `base`, creating folders one by one and refusing links on the way. */
export function writeNoFollow(base: string, rel: string, text: string): void {
  const parts = rel.split('/');
  let current = base;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    try {
      fs.mkdirSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Checked after mkdir, so a link that appeared in between is still caught.
    const st = fs.lstatSync(current);
    if (!st.isDirectory()) throw new UnsafePathError(`${path.relative(base, current)} is not a folder (a symbolic link?); not writing through it`);
  }
  const file = path.join(current, parts[parts.length - 1]);
  // O_NOFOLLOW: the last component cannot be a link; O_NONBLOCK: a FIFO fails instead of blocking.
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
  const fd = fs.openSync(file, flags, 0o644);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new UnsafePathError(`${rel} is not a regular file`);
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}
