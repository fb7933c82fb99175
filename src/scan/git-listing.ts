// git's file listing: which files of a work tree are tracked, and which untracked ones .gitignore keeps.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTextFile } from './safe-read.js';
import { isConfigFile } from './config-files.js';

export const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

/** A TS/JS source file by its name or path (not a declaration file). */
export function isSourceFile(name: string): boolean {
  // path.extname without its parsing: called on every name git lists.
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.indexOf('/', dot) !== -1 || name.indexOf(path.sep, dot) !== -1) return false;
  const c = name.charCodeAt(dot - 1);
  if (c === 0x2f || (path.sep === '\\' && c === 0x5c)) return false; // '.ts' alone is a hidden file's name, not an extension
  if (!SOURCE_EXTENSIONS.has(name.slice(dot))) return false;
  return !(name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts'));
}

/**
 * Inside a git work tree, git itself lists the files: tracked and untracked-but-not-ignored, with every
 * .gitignore, .git/info/exclude and the user's excludes applied exactly as git does, and symlinked folders
 * not followed. Much faster than walking and matching. Outside a work tree or without git the walker
 * decides (discover.ts).
 */
function relevantNames(stdout: string): string[] | undefined {
  const names = stdout.split('\0').filter((n) => n && (isSourceFile(n) || isConfigFile(n.slice(n.lastIndexOf('/') + 1))));
  return names.length ? names : undefined;
}

/**
 * The same listing in the background, in two parts: tracked files come from the index at once (~10 ms
 * on 15,000 files), untracked ones need a walk of the work tree (~130 ms there). The scan filters the
 * first part while git walks for the second. Each resolves to the relevant names, or null when git
 * failed (not a work tree, no git).
 */
export interface GitListing {
  tracked: Promise<string[] | null>;
  untracked: Promise<string[] | null>;
}

export function startGitListing(dir: string): GitListing {
  const repo = findRepository(dir);
  if (!repo) return { tracked: Promise.resolve(null), untracked: Promise.resolve(null) };
  const listed = early.get(dir);
  early.delete(dir);
  if (listed) {
    for (const run of listed.runs ?? []) run.hold();
    return { tracked: listed.tracked, untracked: listed.untracked };
  }
  const tracked = listTracked(dir, repo);
  return {
    tracked,
    // Started once the tracked files are in: the scan needs those first, and two spawns in a row held up
    // reading the first listing (~30 ms each on a large process).
    untracked: tracked.then((names) => (names === null ? null : listUntracked(dir, repo))),
  };
}

const listTracked = (dir: string, repo: Repository, onStart?: (run: GitRun) => void) => gitNames(dir, repo, ['ls-files', '-z', '--cached', '--deduplicate'], onStart);
const listUntracked = (dir: string, repo: Repository, onStart?: (run: GitRun) => void) =>
  gitNames(dir, repo, ['ls-files', '-z', '--others', '--exclude-standard', ...(repo.exclude ? [`--exclude-from=${repo.exclude}`] : [])], onStart);

/** Listings started before the scan's input arrived (prelist), or made by another thread, by absolute folder. */
const early = new Map<string, GitListing & { runs?: GitRun[] }>();

/**
 * Starts git's listings of the folders a command line names, before the CLI has parsed it: the executable
 * does so first thing (scan-pool.ts), so that git runs while the CLI loads, on a process still small to
 * spawn from; a scan worker gets them with its input (listingsFor, provideListing) instead of starting
 * git once it is up (~0.1 s later, and then the walk for untracked files competed with both threads
 * filtering). The tracked listing reads only the index (git opens no file of the work tree, so nothing
 * there can make it wait); the untracked one reads .gitignore files, and a FIFO there makes git wait
 * until its timeout, as it would once the scan started. A guess that the input does not confirm is never
 * used, and its git is stopped (stopUnconfirmed).
 */
export function prelist(dirs: readonly string[]): void {
  for (const dir of dirs) {
    if (early.has(dir) || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    const repo = findRepository(dir);
    if (!repo) continue;
    const runs: GitRun[] = [];
    early.set(dir, { tracked: listTracked(dir, repo, (r) => runs.push(r)), untracked: listUntracked(dir, repo, (r) => runs.push(r)), runs });
  }
  // The process does not wait for the runs nobody held; none is left behind waiting on a FIFO either.
  if (early.size && !stoppingAtExit) {
    stoppingAtExit = true;
    process.once('exit', () => {
      for (const listing of early.values()) for (const run of listing.runs ?? []) run.stop();
    });
  }
}

let stoppingAtExit = false;

/** Stops the early listings of folders the scan does not name (a guess the parsed command line did not confirm). */
export function stopUnconfirmed(confirmed: readonly string[]): void {
  for (const [dir, listing] of early) {
    if (confirmed.includes(dir)) continue;
    for (const run of listing.runs ?? []) run.stop();
    early.delete(dir);
  }
}

/** Which of these folders have early listings. */
export function listedEarly(dirs: readonly string[]): string[] {
  return dirs.filter((dir) => early.has(dir));
}

/** A part of a folder's listing, as the main thread posts it to the scan worker. */
export interface ListingPart {
  dir: string;
  tracked?: string[] | null;
  untracked?: string[] | null;
}

/** The early listings of these folders, each part once git has answered: posted to the scan worker. */
export function listingsFor(dirs: readonly string[], post: (part: ListingPart) => void): void {
  for (const dir of dirs) {
    const listing = early.get(dir);
    if (!listing) continue;
    for (const run of listing.runs ?? []) run.hold();
    void listing.tracked.then((names) => post({ dir, tracked: names }));
    void listing.untracked.then((names) => post({ dir, untracked: names }));
  }
}

/** Folders whose listings another thread is making (listingsFor): this thread's listing waits for them. */
const awaited = new Map<string, { tracked: (names: string[] | null) => void; untracked: (names: string[] | null) => void }>();

export function expectListings(dirs: readonly string[]): void {
  for (const dir of dirs) {
    const resolvers = { tracked: (_: string[] | null) => {}, untracked: (_: string[] | null) => {} };
    early.set(dir, {
      tracked: new Promise((resolve) => (resolvers.tracked = resolve)),
      untracked: new Promise((resolve) => (resolvers.untracked = resolve)),
    });
    awaited.set(dir, resolvers);
  }
}

/** A part of a listing another thread made. */
export function provideListing(part: ListingPart): void {
  const resolvers = awaited.get(part.dir);
  if (!resolvers) return;
  if ('tracked' in part) resolvers.tracked(part.tracked ?? null);
  if ('untracked' in part) resolvers.untracked(part.untracked ?? null);
}

/*
 * Why git never reads the scanned repository's configuration.
 *
 * A repository's config can name commands that git runs by itself: `core.fsmonitor` runs on every
 * `ls-files`, and a checked-in folder that looks like a bare repository (`HEAD`, `config`, `objects/`,
 * `refs/`) or a `.git/config` in a downloaded checkout supplies one. Overriding known settings with `-c`
 * is a list that each git release can make incomplete. Instead git gets a git folder of our own, empty
 * and shipped with the tool (`assets/empty-git-dir`: a HEAD and a refs folder, no config), as GIT_DIR,
 * and the repository's index as GIT_INDEX_FILE and its folder as GIT_WORK_TREE. git then opens no
 * configuration file of the scanned repository at all, whatever it contains and whatever git version
 * runs: the index (data), the .gitignore files and info/exclude (patterns, given as --exclude-from) are
 * all it reads of it. The user's own global and system config still apply (their excludesFile), with
 * the fsmonitor turned off. Where the repository is, is found here by reading files (a `.git` folder,
 * or a `.git` file naming one: worktrees, submodules), never by git's discovery, which would also take
 * the bare-looking folder for a repository. What this cannot list (a SHA-256 or split index) makes git
 * fail, and the walker lists the folder instead.
 */

/** A work tree and the files of its git folder that the listing reads. */
interface Repository {
  workTree: string;
  /** The index (it may not exist yet: nothing staged). */
  index: string;
  /** info/exclude, when it is a regular file. */
  exclude?: string;
}

const EMPTY_GIT_DIR = (() => {
  // dist/bundle and src/scan (tests) are two levels below the package, dist/src/scan three.
  for (const up of ['../../assets/empty-git-dir', '../../../assets/empty-git-dir']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (fs.existsSync(path.join(dir, 'HEAD'))) return dir;
  }
  return undefined;
})();

const isRegular = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;

/** The index of the git work tree holding `dir`, the file the listing would read (worker-choice.ts sizes it). */
export function repositoryIndex(dir: string): string | undefined {
  return findRepository(dir)?.index;
}

/** The work tree holding `dir`: the nearest folder above it with a `.git` folder or `.git` file. */
function findRepository(dir: string): Repository | undefined {
  if (!EMPTY_GIT_DIR) return undefined;
  for (let cur = dir; ; ) {
    const dotGit = path.join(cur, '.git');
    const st = fs.statSync(dotGit, { throwIfNoEntry: false });
    let gitDir: string | undefined;
    if (st?.isDirectory()) gitDir = dotGit;
    else if (st?.isFile()) gitDir = readPointer(dotGit, /^gitdir:\s*(.+?)\s*$/m);
    if (gitDir && isRegular(path.join(gitDir, 'HEAD'))) {
      const index = path.join(gitDir, 'index');
      const indexStat = fs.statSync(index, { throwIfNoEntry: false });
      // git would block on a FIFO or read a device for ever (a downloaded checkout can hold anything).
      if (indexStat && !indexStat.isFile()) return undefined;
      const common = readPointer(path.join(gitDir, 'commondir'), /^(.+?)\s*$/m) ?? gitDir;
      const exclude = path.join(common, 'info', 'exclude');
      return { workTree: cur, index, exclude: isRegular(exclude) ? exclude : undefined };
    }
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/** A path written in a small file (`.git`: `gitdir: …`, `commondir`), resolved against the file's folder. */
function readPointer(file: string, re: RegExp): string | undefined {
  let text: string;
  try {
    text = readTextFile(file, 4096);
  } catch {
    return undefined;
  }
  const m = re.exec(text);
  return m ? path.resolve(path.dirname(file), m[1]) : undefined;
}

/** A listing that takes longer has met something that blocks (a FIFO .gitignore): the walker takes over. */
const GIT_TIMEOUT_MS = Number(process.env.STRIPE_AUDIT_GIT_TIMEOUT_MS) || 60_000;

/** Where git would look for a repository other than the one given: not from the environment. */
const REPOSITORY_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_CEILING_DIRECTORIES'];

/**
 * node:child_process, loaded when git first runs: the scan worker usually gets its listings from the main
 * thread and never spawns, and the module (with net, dgram and streams) is ~7 ms of its start-up.
 */
let childProcessModule: typeof import('node:child_process') | undefined;
const childProcess = () => (childProcessModule ??= createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process'));

/** A git run started ahead of need: it keeps the process alive only once someone needs its answer (hold). */
interface GitRun {
  stop(): void;
  hold(): void;
}

function gitNames(dir: string, repo: Repository, args: string[], onStart?: (run: GitRun) => void): Promise<string[] | null> {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let child;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of REPOSITORY_ENV) delete env[k];
    Object.assign(env, { LC_ALL: 'C', GIT_DIR: EMPTY_GIT_DIR, GIT_OBJECT_DIRECTORY: EMPTY_GIT_DIR, GIT_WORK_TREE: repo.workTree, GIT_INDEX_FILE: repo.index, GIT_OPTIONAL_LOCKS: '0' });
    try {
      child = childProcess().spawn('git', ['-c', 'core.fsmonitor=false', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve(null);
      return;
    }
    // The main thread (a small scan runs there) loads the compiler synchronously: when the timer comes due
    // while it does, git's exit may already be queued behind it, and timers run first. One more short wait
    // lets that exit through; a git still running after it is stopped.
    // A run started ahead of need (onStart) does not keep the process alive until it is held: a command
    // line that ends before its scan (a usage error, a bad config) must not wait for git, which a FIFO
    // .gitignore can keep waiting until the timeout.
    let held = !onStart;
    const holding = (t: NodeJS.Timeout) => (held ? t : t.unref());
    let timer = holding(
      setTimeout(() => {
        timer = holding(
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve(null);
          }, 50),
        );
      }, GIT_TIMEOUT_MS),
    );
    if (onStart) {
      // stdout and stderr are sockets on pipes (typed only as streams).
      const handles = [child, child.stdout as unknown as Socket, child.stderr as unknown as Socket];
      for (const handle of handles) handle.unref();
      onStart({
        stop: () => {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve(null);
        },
        hold: () => {
          if (held) return;
          held = true;
          for (const handle of [...handles, timer]) handle.ref();
        },
      });
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (err.length < 4096) err += d;
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // A folder git could not open was left out of the listing: the listing is incomplete.
      resolve(code === 0 && !err.includes('could not open directory') ? (relevantNames(out) ?? []) : null);
    });
  });
}
