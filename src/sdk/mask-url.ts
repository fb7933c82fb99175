// A registry URL fit for messages and for the cache file: credentials never shown, not even in part.
// No dependencies: the CLI's option check uses it before the SDK check is loaded.
//
// WHATWG parsing ends the user info at the last "@" before the first "/", "?" or "#". A password typed
// unencoded with one of those in it ("http://u:a/b@host/") does not parse that way (or parses as a host,
// port and path), so whenever the text has an "@" that the parser did not take as the end of the user
// info, everything between "//" and the last "@" is masked: over-masking a path never leaks a password.

export function maskUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.username || parsed.password)) {
    parsed.username = '***';
    parsed.password = '';
    const shown = parsed.toString();
    // The parsed form is safe only when no "@" is left after the user info.
    if (!shown.slice(shown.indexOf('@') + 1).includes('@')) return shown;
  } else if (parsed && !url.includes('@')) return parsed.toString();
  return maskRaw(url);
}

function maskRaw(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const start = text.indexOf('//');
  const scheme = start >= 0 && start < at ? text.slice(0, start + 2) : '';
  return `${scheme}***@${text.slice(at + 1)}`;
}

/** The same URL without user info (what may be sent to a host named by an untrusted file). */
export function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

/** An http: or https: URL with a host (what --registry and a registry setting must be). */
export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
