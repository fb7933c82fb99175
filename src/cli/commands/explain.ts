// `stripe-audit explain <rule-id>`: a rule's full documentation.
import { RULES } from '../../../rules/index.js';
import { suggest } from '../../gate/config-load.js';
import { wrap } from './rules.js';

export function explainCommand(id: string, width = Math.min(process.stdout.columns || 100, 100)): { ok: boolean; text: string } {
  const rule = RULES.find((r) => r.meta.id === id);
  if (!rule) {
    const ids = RULES.map((r) => r.meta.id);
    return { ok: false, text: `stripe-audit: unknown rule id '${id}'${suggest(id, ids)}. Rules:\n${ids.map((i) => `  ${i}`).join('\n')}\n` };
  }
  const { meta } = rule;
  const para = (s: string) => s.split(/\n{2,}/).flatMap((p, i) => [...(i ? [''] : []), ...wrap(p, width - 2).map((l) => `  ${l}`)]);
  const code = (s: string) => s.split('\n').map((l) => `    ${l}`);
  const out = [
    `${meta.id}: ${meta.title}`,
    `Default level: ${meta.defaultSeverity} · precision: ${meta.precision} · security severity: ${meta.securitySeverity.toFixed(1)} · tags: ${meta.tags.join(', ')}`,
    '',
    'What it finds',
    ...para(meta.docs.description),
    '',
    'Why it matters',
    ...para(meta.docs.why),
    '',
    'How to fix it',
    ...para(meta.docs.fix),
    '',
    'Bad',
    ...code(meta.docs.bad),
    '',
    'Good',
    ...code(meta.docs.good),
    '',
    `Suppress one occurrence with a reason:  // stripe-audit-ignore-next-line ${meta.id} -- <reason>`,
    `Change its level in stripe-audit.config.json:  { "rules": { "${meta.id}": "warning" } }  (off | warning | error)`,
  ];
  return { ok: true, text: out.join('\n') + '\n' };
}
