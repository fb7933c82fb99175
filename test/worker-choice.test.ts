// Which scans get a worker thread (src/scan/worker-choice.ts): large trees do, small ones and single files
// do not; inside git the index size decides, elsewhere a walk that stops at the threshold.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workerMinFiles, worthAWorker as worthAWorkerAt } from '../dist/src/scan/worker-choice.js';

/** A small threshold keeps the trees small; the threshold itself is tested apart. */
const WORKER_MIN_FILES = 200;
const worthAWorker = (paths: string[]) => worthAWorkerAt(paths, process.cwd(), WORKER_MIN_FILES);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-worker-choice-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: number, opts: { under?: string } = {}): string {
  const root = path.join(tmp, name);
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, opts.under ?? '', `pkg${i % 20}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i}.ts`), '');
  }
  fs.mkdirSync(root, { recursive: true });
  return root;
}

describe('worthAWorker', () => {
  it('a small folder outside git: no worker', () => {
    expect(worthAWorker([tree('small', 30)])).toBe(false);
  });

  it('a folder with the threshold of files outside git: a worker (the walk stops there)', () => {
    expect(worthAWorker([tree('large', WORKER_MIN_FILES)])).toBe(true);
  });

  it('files in node_modules and dot-folders do not count', () => {
    const root = tree('deps', WORKER_MIN_FILES, { under: 'node_modules' });
    tree('deps', 10);
    expect(worthAWorker([root])).toBe(false);
  });

  it('two paths add up', () => {
    const half = Math.ceil(WORKER_MIN_FILES / 2);
    expect(worthAWorker([tree('half-a', half), tree('half-b', half)])).toBe(true);
    expect(worthAWorker([tree('half-c', half)])).toBe(false);
  });

  it('inside git the index size decides (a subfolder of a large repository too), not a walk', () => {
    const big = tree('big-repo', 5);
    fs.mkdirSync(path.join(big, '.git'));
    fs.writeFileSync(path.join(big, '.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(big, '.git/index'), Buffer.alloc(WORKER_MIN_FILES * 150));
    expect(worthAWorker([big])).toBe(true);
    expect(worthAWorker([path.join(big, 'pkg1')])).toBe(true);
    const small = tree('small-repo', WORKER_MIN_FILES);
    fs.mkdirSync(path.join(small, '.git'));
    fs.writeFileSync(path.join(small, '.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(small, '.git/index'), Buffer.alloc(4096));
    expect(worthAWorker([small])).toBe(false);
  });

  it('the threshold: 10,000 files on two cores (the worker competes with git and the main thread there), 2,000 with more', () => {
    expect([1, 2, 4, 16].map(workerMinFiles)).toEqual([10_000, 10_000, 2_000, 2_000]);
    // A git work tree whose index holds ~5,000 files: the main thread alone on two cores, a worker on eight.
    const repo = tree('mid-repo', 5);
    fs.mkdirSync(path.join(repo, '.git'));
    fs.writeFileSync(path.join(repo, '.git/HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(repo, '.git/index'), Buffer.alloc(5_000 * 100));
    expect(worthAWorkerAt([repo], process.cwd(), workerMinFiles(2))).toBe(false);
    expect(worthAWorkerAt([repo], process.cwd(), workerMinFiles(8))).toBe(true);
  });

  it('a file, a missing path, a link to a large folder: no worker', () => {
    const large = tree('linked-target', WORKER_MIN_FILES);
    const holder = tree('holder', 1);
    fs.symlinkSync(large, path.join(holder, 'link'));
    expect(worthAWorker([path.join(holder, 'pkg0/f0.ts')])).toBe(false);
    expect(worthAWorker([path.join(tmp, 'nope')])).toBe(false);
    expect(worthAWorker([holder])).toBe(false);
  });
});
