import type { AuditResult } from '../engine.js';

export function summaryLine(result: AuditResult, findings = result.findings): string {
  const active = findings.filter((f) => !f.suppressed);
  const errors = active.filter((f) => f.severity === 'error').length;
  const warnings = active.length - errors;
  const files = new Set(active.map((f) => f.file)).size;
  const suppressed = findings.length - active.length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')} (${result.filesParsed} parsed of ${result.filesScanned} scanned)${suppressed ? `, ${suppressed} suppressed` : ''}`;
}
