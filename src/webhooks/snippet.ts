// Code quoted in webhook messages: one line, at most `max` characters.
import type { ts } from '#typescript';

export function snippet(node: ts.Node | string, max = 60): string {
  const one = (typeof node === 'string' ? node : node.getText()).replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
