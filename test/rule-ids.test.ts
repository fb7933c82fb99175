// rules/ids.ts is the list of rules; rules/index.ts maps each id to its module, and the compiler checks
// that every id has a module carrying that id. What the compiler cannot see: the file a module lives in,
// and a rule module nobody listed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { RULE_IDS } from '../dist/rules/ids.js';

const RULES_DIR = path.resolve(__dirname, '../dist/rules');

describe('rule ids', () => {
  it('RULES holds one module per id of rules/ids.ts, in its order', () => {
    expect(RULES.map((r: { meta: { id: string } }) => r.meta.id)).toEqual([...RULE_IDS]);
  });

  it('the rule of id X is the default export of rules/X.ts', async () => {
    for (const [i, id] of RULE_IDS.entries()) expect((await import(path.join(RULES_DIR, `${id}.js`))).default, id).toBe(RULES[i]);
  });

  it('every rule module in rules/ is listed', async () => {
    // The sources, not dist/ (which keeps the output of a renamed or deleted file).
    const modules = fs.readdirSync(path.resolve(__dirname, '../rules')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    const rules: string[] = [];
    for (const m of modules) {
      const exported = (await import(path.join(RULES_DIR, `${m}.js`))).default as { check?: unknown } | undefined;
      if (typeof exported?.check === 'function') rules.push(m);
    }
    expect(rules.sort()).toEqual([...RULE_IDS].sort());
  });
});
