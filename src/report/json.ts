// Machine output. Schema (version 1), stable: { version, tool: { name, version }, root, summary: { errors,
// warnings, suppressed, filesScanned, filesParsed }, findings: Finding[], diagnostics: Diagnostic[] }.
// A Finding: ruleId, severity, message, file, startLine, startColumn, endLine, endColumn, fingerprint,
// snippet, fix, and `suppressed: { kind, justification }` when accepted inline or by the baseline.
import type { Reporter } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export const JSON_SCHEMA_VERSION = 1;

export const jsonReporter: Reporter = ({ result, findings }) => {
  const active = findings.filter((f) => !f.suppressed);
  const doc = {
    version: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: result.root,
    summary: {
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: findings.length - active.length,
      filesScanned: result.filesScanned,
      filesParsed: result.filesParsed,
      complete: result.fatal.length === 0,
      registryFailed: result.registryFailed,
    },
    findings,
    diagnostics: [...result.fatal, ...result.diagnostics],
  };
  return JSON.stringify(doc, null, 2) + '\n';
};
