// The line table, the parser's: TypeScript breaks lines at \n, \r\n, a lone \r, U+2028 and U+2029
// (ts.computeLineStarts). Findings get their line numbers from the parser, so fingerprints, snippets and
// code frames must cut lines the same way, or a file with lone \r or U+2028 endings shows empty frames
// and every fingerprint of the file collides. Parsed files take the table from their SourceFile
// (sf.getLineStarts()); this is the same algorithm for text that is never parsed, without loading TypeScript.

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10 || ch === 0x2028 || ch === 0x2029) starts.push(i + 1);
  }
  return starts;
}

/** The text of 1-based `line`, without its line break ('' past the end). */
export function lineText(text: string, starts: readonly number[], line: number): string {
  if (line < 1 || line > starts.length) return '';
  const from = starts[line - 1];
  const to = line < starts.length ? starts[line] : text.length;
  return text.slice(from, to).replace(/(?:\r\n|[\r\n\u2028\u2029])$/, '');
}

/** 1-based line and column of a 0-based offset. */
export function lineAndColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}
