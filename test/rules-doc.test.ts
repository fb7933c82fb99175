// docs/rules.md is what SARIF's helpUri links to: it must document every rule as the code does.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { renderRulesMarkdown, RULES_DOC } from '../dist/src/cli/rules-doc.js';

describe('docs/rules.md', () => {
  it('is up to date (run `npm run docs`)', () => {
    expect(fs.readFileSync(RULES_DOC, 'utf8')).toBe(renderRulesMarkdown(RULES));
  });
  it('has an anchor for every rule', () => {
    const doc = fs.readFileSync(RULES_DOC, 'utf8');
    for (const r of RULES) expect(doc).toContain(`## ${r.meta.id}\n`);
  });
});
