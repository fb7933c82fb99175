#!/usr/bin/env node
// Run by `npm run build` after tsc: removes what tsc emitted for a source that no longer exists (a file
// moved or deleted). tsc never deletes its outputs, so a test importing an old dist/ path would still pass
// against the old code. Only outputs without a source are removed: tsc's incremental state
// (dist/.tsbuildinfo) does not list them, so nothing it expects to find goes missing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The folders tsconfig.json compiles (rootDir '.', outDir 'dist'). */
const SOURCE_FOLDERS = ['src', 'rules', 'bench'];
/** What tsc writes for a.ts: a.js, a.d.ts, and their maps. */
const OUTPUT = /^(.*)\.(?:js|d\.ts)(?:\.map)?$/;

let removed = 0;
function prune(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const out = path.join(dir, e.name);
    if (e.isDirectory()) {
      prune(out);
      if (fs.readdirSync(out).length === 0) fs.rmdirSync(out);
      continue;
    }
    const m = OUTPUT.exec(e.name);
    if (!m) continue;
    const source = path.join(root, path.relative(path.join(root, 'dist'), dir), `${m[1]}.ts`);
    if (fs.existsSync(source)) continue;
    fs.rmSync(out);
    removed++;
  }
}
for (const folder of SOURCE_FOLDERS) prune(path.join(root, 'dist', folder));
if (removed) process.stdout.write(`prune-dist: removed ${removed} outputs of sources that no longer exist\n`);
