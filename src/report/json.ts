// Machine output. Schema (version 1), stable: { version, tool: { name, version }, root, summary: { errors,
// warnings, suppressed, filesScanned, filesParsed, importedParsed, complete, exitCode, registryFailed },
// findings: Finding[], diagnostics: Diagnostic[] }.
// `root` is the absolute scan root; finding and diagnostic paths are relative to it.
// A Finding: ruleId, severity, message, file, startLine, startColumn, endLine, endColumn, fingerprint,
// snippet, fix, and `suppressed: { kind, justification }` when accepted inline or by the baseline.
// The summary counts every finding, also the warnings --quiet leaves out of `findings`.
// `complete` is false when the exit code is 2 (incomplete scan) or 3 (registry unreachable).
import type { Reporter } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from '../util/version.js';
import { forJson } from './sinks.js';

const JSON_SCHEMA_VERSION = 1;

export const jsonReporter: Reporter = ({ result, findings, outcome }) => {
  // Counts cover every finding, also the warnings --quiet leaves out of `findings`.
  const all = result.findings;
  const active = all.filter((f) => !f.suppressed);
  const doc = {
    version: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root: result.root,
    summary: {
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: all.length - active.length,
      filesScanned: result.filesScanned,
      filesParsed: result.filesParsed,
      importedParsed: result.importedParsed,
      complete: outcome.complete,
      exitCode: outcome.exitCode,
      registryFailed: result.registryFailed,
    },
    findings,
    diagnostics: [...result.fatal, ...result.diagnostics],
  };
  return forJson(doc);
};
