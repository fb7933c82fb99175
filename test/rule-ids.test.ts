// rules/ids.ts lets the CLI validate config and suppressions without loading the rules: it must list
// exactly the rules of rules/index.ts, in the same order.
import { describe, expect, it } from 'vitest';
import { RULES } from '../dist/rules/index.js';
import { RULE_IDS } from '../dist/rules/ids.js';

describe('rule ids', () => {
  it('rules/ids.ts matches RULES', () => {
    expect([...RULE_IDS]).toEqual(RULES.map((r: { meta: { id: string } }) => r.meta.id));
  });
});
