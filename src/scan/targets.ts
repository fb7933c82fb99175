// The paths named on the command line, made fit to scan: duplicates and paths inside another named folder
// are dropped (`app app/src ./app` scans each file once), and a named file must be a TypeScript or
// JavaScript source file (`stripe-audit README.md` is a usage error, not a green run over nothing).
import fs from 'node:fs';
import path from 'node:path';
import { isSourceFile, SOURCE_EXTENSIONS } from './git-listing.js';

/** The named paths without duplicates or paths inside another named folder, in their first order and spelling. */
export function dedupeTargets(paths: string[]): string[] {
  const abs = paths.map((p) => path.resolve(p));
  const isDir = abs.map((a) => {
    try {
      return fs.statSync(a).isDirectory();
    } catch {
      return false;
    }
  });
  const covered = (i: number) =>
    abs.some((other, j) => {
      if (j === i) return false;
      if (other === abs[i]) return j < i; // the same path twice: keep the first
      return isDir[j] && abs[i].startsWith(other.endsWith(path.sep) ? other : other + path.sep);
    });
  return paths.filter((_, i) => !covered(i));
}

/** Why a named path cannot be scanned, or undefined (a missing path is the scan's to report). */
export function targetProblem(p: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return undefined;
  if (!stat.isFile()) return `${p} is not a regular file or a folder`;
  if (!isSourceFile(path.basename(p))) return `${p} is not a TypeScript or JavaScript source file (${[...SOURCE_EXTENSIONS].join(' ')}); name source files or folders`;
  return undefined;
}
