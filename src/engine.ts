// The pipeline: discover → filter → parse → resolve → rules. Reporting is the CLI's job.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Finding, Report } from './types.js';
import type { ResolvedConfig } from './config.js';
import type { Rule } from './rule.js';
import type { ModelApiCall, StripeModel } from './model.js';
import { Worker } from 'node:worker_threads';
import { scan, type ScanInput, type ScanOutput } from './scan.js';
import { Parser, type ParsedFile } from './parse.js';
import { ModuleResolver } from './module-resolver.js';
import { StripeResolver } from './stripe/resolve.js';
import { Catalogue, findApiCalls } from './stripe/api-calls.js';
import { effectiveTier, keyOf } from './stripe/idempotency.js';
import { scanSecrets, maskSecretsInText } from './stripe/secrets.js';
import { WebhookAnalyzer, findVerifications, projectFacts } from './webhooks/analyze.js';
import { collectStripePackages, stripeVersionForFile, type SdkResult } from './sdk/index.js';
import { RULES } from '../rules/index.js';
import semver from 'semver';

export interface AuditOptions {
  paths: string[];
  config: ResolvedConfig;
  offline: boolean;
  registry?: string;
  registryTimeoutMs: number;
  cacheDir?: string;
  onProgress?: (p: { phase: string; scanned: number; parsed: number }) => void;
}

export interface PhaseStat {
  phase: 'discover' | 'filter' | 'parse' | 'resolve' | 'rules';
  ms: number;
  count: number;
  /** Resident set size at the end of the phase, MB. */
  rssMb?: number;
}

export interface AuditResult {
  root: string;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** Problems that make the scan incomplete (unreadable path, internal error). */
  fatal: Diagnostic[];
  registryFailed: boolean;
  filesScanned: number;
  filesParsed: number;
  stats: PhaseStat[];
  rules: Rule[];
  /** Scanned source files (root-relative) whose text mentions `stripe-audit-ignore`: the suppression pass reads these. */
  suppressionFiles?: string[];
}

export function scanRoot(paths: string[]): string {
  const abs = paths.map((p) => {
    const a = path.resolve(p);
    try {
      return fs.statSync(a).isDirectory() ? a : path.dirname(a);
    } catch {
      return path.dirname(a);
    }
  });
  let root = abs[0];
  for (const a of abs.slice(1)) {
    while (!(a === root || a.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) root = path.dirname(root);
  }
  return root;
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const stats: PhaseStat[] = [];
  const time = <T>(phase: PhaseStat['phase'], fn: () => T, count: (r: T) => number): T => {
    const t0 = performance.now();
    const r = fn();
    stats.push({ phase, ms: performance.now() - t0, count: count(r), rssMb: process.memoryUsage.rss() / 1048576 });
    return r;
  };
  const { config } = options;
  const root = scanRoot(options.paths);

  // Discover and filter in a worker thread with a small young generation: reading every file makes many
  // short-lived strings, and there they cannot grow this thread's heap (peak RSS at 20k files 250 → ~210 MB).
  // The SDK check starts as soon as the package.json files are known, while the filter still runs (it
  // reads lockfiles and may wait on the registry).
  let sdkPromise: Promise<SdkResult> | undefined;
  const startSdk = (manifests: string[]) => {
    sdkPromise ??= collectStripePackages({ root, manifests, offline: options.offline, registry: options.registry ?? config.registry, timeoutMs: options.registryTimeoutMs, cacheDir: options.cacheDir });
  };
  const scanned = await runScan({ root, paths: options.paths, includeTests: config.includeTests, ignore: config.ignore }, startSdk);
  const { found, filtered } = scanned;
  stats.push({ phase: 'discover', ms: scanned.timings.discoverMs, count: found.files.length, rssMb: scanned.timings.discoverRssMb });
  stats.push({ phase: 'filter', ms: scanned.timings.filterMs, count: filtered.candidates.length, rssMb: scanned.timings.filterRssMb });
  options.onProgress?.({ phase: 'filter', scanned: found.files.length, parsed: 0 });
  const resolver = new ModuleResolver();
  for (const w of scanned.workspace) resolver.addWorkspacePackage(w.dir, w.json);

  const parser = new Parser(root, resolver);
  const files = time('parse', () => {
    const out: ParsedFile[] = [];
    for (const c of filtered.candidates) {
      const f = parser.parseText(c.file.absPath, c.text);
      if (f) out.push(f);
    }
    return out;
  }, (r) => r.length);
  options.onProgress?.({ phase: 'parse', scanned: found.files.length, parsed: files.length });

  // Resolve: the SDK check runs concurrently with the syntactic work (it may wait on the registry).
  startSdk(found.manifests);
  const t0 = performance.now();
  const sdk = await sdkPromise!;
  const versionFor = (relFile: string) => stripeVersionForFile(path.resolve(root, relFile), sdk.packages);
  const stripe = new StripeResolver(parser);
  const catalogue = new Catalogue(config.moneyMethods);
  const customVerifiers = new Set(config.verifiers);
  const apiCalls: ModelApiCall[] = [];
  const verifications = [];
  const secrets = [];
  for (const f of files) {
    const legacy = (() => {
      const v = versionFor(f.relPath);
      return v ? semver.major(v.version) <= 21 : false;
    })();
    for (const call of findApiCalls(f, stripe, catalogue)) apiCalls.push({ ...call, key: keyOf(call, stripe, legacy), tier: effectiveTier(call, stripe) });
    verifications.push(...findVerifications(f, customVerifiers));
  }
  for (const c of filtered.secretFiles) secrets.push(...scanSecrets(c.file.relPath, c.text));
  const analyzer = new WebhookAnalyzer({ parser, resolver: stripe, facts: projectFacts(files) }, customVerifiers);
  const handlers = analyzer.analyzeAll(files);
  stats.push({ phase: 'resolve', ms: performance.now() - t0, count: apiCalls.length + handlers.length, rssMb: process.memoryUsage.rss() / 1048576 });

  const model: StripeModel = { root, files, apiCalls, handlers, verifications, secrets, packages: sdk.packages, stripeVersionFor: versionFor };

  const t1 = performance.now();
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [...found.diagnostics, ...filtered.diagnostics, ...parser.diagnostics, ...sdk.diagnostics];
  const fatal: Diagnostic[] = [...found.fatal];
  const rules = RULES.filter((r) => (config.rules[r.meta.id] ?? r.meta.defaultSeverity) !== 'off');
  const byRel = new Map(files.map((f) => [f.relPath, f]));
  const textOf = (rel: string) => {
    const pf = byRel.get(rel);
    if (pf) return pf.text;
    try {
      return fs.readFileSync(path.resolve(root, rel), 'utf8');
    } catch {
      return '';
    }
  };
  for (const rule of rules) {
    const override = config.rules[rule.meta.id];
    try {
      rule.check({
        model,
        config,
        report(r: Report) {
          const severity = override === 'error' || override === 'warning' ? override : (r.severity ?? rule.meta.defaultSeverity);
          findings.push({ ruleId: rule.meta.id, severity, message: maskSecretsInText(r.message), ...r.range, fingerprint: '', fix: r.fix ? maskSecretsInText(r.fix) : undefined });
        },
      });
    } catch (err) {
      fatal.push({ kind: 'internal', level: 'error', message: `rule ${rule.meta.id} crashed: ${(err as Error).stack ?? err}` });
    }
  }
  addFingerprints(findings, textOf);
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.startLine - b.startLine || a.startColumn - b.startColumn || a.ruleId.localeCompare(b.ruleId));
  stats.push({ phase: 'rules', ms: performance.now() - t1, count: findings.length, rssMb: process.memoryUsage.rss() / 1048576 });

  return {
    root,
    findings,
    diagnostics,
    fatal,
    registryFailed: sdk.registryFailed,
    filesScanned: found.files.length,
    filesParsed: parser.parsedCount,
    stats,
    rules,
    suppressionFiles: [...new Set([...filtered.candidates, ...filtered.secretFiles].filter((c) => c.text.includes('stripe-audit-ignore')).map((c) => c.file.relPath))],
  };
}

/**
 * Runs the scan in a worker. When the worker cannot start or dies (no worker support, out of memory),
 * the scan runs in this thread instead; an error of the scan itself is an error either way.
 */
function runScan(input: ScanInput, onDiscovered: (manifests: string[]) => void): Promise<ScanOutput> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const inThisThread = () => {
      if (settled) return;
      settled = true;
      try {
        resolve(scan(input, onDiscovered));
      } catch (err) {
        reject(err);
      }
    };
    if (process.env.STRIPE_AUDIT_NO_WORKER) {
      inThisThread();
      return;
    }
    let worker: Worker;
    try {
      worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 12 } });
    } catch {
      inThisThread();
      return;
    }
    worker.on('message', (m: { discovered?: string[]; ok?: boolean; output?: ScanOutput; error?: string }) => {
      if (m.discovered) {
        onDiscovered(m.discovered);
        return;
      }
      if (settled) return;
      settled = true;
      if (m.ok && m.output) resolve(m.output);
      else reject(new Error(`scan failed: ${m.error}`));
    });
    worker.once('error', inThisThread);
    worker.once('exit', inThisThread);
  });
}

/** Fingerprint: rule, file, and the normalised code of the finding's line and its neighbours (not line numbers). */
function addFingerprints(findings: Finding[], textOf: (rel: string) => string): void {
  const lines = new Map<string, string[]>();
  const seen = new Map<string, number>();
  for (const f of findings) {
    let ls = lines.get(f.file);
    if (!ls) {
      ls = textOf(f.file).split(/\r?\n/);
      lines.set(f.file, ls);
    }
    const norm = (i: number) => (ls![i] ?? '').replace(/\s+/g, ' ').trim();
    const context = [norm(f.startLine - 2), norm(f.startLine - 1), norm(f.startLine)].join('\n');
    const base = crypto.createHash('sha256').update(`${f.ruleId}\0${f.file}\0${context}`).digest('hex').slice(0, 32);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    f.fingerprint = n === 0 ? base : `${base}:${n}`;
    f.snippet = maskSecretsInText(ls[f.startLine - 1] ?? '');
  }
}
