// docs/rules.md (what SARIF's helpUri links to) and README.md's rule table are generated from the rules'
// metadata by `npm run docs`: both must say what the code says.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { README, README_TABLE_END, README_TABLE_START, renderRulesMarkdown, RULES_DOC, withReadmeTable } from '../dist/src/cli/rules-doc.js';

describe('docs/rules.md', () => {
  it('is up to date (run `npm run docs`)', () => {
    expect(fs.readFileSync(RULES_DOC, 'utf8')).toBe(renderRulesMarkdown(RULES));
  });
  it('has an anchor for every rule', () => {
    const doc = fs.readFileSync(RULES_DOC, 'utf8');
    for (const r of RULES) expect(doc).toContain(`## ${r.meta.id}\n`);
  });
});

describe('README.md rule table', () => {
  const readme = fs.readFileSync(README, 'utf8');
  it('is the table the rule metadata gives (run `npm run docs`)', () => {
    expect(readme).toBe(withReadmeTable(readme, RULES));
  });
  it('lists every rule once, between its markers', () => {
    const table = readme.slice(readme.indexOf(README_TABLE_START), readme.indexOf(README_TABLE_END));
    for (const r of RULES) expect(table.split(`[\`${r.meta.id}\`]`).length - 1, r.meta.id).toBe(1);
  });
  it('replaces a hand-edited table', () => {
    const edited = readme.replace(/^\| \[`webhook-raw-body`\].*$/m, '| `webhook-raw-body` | warning | edited by hand |');
    expect(edited).not.toBe(readme);
    expect(withReadmeTable(edited, RULES)).toBe(readme);
  });
});
