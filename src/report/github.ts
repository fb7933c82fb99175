// GitHub Actions workflow commands: one annotation per finding, the rule id as title and the fix as message.
import type { Reporter } from './types.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const githubReporter: Reporter = ({ result, findings }) => {
  const out: string[] = [];
  for (const f of findings) {
    if (f.suppressed) continue;
    const cmd = f.severity === 'error' ? 'error' : 'warning';
    const text = f.fix ? `${f.message} Fix: ${f.fix}` : f.message;
    out.push(`::${cmd} file=${escapeProp(f.file)},line=${f.startLine},col=${f.startColumn},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProp(f.ruleId)}::${escapeData(text)}`);
  }
  // Diagnostics that need a reader (a check that could not run, a skipped file), as annotations too; notes stay in the log.
  for (const d of [...result.fatal, ...result.diagnostics]) {
    if (d.level === 'note') continue;
    const props = [d.file ? `file=${escapeProp(d.file)}` : '', d.file && d.line ? `line=${d.line}` : '', 'title=stripe-audit'].filter(Boolean).join(',');
    out.push(`::${d.level} ${props}::${escapeData(d.message)}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
};
