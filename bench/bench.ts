// The benchmark of issue 7 (a script, not a timed test):
//
//   npm run bench -- [--files N | --sizes 10000,20000,40000] [--runs 5] [--seed 1] [--only audit|naive]
//                    [--rss time|preload] [path]
//
// Without a path it generates the synthetic monorepo (bench/generate.ts) into os.tmpdir(), cached by seed,
// size and generator version, for each size. With a path it measures that folder instead. For each tree it
// runs, interleaved (alternating which goes first) and --runs times each, (a) the full offline audit
// `node bin/stripe-audit.js <dir> --offline --format json --fail-on never` and (b) the naive ts-morph
// baseline (bench/naive.ts), each as a child process, and prints median wall time, files/s, MB/s and peak
// RSS, and their ratio. One extra untimed audit run with --stats passes the CLI's phase breakdown through.
// Results are written as JSON to the temporary folder (never into the repository).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generate, type Manifest } from './generate.js';
import { measureTree, walkSources } from './walk.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// STRIPE_AUDIT_BENCH_CLI points the audit side at another entry point (e.g. an older build to compare).
const CLI = path.resolve(process.env.STRIPE_AUDIT_BENCH_CLI ?? path.join(REPO, 'bin', 'stripe-audit.js'));
const NAIVE = path.join(REPO, 'dist', 'bench', 'naive.js');
const WORK = path.join(os.tmpdir(), 'stripe-audit-bench');
const TIME_BIN = '/usr/bin/time';

type Side = 'audit' | 'naive' | 'ast-grep';

/**
 * The native AST grep issue 7 compares the audit with on a real repository (`--ast-grep`): the platform
 * binary that `npx @ast-grep/cli` ends up running, started directly in the tree (`.`), so neither npx's
 * start-up nor the JS wrapper counts against ast-grep.
 */
const AST_GREP = (() => {
  const dir = path.join(REPO, 'node_modules', '@ast-grep');
  const platform = fs.existsSync(dir) ? fs.readdirSync(dir).find((d) => d.startsWith('cli-')) : undefined;
  return platform ? path.join(dir, platform, 'ast-grep') : path.join(REPO, 'node_modules', '.bin', 'ast-grep');
})();
const AST_GREP_ARGS = ['run', '-p', '$S.webhooks.constructEvent($$$)', '-l', 'ts'];

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  only?: Side;
  rss: 'time' | 'preload';
  target?: string;
  astGrep?: boolean;
}

interface Run {
  side: Side;
  wallMs: number;
  rssMB: number | null;
  /** User + system CPU seconds of the child (robust against other load on the machine, unlike wall time). */
  cpuS: number | null;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

interface SideResult {
  side: Side;
  runs: { wallMs: number; rssMB: number | null; cpuS: number | null }[];
  medianMs: number;
  medianCpuS: number | null;
  minMs: number;
  maxMs: number;
  medianRssMB: number | null;
  maxRssMB: number | null;
  filesPerSec: number;
  mbPerSec: number;
  failed?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [20_000], runs: 5, seed: 1, rss: fs.existsSync(TIME_BIN) ? 'time' : 'preload' };
  const num = (v: string | undefined, flag: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return Math.floor(n);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--files') o.sizes = [num(argv[++i], a)];
    else if (a === '--sizes') o.sizes = String(argv[++i] ?? '').split(',').map((s) => num(s.trim(), a));
    else if (a === '--runs') o.runs = num(argv[++i], a);
    else if (a === '--seed') o.seed = num(argv[++i], a);
    else if (a === '--ast-grep') o.astGrep = true;
    else if (a === '--only') {
      const v = argv[++i];
      if (v !== 'audit' && v !== 'naive') throw new Error('--only takes audit or naive');
      o.only = v;
    } else if (a === '--rss') {
      const v = argv[++i];
      if (v !== 'time' && v !== 'preload') throw new Error('--rss takes time or preload');
      if (v === 'time' && !fs.existsSync(TIME_BIN)) throw new Error(`${TIME_BIN} is not installed`);
      o.rss = v;
    } else if (a === '-h' || a === '--help') {
      console.log('usage: npm run bench -- [--files N | --sizes a,b,c] [--runs 5] [--seed 1] [--only audit|naive] [--ast-grep] [--rss time|preload] [path]');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.target = a;
  }
  return o;
}

/** The synthetic tree for a size, generated once per seed, size and generator version. */
function syntheticTree(files: number, seed: number): { dir: string; manifest: Manifest } {
  // Trees of an older generator version are stale: remove them (they are large).
  for (const entry of fs.readdirSync(WORK)) {
    const m = /^repo-v(\d+)-/.exec(entry);
    if (m && Number(m[1]) !== GENERATOR_VERSION) fs.rmSync(path.join(WORK, entry), { recursive: true, force: true });
  }
  const name = `repo-v${GENERATOR_VERSION}-s${seed}-n${files}`;
  const dir = path.join(WORK, name);
  const manifestPath = path.join(WORK, `${name}.manifest.json`);
  if (fs.existsSync(dir) && fs.existsSync(manifestPath)) {
    console.log(`using cached tree ${dir}`);
    return { dir, manifest: JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest };
  }
  const partial = `${dir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const manifest = generate({ out: partial, files, seed });
  fs.renameSync(partial, dir);
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  console.log(`generated ${dir}: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.stripeFiles.length} Stripe files, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, manifest };
}

const PRELOAD = `// Written by stripe-audit's benchmark: reports this process's peak RSS (KB) at exit.
process.on('exit', () => {
  try {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(process.env.STRIPE_AUDIT_BENCH_RSS, u.maxRSS + ' ' + (u.userCPUTime / 1e6) + ' ' + (u.systemCPUTime / 1e6));
  } catch {}
});
`;

function command(side: Side, dir: string, extra: string[] = []): string[] {
  if (side === 'ast-grep') return [...AST_GREP_ARGS, '.'];
  if (side === 'audit') return [CLI, dir, '--offline', '--format', 'json', '--fail-on', 'never', ...extra];
  // ts-morph on a large tree needs more than the default heap; the baseline must finish to be measured.
  const heapMB = Math.floor((os.totalmem() / 1048576) * 0.75);
  return [`--max-old-space-size=${heapMB}`, NAIVE, dir];
}

/** Runs one side as a child process; wall time from spawn to exit, peak RSS from time(1) or a preload. */
function runOnce(side: Side, dir: string, rss: Options['rss'], extra: string[] = []): Promise<Run> {
  const rssFile = path.join(WORK, `rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  let file: string;
  let args: string[];
  const env = { ...process.env };
  const exe = side === 'ast-grep' ? AST_GREP : process.execPath;
  if (rss === 'time') {
    file = TIME_BIN;
    args = ['-f', '%M %U %S', '-o', rssFile, exe, ...command(side, dir, extra)];
  } else if (side === 'ast-grep') {
    file = exe;
    args = command(side, dir, extra);
  } else {
    const preload = path.join(WORK, 'rss-preload.cjs');
    if (!fs.existsSync(preload)) fs.writeFileSync(preload, PRELOAD);
    file = process.execPath;
    args = ['--require', preload, ...command(side, dir, extra)];
    env.STRIPE_AUDIT_BENCH_RSS = rssFile;
  }
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, args, { cwd: side === 'ast-grep' ? dir : REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let rssMB: number | null = null;
      let cpuS: number | null = null;
      try {
        // "<maxrss KB> <user s> <sys s>"; time(1) may prefix "Command exited with non-zero status N".
        const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
        const [kb, user, sys] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
        if (Number.isFinite(kb) && kb > 0) rssMB = kb / 1024;
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuS = user + sys;
      } catch {
        /* no measurement */
      }
      fs.rmSync(rssFile, { force: true });
      resolve({ side, wallMs, rssMB, cpuS, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function summarize(side: Side, runs: Run[], files: number, bytes: number): SideResult {
  const ok = runs.filter((r) => r.code === 0);
  const bad = runs.find((r) => r.code !== 0);
  const walls = ok.map((r) => r.wallMs);
  const rss = ok.map((r) => r.rssMB).filter((x): x is number => x !== null);
  const cpu = ok.map((r) => r.cpuS).filter((x): x is number => x !== null);
  const med = walls.length ? median(walls) : NaN;
  return {
    side,
    runs: ok.map((r) => ({ wallMs: Math.round(r.wallMs), rssMB: r.rssMB === null ? null : Math.round(r.rssMB), cpuS: r.cpuS })),
    medianMs: med,
    medianCpuS: cpu.length ? median(cpu) : null,
    minMs: walls.length ? Math.min(...walls) : NaN,
    maxMs: walls.length ? Math.max(...walls) : NaN,
    medianRssMB: rss.length ? median(rss) : null,
    maxRssMB: rss.length ? Math.max(...rss) : null,
    filesPerSec: files / (med / 1000),
    mbPerSec: bytes / 1e6 / (med / 1000),
    failed: bad ? `exit ${bad.code ?? bad.signal}: ${bad.stderr.trim().split('\n').slice(-5).join(' | ')}` : undefined,
  };
}

/** Findings from the audit's JSON report, whatever its exact top-level shape. */
function findingsOf(stdout: string): { ruleId?: string; file?: string }[] | undefined {
  try {
    const json = JSON.parse(stdout) as unknown;
    if (Array.isArray(json)) return json as { ruleId?: string; file?: string }[];
    const o = json as Record<string, unknown>;
    for (const key of ['findings', 'results']) if (Array.isArray(o[key])) return o[key] as { ruleId?: string; file?: string }[];
  } catch {
    /* not JSON */
  }
  return undefined;
}

function describeFindings(stdout: string, manifest?: Manifest): string[] {
  const findings = findingsOf(stdout);
  if (!findings) return ['  (audit output not understood as a JSON report; findings not summarized)'];
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.ruleId ?? '?', (byRule.get(f.ruleId ?? '?') ?? 0) + 1);
  const lines = [`  findings: ${findings.length} (${[...byRule].sort().map(([r, n]) => `${r} ${n}`).join(', ') || 'none'})`];
  if (manifest) {
    const stripe = new Set(manifest.stripeFiles.map((s) => s.path));
    const outside = findings.filter((f) => f.file && !stripe.has(f.file) && !f.file.endsWith('package.json'));
    const files = new Set(findings.map((f) => f.file).filter(Boolean));
    lines.push(`  Stripe files with a finding: ${[...files].filter((f) => stripe.has(f!)).length} of ${stripe.size}; findings outside the generated Stripe files (look-alikes, skipped folders): ${outside.length}`);
    for (const f of outside.slice(0, 10)) lines.push(`    unexpected: ${f.ruleId} ${f.file}`);
  }
  return lines;
}

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));

function table(results: SideResult[]): string {
  const rows = [['', 'median s', 'min s', 'max s', 'files/s', 'MB/s', 'peak RSS MB (median)', 'peak RSS MB (max)', 'CPU s (median)']];
  for (const r of results) {
    rows.push([r.side, fmt(r.medianMs / 1000, 2), fmt(r.minMs / 1000, 2), fmt(r.maxMs / 1000, 2), fmt(r.filesPerSec), fmt(r.mbPerSec, 1), fmt(r.medianRssMB), fmt(r.maxRssMB), fmt(r.medianCpuS, 2)]);
  }
  const a = results.find((r) => r.side === 'audit');
  const n = results.find((r) => r.side === 'naive');
  if (a && n) {
    rows.push([
      'naive/audit',
      `${fmt(n.medianMs / a.medianMs, 1)}×`,
      '',
      '',
      '',
      '',
      a.medianRssMB && n.medianRssMB ? `${fmt(n.medianRssMB / a.medianRssMB, 1)}×` : '–',
      '',
      a.medianCpuS && n.medianCpuS ? `${fmt(n.medianCpuS / a.medianCpuS, 1)}×` : '–',
    ]);
  }
  const g = results.find((r) => r.side === 'ast-grep');
  if (a && g) rows.push(['audit/ast-grep', `${fmt(a.medianMs / g.medianMs, 2)}×`, '', '', '', '', a.medianRssMB && g.medianRssMB ? `${fmt(a.medianRssMB / g.medianRssMB, 1)}×` : '–', '', '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

async function benchTree(label: string, dir: string, opts: Options, manifest?: Manifest) {
  const { files, bytes } = manifest ? { files: manifest.files, bytes: manifest.bytes } : measureTree(dir);
  console.log(`\n## ${label}: ${dir}\n${files} source files, ${(bytes / 1e6).toFixed(1)} MB (outside node_modules, build folders and .gitignored paths)`);
  // Warm the page cache so the first timed run is not the only cold one.
  for (const f of walkSources(dir)) fs.readFileSync(f.abs);

  const sides: Side[] = [];
  if (opts.only !== 'naive') {
    if (fs.existsSync(CLI)) sides.push('audit');
    else console.log(`audit: skipped, ${path.relative(REPO, CLI)} does not exist yet`);
  }
  if (opts.only !== 'audit') sides.push('naive');
  if (opts.astGrep) sides.push('ast-grep');
  if (!sides.length) return undefined;

  let stats: string | undefined;
  let auditSummary: string[] = [];
  if (sides.includes('audit')) {
    // One untimed run with --stats: the CLI's phase breakdown (stderr) and the findings.
    let r = await runOnce('audit', dir, opts.rss, ['--stats']);
    if (r.code !== 0 && /unknown option|--stats/.test(r.stderr)) {
      stats = '(this CLI has no --stats yet)';
      r = await runOnce('audit', dir, opts.rss);
    } else stats = r.stderr.trim() || '(--stats printed nothing)';
    if (r.code !== 0) {
      console.log(`audit: exits ${r.code ?? r.signal}; stderr:\n${r.stderr.trim().split('\n').slice(-15).join('\n')}`);
      sides.splice(sides.indexOf('audit'), 1);
    } else auditSummary = describeFindings(r.stdout, manifest);
  }

  const runs: Run[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const r = await runOnce(side, dir, opts.rss);
      r.stdout = side === 'naive' ? r.stdout : ''; // keep memory flat: the report was read once above
      runs.push(r);
      process.stdout.write(`  run ${i + 1}/${opts.runs} ${side}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${fmt(r.cpuS, 2)} s CPU, ${fmt(r.rssMB)} MB${r.code === 0 ? '' : ` (exit ${r.code ?? r.signal})`}\n`);
    }
  }
  const results = sides.map((s) => summarize(s, runs.filter((r) => r.side === s), files, bytes));
  const load = os.loadavg()[0];
  if (load > os.availableParallelism() * 0.75) console.log(`\nwarning: 1-minute load average ${load.toFixed(1)} on ${os.availableParallelism()} cores: other work competed for the CPU, wall times are noisy (compare CPU s)`);
  const naiveOut = runs.find((r) => r.side === 'naive' && r.code === 0)?.stdout.trim();

  console.log(`\n${table(results)}`);
  for (const r of results) if (r.failed) console.log(`  ${r.side} failed at least once: ${r.failed}`);
  if (naiveOut) console.log(`  naive: ${naiveOut}`);
  for (const line of auditSummary) console.log(line);
  if (stats) console.log(`  audit --stats (stderr of one run):\n${stats.split('\n').map((l) => `    ${l}`).join('\n')}`);
  const a = results.find((r) => r.side === 'audit');
  const n = results.find((r) => r.side === 'naive');
  if (manifest && a && n) {
    const speedup = n.medianMs / a.medianMs;
    console.log(`  issue 7 budget (stated for 20k files): audit ≥ 15× faster than naive: ${speedup >= 15 ? 'yes' : 'NO'} (${speedup.toFixed(1)}× wall${a.medianCpuS && n.medianCpuS ? `, ${(n.medianCpuS / a.medianCpuS).toFixed(1)}× CPU` : ''}); audit peak RSS ≤ 250 MB: ${a.maxRssMB !== null && a.maxRssMB <= 250 ? 'yes' : 'NO'} (${fmt(a.maxRssMB)} MB)`);
  }
  return { label, dir, files, bytes, stats, results };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(WORK, { recursive: true });
  if (!fs.existsSync(NAIVE)) throw new Error(`${NAIVE} is missing: run npm run build`);
  const cores = os.availableParallelism();
  console.log(`# stripe-audit benchmark\nmachine: ${cores} cores (os.availableParallelism), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`runs: ${opts.runs} per side, interleaved; peak RSS via ${opts.rss === 'time' ? `${TIME_BIN} -f %M` : 'a --require preload (process.resourceUsage().maxRSS)'}`);
  if (opts.runs < 5) console.log('note: fewer than 5 runs; issue 7 asks for at least 5');

  const trees: Awaited<ReturnType<typeof benchTree>>[] = [];
  if (opts.target) {
    const dir = path.resolve(opts.target);
    if (!fs.statSync(dir).isDirectory()) throw new Error(`${opts.target} is not a folder`);
    trees.push(await benchTree(path.basename(dir), dir, opts));
  } else {
    for (const size of opts.sizes) {
      const { dir, manifest } = syntheticTree(size, opts.seed);
      trees.push(await benchTree(`synthetic ${size} files (seed ${opts.seed})`, dir, opts, manifest));
    }
    const done = trees.filter((t) => t !== undefined);
    if (done.length > 1) {
      console.log('\n## growth (median ms per 1,000 files)');
      for (const t of done) {
        console.log(`  ${t.files} files: ${t.results.map((r) => `${r.side} ${fmt(r.medianMs / (t.files / 1000), 1)}`).join(', ')}`);
      }
    }
  }
  const out = path.join(WORK, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ machine: { cores, cpu: os.cpus()[0]?.model, totalMemGiB: os.totalmem() / 2 ** 30, node: process.version }, options: opts, trees }, null, 2));
  console.log(`\nresults: ${out}`);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(2);
});
