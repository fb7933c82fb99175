// GitHub Actions workflow commands: one annotation per finding (the rule id as title, the fix in the
// message), paths relative to the repository root, and one per warning or error diagnostic (an
// incomplete scan, a check that could not run). Properties and messages are escaped (sinks.ts), so no
// text from the scanned code can end a command or start another.
import type { Reporter } from './types.js';
import { forGithubData, forGithubProperty } from './sinks.js';

export const githubReporter: Reporter = ({ result, findings, display, showSuppressed }) => {
  const out: string[] = [];
  for (const d of [...result.fatal, ...result.diagnostics]) {
    if (d.level === 'note') continue;
    const where = d.file ? ` file=${forGithubProperty(display.fromBase(d.file))}${d.line ? `,line=${d.line}` : ''}` : '';
    out.push(`::${d.level}${where}::${forGithubData(`stripe-audit: ${d.message}`)}`);
  }
  for (const f of findings) {
    if (f.suppressed && !showSuppressed) continue;
    // A suppressed finding listed on request is a notice: it does not read as a failure.
    const cmd = f.suppressed ? 'notice' : f.severity === 'error' ? 'error' : 'warning';
    const text = `${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}${f.suppressed ? ` (${f.suppressed.kind === 'baseline' ? 'baselined' : 'suppressed'}: ${f.suppressed.justification || 'no reason given'})` : ''}`;
    out.push(`::${cmd} file=${forGithubProperty(display.fromBase(f.file))},line=${f.startLine},col=${f.startColumn},endLine=${f.endLine},endColumn=${f.endColumn},title=${forGithubProperty(f.ruleId)}::${forGithubData(text)}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
};
