// Stage 2's reading half: a discovered file's text, or a note saying why it is not read. Everything is
// read through safe-read (no FIFO, device or oversized file), a symlink is read only when it stays in
// the scanned tree, and a file is skipped only on strong evidence that it is not source (binary, a
// minified bundle, compiled output whose source is in the tree). The filter (filter.ts) decides what
// the text is worth.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../types.js';
import type { FileRef } from './discover.js';
import { isLinkError, MAX_SOURCE_BYTES, openRegular, readRegularInto, UnreadableFileError } from './safe-read.js';
import { insideTree } from './tree-bounds.js';

export const MAX_FILE_BYTES = MAX_SOURCE_BYTES;

/** One buffer for every read: no per-file Buffer allocation (peak memory grows with candidates, not files). */
const READ_BUFFER = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);

/**
 * The bytes of a file (a view of the shared buffer, valid until the next read). `noFollow`: fail with
 * ELOOP when the path is a symlink (readText checks where it leads first).
 */
export function readInto(absPath: string, noFollow = false, limit = MAX_FILE_BYTES): Buffer {
  return READ_BUFFER.subarray(0, readRegularInto(absPath, READ_BUFFER.subarray(0, limit + 1), limit, { noFollow }));
}

/**
 * Configuration files are read only for key literals. Real ones are small; bigger JSON and YAML files are
 * generated data (API specs, typedoc output, fixtures), and reading them cost a large monorepo a fifth of
 * its scan.
 */
export const MAX_CONFIG_BYTES = 128 * 1024;

/**
 * UTF-8, or UTF-16 with a byte-order mark, without the BOM. Decoded leniently, as tsc and Node do: a
 * stray Latin-1 byte in a comment becomes U+FFFD instead of costing the whole file.
 */
export function decodeSource(buf: Buffer, utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))): string {
  // Most source files are ASCII: a SIMD check and a byte copy instead of UTF-8 decoding.
  if (!utf16 && isAscii(buf)) return buf.toString('latin1');
  const text = utf16 ? new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(buf) : buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** More than this share of U+FFFD after decoding: the bytes are not text in any encoding we read. */
const MAX_REPLACEMENT_SHARE = 0.1;

function mostlyUndecodable(text: string): boolean {
  let bad = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) bad++;
  return bad > 8 && bad > text.length * MAX_REPLACEMENT_SHARE;
}

const LONG_LINE = 500;

/**
 * A minified bundle: at least 20 kB, most lines long, most of the text in those lines, and the long
 * lines dense with code (`;{}()`), not one literal. One 25 kB data-URI line, a long string of base64 or
 * a generated table in an ordinary module is none of these.
 */
export function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  let lines = 0;
  let longLines = 0;
  let longChars = 0;
  let sample = '';
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lines++;
    if (end - start > LONG_LINE) {
      longLines++;
      longChars += end - start;
      if (sample.length < 10_000) sample += text.slice(start, Math.min(end, start + 10_000 - sample.length));
    }
    start = end + 1;
  }
  if (longLines * 2 < lines || longChars < text.length * 0.8) return false;
  const marks = sample.match(/[;{}()]/g)?.length ?? 0;
  return marks > sample.length / 100;
}

const COMPILED_JS = /\.[cm]?js$/;
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=(?!data:)([^\s'"]+\.map)\s*$/;

/** The scan root a discovered file is relative to (FileRef keeps only the two paths). */
function rootOf(file: FileRef): string {
  const tail = path.sep === '/' ? file.relPath : file.relPath.split('/').join(path.sep);
  return file.absPath.endsWith(tail) ? file.absPath.slice(0, file.absPath.length - tail.length - 1) || path.sep : path.dirname(file.absPath);
}

/**
 * Compiled output whose source is in the scanned tree: a map file next to it (a regular file) whose
 * `sources` names a file that exists inside the scan root. The source is audited, so the copy would
 * only repeat its findings; without that evidence the file is audited like any other. Returns the
 * source's path relative to the root.
 */
function compiledFrom(file: FileRef, text: string): string | undefined {
  const m = SOURCE_MAP_COMMENT.exec(text.slice(-500));
  if (!m || /^[a-z][a-z0-9+.-]*:/i.test(m[1])) return undefined; // a URL, not a file next to it
  const mapFile = path.resolve(path.dirname(file.absPath), decodeURIComponentSafe(m[1]));
  let head: string;
  try {
    // The first MB holds `sources` (before the large `sourcesContent` and `mappings`); the shared buffer
    // is free again, the file's text being a string by now.
    const { fd } = openRegular(mapFile);
    try {
      head = READ_BUFFER.toString('utf8', 0, fs.readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const sources = jsonField(head, 'sources');
  const sourceRoot = jsonField(head, 'sourceRoot');
  if (!Array.isArray(sources)) return undefined;
  const root = rootOf(file);
  const base = path.resolve(path.dirname(mapFile), typeof sourceRoot === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(sourceRoot) ? sourceRoot : '');
  for (const s of sources) {
    if (typeof s !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(s)) continue;
    const src = path.resolve(base, s);
    if (src === file.absPath || !insideTree(src, root)) continue;
    try {
      if (fs.statSync(src).isFile()) return path.relative(root, src).split(path.sep).join('/');
    } catch {
      /* not there: no evidence */
    }
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A top-level JSON value by key, from the start of a document (`"sources": [...]`), without parsing the rest. */
function jsonField(head: string, key: string): unknown {
  const m = new RegExp(`"${key}"\\s*:\\s*(\\[(?:[^\\]"]|"(?:[^"\\\\]|\\\\.)*")*\\]|"(?:[^"\\\\]|\\\\.)*")`).exec(head);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * The file's text, or undefined (with a diagnostic) when it is not source code we read. A symlink is
 * read only when its target is inside the scan root (files named on the command line are the user's
 * choice and followed).
 */
export function readText(file: FileRef, report: (d: Diagnostic) => void): string | undefined {
  if (file.size !== undefined && file.size > MAX_FILE_BYTES) {
    report({ kind: 'skipped-file', level: file.config ? 'note' : 'warning', file: file.relPath, message: `skipped ${file.relPath}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit` });
    return undefined;
  }
  let buf: Buffer;
  try {
    try {
      buf = readInto(file.absPath, !file.explicit, file.config ? MAX_CONFIG_BYTES : MAX_FILE_BYTES);
    } catch (err) {
      if (!isLinkError(err)) throw err;
      if (!insideTree(file.absPath, rootOf(file), true)) {
        report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: a symlink to a file outside the scanned folder` });
        return undefined;
      }
      buf = readInto(file.absPath, false, file.config ? MAX_CONFIG_BYTES : MAX_FILE_BYTES);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Gone since discovery (deleted in the work tree but still in git's index): nothing to audit.
    if (code === 'ENOENT') {
      report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: it no longer exists` });
      return undefined;
    }
    if (err instanceof UnreadableFileError) {
      // A special file named on the command line could not be audited: the scan is incomplete. One met
      // in the tree is not source code.
      // Configuration files (only searched for keys) are often big data files: a note.
      const level = err.reason === 'not-regular' && file.explicit ? 'error' : file.config ? 'note' : 'warning';
      report({ kind: 'skipped-file', level, file: file.relPath, message: `skipped ${file.relPath}: ${err.message}` });
      return undefined;
    }
    report({ kind: 'skipped-file', level: 'error', file: file.relPath, message: `could not read ${file.relPath} (${code ?? (err as Error).message})` });
    return undefined;
  }
  // UTF-16 with a byte-order mark is text (TypeScript reads it); NUL bytes elsewhere mean binary.
  const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (!utf16 && buf.subarray(0, 8000).includes(0)) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: binary content` });
    return undefined;
  }
  const text = decodeSource(buf, utf16);
  if (mostlyUndecodable(text)) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: binary content (not ${utf16 ? 'UTF-16' : 'UTF-8'} text)` });
    return undefined;
  }
  // The code heuristics below are for source files; configuration files are only searched for keys.
  if (file.config) return text;
  if (COMPILED_JS.test(file.relPath) && text.includes('//# sourceMappingURL=')) {
    const source = compiledFrom(file, text);
    if (source) {
      report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: compiled output of ${source} (its source map says so), which is audited` });
      return undefined;
    }
  }
  if (looksMinified(text)) {
    report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: minified bundle (most lines over ${LONG_LINE} characters of dense code)` });
    return undefined;
  }
  return text;
}
