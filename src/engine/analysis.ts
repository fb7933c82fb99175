// Stages 3 to 5 on the scanned candidates: parse (TypeScript's parser, the one ts-morph bundles), resolve Stripe
// clients, API calls, webhook handlers and package facts, then run the rules. Loaded by the engine while the
// scan worker runs, since loading TypeScript is most of the start-up time.
import crypto from 'node:crypto';
import path from 'node:path';
import semver from '../util/semver.js';
import type { Diagnostic, Finding, Report } from '../types.js';
import type { AuditOptions, AuditResult, PhaseStat } from './types.js';
import type { ClientAmount, ModelApiCall, StripeModel } from '../model.js';
import type { ScanOutput } from '../scan/scan.js';
import type { SdkResult } from '../sdk/index.js';
import { stripeVersionForFile } from '../sdk/index.js';
import { Parser, type ParsedAhead, type ParsedFile } from '../analysis/parse.js';
export { parseAhead } from '../analysis/parse.js';
import { ModuleResolver } from '../scan/module-resolver.js';
import { StripeResolver } from '../stripe/resolve.js';
import { Catalogue, findApiCalls } from '../stripe/api-calls.js';
import { effectiveTier, keyOf } from '../stripe/idempotency.js';
import { scanSecrets, maskSecretsInText } from '../stripe/secrets.js';
import { findClientAmounts } from '../stripe/charge-amounts.js';
import { RequestProvenance } from '../stripe/request-provenance.js';
import { WebhookAnalyzer, findVerifications } from '../webhooks/analyze.js';
import { handrolledChecksIn } from '../webhooks/handrolled.js';
import { projectFacts } from '../frameworks/index.js';
import { findClientExposures } from '../stripe/client-exposure.js';
import { RuntimeFacts } from '../webhooks/runtime.js';
import { RULES } from '../../rules/index.js';
import { saveParserCodeCache } from '#typescript';
import { lineStarts, lineText } from '../analysis/line-table.js';
import { readTextFile } from '../scan/safe-read.js';
import { guardFile } from '../analysis/guard-file.js';
import { compareText } from '../util/compare.js';

interface LinedText {
  text: string;
  starts: readonly number[];
}

export interface AnalysisInput {
  root: string;
  options: AuditOptions;
  scanned: ScanOutput;
  stats: PhaseStat[];
  /** The SDK facts (started during the scan). */
  sdk: () => Promise<SdkResult>;
  /** Candidates parsed while the scan worker promoted (engine.ts). */
  ahead?: ParsedAhead;
}

export async function analyzeScan({ root, options, scanned, stats, sdk: sdkFacts, ahead }: AnalysisInput): Promise<AuditResult> {
  const { config } = options;
  const { found, filtered } = scanned;
  const time = <T>(phase: PhaseStat['phase'], fn: () => T, count: (r: T) => number): T => {
    const t0 = performance.now();
    const r = fn();
    stats.push({ phase, ms: performance.now() - t0, count: count(r), rssMb: process.memoryUsage.rss() / 1048576 });
    return r;
  };
  const resolver = new ModuleResolver();
  for (const w of scanned.workspace) resolver.addWorkspacePackage(w.dir, w.json);

  const parser = new Parser(root, resolver, ahead);
  const files = time('parse', () => {
    const out: ParsedFile[] = [];
    for (const c of filtered.candidates) {
      const f = parser.parseText(c.file.absPath, c.text);
      if (f) out.push(f);
    }
    return out;
  }, (r) => r.length);
  options.onProgress?.({ phase: 'parse', scanned: found.fileCount, parsed: files.length });

  // Resolve: the SDK check runs concurrently with the syntactic work (it may wait on the registry).
  const t0 = performance.now();
  const sdk = await sdkFacts();
  const versionFor = (relFile: string) => stripeVersionForFile(path.resolve(root, relFile), sdk.packages);
  const stripe = new StripeResolver(parser);
  const catalogue = new Catalogue(config.moneyMethods);
  const customVerifiers = new Set(config.verifiers);
  const apiCalls: ModelApiCall[] = [];
  const verifications = [];
  const secrets = [];
  const unanalysed: Diagnostic[] = [];
  for (const f of files) {
    const found = guardFile(f.relPath, unanalysed, () => {
      const legacy = (() => {
        const v = versionFor(f.relPath);
        return v ? semver.major(v.version) <= 21 : false;
      })();
      return { calls: findApiCalls(f, stripe, catalogue).map((call) => ({ ...call, key: keyOf(call, stripe, legacy), tier: effectiveTier(call, stripe) })), verifications: findVerifications(f, customVerifiers) };
    });
    if (found) {
      apiCalls.push(...found.calls);
      verifications.push(...found.verifications);
    }
  }
  for (const c of filtered.secretFiles) secrets.push(...scanSecrets(c.file.relPath, c.text));
  const analyzeHandlers = (some: ParsedFile[]) => new WebhookAnalyzer({ parser, resolver: stripe, facts: projectFacts(some, parser) }, customVerifiers).analyzeAll(some);
  // All files together (handlers are followed across files); if that throws, file by file, so that only
  // the file that cannot be analysed is missing.
  const handlers = guardFile(undefined, [], () => analyzeHandlers(files)) ?? files.flatMap((f) => guardFile(f.relPath, unanalysed, () => analyzeHandlers([f])) ?? []);
  stats.push({ phase: 'resolve', ms: performance.now() - t0, count: apiCalls.length + handlers.length, rssMb: process.memoryUsage.rss() / 1048576 });

  const clientExposures = findClientExposures(files, filtered.secretFiles, parser, stripe);
  let clientAmounts: ClientAmount[] | undefined;
  const clientAmountsOf = () => (clientAmounts ??= findClientAmounts(apiCalls, stripe, new RequestProvenance(stripe, () => parser.parsedFiles(), root)));
  const handrolledChecks = guardFile(undefined, [], () => handrolledChecksIn(files, (c) => stripe.resolveFunction(c))) ?? [];
  const model: StripeModel = { root, files, apiCalls, handlers, verifications, handrolledChecks, secrets, clientExposures, clientAmounts: clientAmountsOf, packages: sdk.packages, stripeVersionFor: versionFor, runtimeOf: runtimeFacts(root) };

  const t1 = performance.now();
  const findings: Finding[] = [];
  const diagnostics: Diagnostic[] = [...found.diagnostics, ...filtered.diagnostics, ...parser.diagnostics, ...unanalysed, ...sdk.diagnostics];
  const fatal: Diagnostic[] = [...found.fatal];
  const rules = RULES.filter((r) => (config.rules[r.meta.id] ?? r.meta.defaultSeverity) !== 'off');
  const byRel = new Map(parser.parsedFiles().map((f) => [f.relPath, f]));
  // The text and the parser's line table of a file with findings (package.json and secret-only files are
  // not parsed: same table, computed here).
  const linesOf = (rel: string): LinedText => {
    const pf = byRel.get(rel);
    if (pf) return { text: pf.text, starts: pf.sf.getLineStarts() };
    let text = '';
    try {
      text = readTextFile(path.resolve(root, rel));
    } catch {
      text = '';
    }
    return { text, starts: lineStarts(text) };
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
  addFingerprints(findings, linesOf);
  findings.sort((a, b) => compareText(a.file, b.file) || a.startLine - b.startLine || a.startColumn - b.startColumn || compareText(a.ruleId, b.ruleId));
  stats.push({ phase: 'rules', ms: performance.now() - t1, count: findings.length, rssMb: process.memoryUsage.rss() / 1048576 });
  // The parser has now compiled what it needs: keep that for the next run.
  if (files.length) saveParserCodeCache();

  return {
    root,
    findings,
    diagnostics,
    fatal,
    registryFailed: sdk.registryFailed,
    filesScanned: found.fileCount,
    // The scanned files parsed, and apart from them the modules they import (outside the scanned paths,
    // or skipped by the filter) that resolution parsed too: "2 parsed of 1 scanned" cannot happen.
    filesParsed: files.length,
    importedParsed: Math.max(0, parser.parsedCount - files.length),
    stats,
    rules,
    allRules: RULES,
    suppressionFiles: [...new Set([...filtered.candidates, ...filtered.secretFiles].filter((c) => c.text.includes('stripe-audit-ignore')).map((c) => c.file.relPath))],
  };
}

function runtimeFacts(root: string): StripeModel['runtimeOf'] {
  const facts = new RuntimeFacts(root);
  return (file) => facts.of(file);
}

/** Fingerprint: rule, file, and the normalised code of the finding's line and its neighbours (not line numbers). */
function addFingerprints(findings: Finding[], linesOf: (rel: string) => LinedText): void {
  const cache = new Map<string, LinedText>();
  const seen = new Map<string, number>();
  for (const f of findings) {
    let lt = cache.get(f.file);
    if (!lt) {
      lt = linesOf(f.file);
      cache.set(f.file, lt);
    }
    const line = (n: number) => lineText(lt!.text, lt!.starts, n);
    const norm = (n: number) => line(n).replace(/\s+/g, ' ').trim();
    const context = [norm(f.startLine - 1), norm(f.startLine), norm(f.startLine + 1)].join('\n');
    const base = crypto.createHash('sha256').update(`${f.ruleId}\0${f.file}\0${context}`).digest('hex').slice(0, 32);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    f.fingerprint = n === 0 ? base : `${base}:${n}`;
    f.snippet = maskSecretsInText(line(f.startLine));
  }
}
