// Test helper: run a command as a subprocess without blocking the test worker, so that concurrent tests
// (describe.concurrent) overlap their subprocesses. A timeout kills the child and fails the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin/stripe-audit.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${opts.timeoutMs} ms\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * The environment of a CLI run: no colours, and a cache folder of the test's own.
 *
 * `worker: false` scans on the CLI's main thread (STRIPE_AUDIT_NO_WORKER=1): the same scan code, without
 * a second V8 isolate to start. Files whose subject is the gate, the reports, the SDK check or `init`
 * use it (a fifth of each run's CPU, over a hundred runs); the files whose subject is the scan itself
 * (cli, hostile-scan, package) keep the worker, as users run it.
 */
export function cliEnv(cacheDir: string, { worker = true }: { worker?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_AUDIT_CACHE_DIR: cacheDir, NO_COLOR: '1', ...(worker ? {} : NO_WORKER) };
  delete env.FORCE_COLOR;
  if (worker) delete env.STRIPE_AUDIT_NO_WORKER;
  return env;
}

/** Scans on the CLI's main thread (see cliEnv). */
export const NO_WORKER: NodeJS.ProcessEnv = { STRIPE_AUDIT_NO_WORKER: '1' };

/** Runs bin/stripe-audit.js of this checkout. */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Run> {
  return runCommand(process.execPath, [BIN, ...args], { cwd, env, timeoutMs });
}

/** A temp folder per call, all removed by the returned cleanup (call it from afterAll). */
export function tempDirs(prefix: string): { make: () => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Writes `files` (relative path -> text) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
