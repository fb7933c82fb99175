// Run by `npm run build`: parses the fixture apps (TS, TSX, JS) with the compiler loaded through
// #typescript, so that the parser functions are compiled, and writes V8's code cache of it to dist/v8.
// Runs of the tool on this machine then load the compiler in about half the time from the first run on
// (src/analysis/typescript-runtime.ts). Then it audits the fixture apps with the built CLI three times (on the
// main thread, with the scan worker, and against a registry that cannot be reached) and writes the code cache
// of every bundle chunk and dependency those runs loaded to dist/v8 too (src/util/bundle-loader.ts). Nothing
// here is needed at run time: without the files the tool compiles as usual and keeps its own caches.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_CODE_CACHE_DIR, ts, writeParserCodeCache } from '#typescript';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');
const kinds: Record<string, number> = { '.ts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX, '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS };

function* sources(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* sources(p);
    else if (entry.isFile() && kinds[path.extname(entry.name)] !== undefined) yield p;
  }
}

if (process.env.STRIPE_AUDIT_NO_CODE_CACHE) process.exit(0);
let parsed = 0;
if (fs.existsSync(fixtures)) {
  for (const file of sources(fixtures)) {
    ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kinds[path.extname(file)] as never);
    parsed++;
  }
}
fs.rmSync(BUILT_CODE_CACHE_DIR, { recursive: true, force: true });
const file = writeParserCodeCache(BUILT_CODE_CACHE_DIR);
process.stdout.write(`code cache: ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB, warmed on ${parsed} files)\n`);

// The bundle's chunks, as a scan of the fixture apps uses them: in this thread and in the scan worker.
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/stripe-audit.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-warm-'));
try {
  // Offline on this thread, offline with the worker, and once against a closed loopback port: the registry
  // client loads and fails to connect (exit 3), so that online runs find its cache too.
  const runs: Array<{ env: NodeJS.ProcessEnv; args: string[]; exits: number[] }> = [
    { env: { STRIPE_AUDIT_NO_WORKER: '1' }, args: ['--offline'], exits: [0] },
    { env: { STRIPE_AUDIT_WORKER: '1' }, args: ['--offline'], exits: [0] },
    { env: { STRIPE_AUDIT_NO_WORKER: '1' }, args: ['--registry', 'http://127.0.0.1:9/', '--registry-timeout', '5000'], exits: [3] },
  ];
  for (const run of fs.existsSync(fixtures) ? runs : []) {
    const env: NodeJS.ProcessEnv = { ...process.env, ...run.env, STRIPE_AUDIT_CODE_CACHE_OUT: BUILT_CODE_CACHE_DIR, STRIPE_AUDIT_CACHE_DIR: scratch };
    const r = spawnSync(process.execPath, [bin, fixtures, ...run.args, '--fail-on', 'never', '--format', 'json', '--output', path.join(scratch, 'report.json')], { env, encoding: 'utf8' });
    if (!run.exits.includes(r.status ?? -1)) throw new Error(`the warm-up audit of the fixtures (${run.args.join(' ')}) failed (exit ${r.status}):\n${r.stderr}`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
const chunks = fs.readdirSync(BUILT_CODE_CACHE_DIR).filter((f) => f.startsWith('chunk-'));
process.stdout.write(`code cache: ${chunks.length} bundle chunks in ${path.relative(process.cwd(), BUILT_CODE_CACHE_DIR)}\n`);
