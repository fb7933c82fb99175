// Baselines: accept today's findings, gate only on new ones.
// File format (JSON): { version: 1, tool: "stripe-audit <version>", findings: [{ ruleId, file, fingerprint, message }] }.
// Findings match by fingerprint (rule, file and the normalised code around the finding, not the line
// number), so moving code or adding lines elsewhere does not make an old finding new.
import type { AuditResult } from '../engine/types.js';
import { ConfigError } from './config-load.js';
import { TOOL_VERSION } from '../util/version.js';
import { writeOutputFile } from '../report/output-file.js';
import { maskSecretsInText } from '../stripe/secrets.js';
import { readTextFile } from '../scan/safe-read.js';
import { compareText } from '../util/compare.js';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  message: string;
}

export interface BaselineFile {
  version: 1;
  tool: string;
  findings: BaselineEntry[];
}

function readBaseline(file: string): BaselineFile {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`baseline ${file}: ${code === 'ENOENT' ? 'file not found (create it with --write-baseline)' : `cannot read (${code ?? (err as Error).message})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`baseline ${file}: not valid JSON (${(err as Error).message}); rewrite it with --write-baseline`);
  }
  const bad = (why: string): never => {
    throw new ConfigError(`baseline ${file}: ${why}; rewrite it with --write-baseline`);
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) bad('expected an object');
  const obj = json as Record<string, unknown>;
  if (obj.version !== 1) bad(`unsupported version ${JSON.stringify(obj.version)} (expected 1)`);
  if (!Array.isArray(obj.findings)) bad('"findings" must be an array');
  (obj.findings as unknown[]).forEach((e, i) => {
    if (!e || typeof e !== 'object') bad(`findings[${i}] must be an object`);
    for (const k of ['ruleId', 'file', 'fingerprint'] as const) {
      if (typeof (e as Record<string, unknown>)[k] !== 'string') bad(`findings[${i}].${k} must be a string`);
    }
  });
  return { version: 1, tool: String(obj.tool ?? ''), findings: obj.findings as BaselineEntry[] };
}

/**
 * Marks findings present in the baseline as suppressed (kind 'baseline'); returns notes listing baselined
 * findings that no longer occur.
 */
export function applyBaseline(result: AuditResult, file: string): string[] {
  const baseline = readBaseline(file);
  const justification = `in baseline ${file}`;
  const present = new Set<string>();
  const known = new Set(baseline.findings.map((e) => e.fingerprint));
  for (const f of result.findings) {
    if (!known.has(f.fingerprint)) continue;
    present.add(f.fingerprint);
    if (!f.suppressed) f.suppressed = { kind: 'baseline', justification };
  }
  const gone = baseline.findings.filter((e) => !present.has(e.fingerprint));
  if (!gone.length) return [];
  const lines = [`${gone.length} baselined finding${gone.length === 1 ? '' : 's'} no longer found; rewrite with --write-baseline to prune:`];
  for (const e of gone) lines.push(`  ${e.file}: ${e.ruleId}${e.message ? ` (${e.message.length > 100 ? e.message.slice(0, 97) + '...' : e.message})` : ''}`);
  return lines;
}

/**
 * Writes every finding not suppressed inline (baselined ones included) to the baseline file.
 * Findings are sorted for a stable diff.
 */
export function writeBaseline(result: AuditResult, file: string): void {
  const findings: BaselineEntry[] = result.findings
    .filter((f) => !f.suppressed || f.suppressed.kind === 'baseline')
    .map((f) => ({ ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint, message: f.message }))
    .sort((a, b) => compareText(a.file, b.file) || compareText(a.ruleId, b.ruleId) || compareText(a.fingerprint, b.fingerprint));
  const out: BaselineFile = { version: 1, tool: `stripe-audit ${TOOL_VERSION}`, findings };
  writeOutputFile(file, maskSecretsInText(JSON.stringify(out, null, 2)) + '\n', 'the baseline');
}
