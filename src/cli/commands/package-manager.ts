// Which package manager a project uses, for `stripe-audit init`: read from its lockfile (the nearest one
// from the project folder up to the git root, as a workspace keeps one at its root), else from the
// "packageManager" field of package.json, else npm. Files are read as data; nothing is run.
import fs from 'node:fs';
import path from 'node:path';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface DetectedPackageManager {
  name: PackageManagerName;
  /** The folder that holds the lockfile (where install runs); the project folder when there is none. */
  dir: string;
  /** The lockfile's name in `dir`, if any. */
  lockfile?: string;
  /** Yarn 2+ (Berry: `__metadata` in yarn.lock, or packageManager yarn@2+), which installs with --immutable. */
  yarnBerry?: boolean;
  /** The pnpm major version to install when package.json does not pin one (from the lockfile format). */
  pnpmVersion?: string;
  /** package.json in `dir` pins the package manager ("packageManager": "pnpm@9.1.0"). */
  pinned?: boolean;
}

/** Lockfiles by precedence when a folder holds more than one (the rarer managers first: npm is the default). */
const LOCKFILES: [string, PackageManagerName][] = [
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** pnpm-lock.yaml's lockfileVersion -> the pnpm major that writes it (pnpm/action-setup needs a version). */
const PNPM_BY_LOCKFILE_VERSION: [RegExp, string][] = [
  [/^9\./, '10'],
  [/^6\./, '8'],
  [/^5\.4/, '7'],
];
const PNPM_DEFAULT = '10';

function isFile(p: string): boolean {
  try {
    return fs.lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function readText(p: string, max = 4096): string {
  // The head of the file is enough (lockfileVersion, __metadata), and a huge lockfile is not read whole.
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const buf = Buffer.alloc(max);
    return buf.toString('utf8', 0, fs.readSync(fd, buf, 0, max, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function packageManagerField(dir: string): { name: PackageManagerName; major: number } | undefined {
  const file = path.join(dir, 'package.json');
  if (!isFile(file)) return undefined;
  try {
    const value = (JSON.parse(fs.readFileSync(file, 'utf8')) as { packageManager?: unknown }).packageManager;
    const m = typeof value === 'string' ? /^(npm|pnpm|yarn|bun)@(\d+)/.exec(value) : null;
    return m ? { name: m[1] as PackageManagerName, major: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}

function describe(name: PackageManagerName, dir: string, lockfile?: string): DetectedPackageManager {
  const field = packageManagerField(dir);
  const pinned = field?.name === name;
  const detected: DetectedPackageManager = { name, dir, lockfile, pinned };
  if (name === 'yarn') {
    detected.yarnBerry = lockfile ? /^__metadata:/m.test(readText(path.join(dir, lockfile))) : pinned && field!.major >= 2;
  }
  if (name === 'pnpm' && !pinned) {
    const version = lockfile ? /^lockfileVersion:\s*['"]?([\d.]+)/m.exec(readText(path.join(dir, lockfile)))?.[1] : undefined;
    detected.pnpmVersion = (version && PNPM_BY_LOCKFILE_VERSION.find(([re]) => re.test(version))?.[1]) || PNPM_DEFAULT;
  }
  return detected;
}

/** The package manager of the project in `projectDir`, looking for a lockfile up to `stopDir` (the git root). */
export function detectPackageManager(projectDir: string, stopDir: string): DetectedPackageManager {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    const field = packageManagerField(dir);
    const present = LOCKFILES.filter(([file]) => isFile(path.join(dir, file)));
    // Several lockfiles: the one of the pinned package manager, else the first by precedence.
    const chosen = present.find(([, name]) => name === field?.name) ?? present[0];
    if (chosen) return describe(chosen[1], dir, chosen[0]);
    if (dir === stopDir || path.dirname(dir) === dir) break;
  }
  const field = packageManagerField(projectDir);
  return describe(field?.name ?? 'npm', projectDir);
}
