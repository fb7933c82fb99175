// Shared data shapes of the pipeline: discover → filter → parse → resolve → rules → report.
// Everything that crosses a stage boundary is declared here, so a stage can be read on its own.

import type { RuleId } from '../rules/ids.js';

export type Severity = 'error' | 'warning';
export type RuleLevel = Severity | 'off';

/** A 1-based line / column range in a file, file relative to the scan root with forward slashes. */
export interface SourceRange {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Suppression {
  kind: 'inSource' | 'baseline';
  justification: string;
}

export interface Finding extends SourceRange {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Stable across unrelated line shifts: rule, file and a hash of the normalised code around the finding. */
  fingerprint: string;
  /** The source line(s) of the finding, secrets masked (for code frames). */
  snippet?: string;
  /** Short "how to fix" text (used by --format github and text). */
  fix?: string;
  /** Set when an inline suppression or the baseline accepted this finding; suppressed findings do not gate. */
  suppressed?: Suppression;
}

export type DiagnosticKind =
  | 'skipped-file' // binary, too large, unreadable, not UTF-8, symlink loop
  | 'parse-error'
  | 'registry' // registry unreachable / answered garbage
  | 'offline' // a check skipped because of --offline
  | 'config'
  | 'suppression' // suppression without reason, unused suppression
  | 'baseline'
  | 'internal';

export interface Diagnostic {
  kind: DiagnosticKind;
  level: 'error' | 'warning' | 'note';
  message: string;
  file?: string; // relative to the scan root
  line?: number;
}

/** What a rule reports; the engine adds fingerprint, snippet and the configured severity. */
export interface Report {
  range: SourceRange;
  message: string;
  /** Overrides the rule's default severity for this report (e.g. tier-dependent idempotency findings). */
  severity?: Severity;
  fix?: string;
}

export interface RuleDocs {
  /** One line, shown by `stripe-audit rules` and as SARIF shortDescription. */
  summary: string;
  /** What it finds. */
  description: string;
  /** Why it matters: the threat. */
  why: string;
  /** How to fix it. */
  fix: string;
  /** A bad and a good example, each a whole file (test/rule-docs-examples.test.ts audits them). */
  bad: string;
  good: string;
  /** When a rule reports at two levels, which when (`error (live key) / warning (test key)`); else the default level is shown. */
  levels?: string;
  /** The examples' file name when it matters (a Next.js route, `package.json`); default `example.ts`. */
  file?: string;
}

export interface RuleMeta<Id extends RuleId = RuleId> {
  /** One of rules/ids.ts; the rule lives in rules/<id>.ts. */
  id: Id;
  defaultSeverity: Severity;
  title: string;
  docs: RuleDocs;
  tags: string[];
  /** SARIF properties.precision */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** SARIF properties.security-severity (0.0 – 10.0) */
  securitySeverity: number;
}
