// What a declared dependency spec ("^16.2.0", "*", "github:stripe/stripe-node", …) means for the SDK check.
// Pure functions: the unpinned rule uses them too, offline.
import semver from '../util/semver.js';

export type SpecKind =
  | 'range' // a semver version or range that pins the major, e.g. "^16.2.0", "16.x", "16.2.0"
  | 'any' // "*", "x", "", ">=0": every version, so every build can pick a new major
  | 'tag' // a dist-tag: "latest", "next"
  | 'url' // http(s) tarball
  | 'git' // git+ssh://, github:user/repo, user/repo
  | 'alias' // npm:stripe@^16 (the range inside is judged)
  | 'local' // file:, link:, workspace:, portal:
  | 'unknown';

export interface SpecInfo {
  kind: SpecKind;
  /** The semver range to judge (for `range`, `any` and `alias`). */
  range?: string;
}

const GIT_RE = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:)|\.git(#.*)?$/i;
const GITHUB_SHORTHAND_RE = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

export function classifySpec(raw: string): SpecInfo {
  const spec = raw.trim();
  if (spec === '' || spec === '*' || spec === 'x' || spec === 'X') return { kind: 'any', range: '*' };
  if (/^https?:\/\//i.test(spec)) return GIT_RE.test(spec) ? { kind: 'git' } : { kind: 'url' };
  if (GIT_RE.test(spec) || /^(ssh|git):\/\//i.test(spec)) return { kind: 'git' };
  if (/^(file|link|workspace|portal|patch):/i.test(spec)) return { kind: 'local' };
  if (/^npm:/i.test(spec)) {
    const inner = spec.slice(4);
    const at = inner.lastIndexOf('@');
    const range = at > 0 ? inner.slice(at + 1) : '*';
    const sub = classifySpec(range);
    return { kind: sub.kind === 'range' ? 'alias' : sub.kind, range: sub.range };
  }
  if (GITHUB_SHORTHAND_RE.test(spec) && !semver.validRange(spec)) return { kind: 'git' };
  const range = semver.validRange(spec, { loose: true });
  if (range !== null) {
    // A range with no upper bound on the major ("*", ">=12", "12 || >=14") lets a new major in.
    const intersectsFutureMajor = semver.intersects(range, '>=1000.0.0', { loose: true });
    return { kind: intersectsFutureMajor ? 'any' : 'range', range: spec };
  }
  if (/^[a-z][\w.-]*$/i.test(spec)) return { kind: 'tag' };
  return { kind: 'unknown' };
}

/** Why a spec is "unpinned" (lets builds silently change the SDK), or undefined when it is pinned. */
export function unpinnedReason(raw: string): string | undefined {
  const info = classifySpec(raw);
  switch (info.kind) {
    case 'any':
      return raw.trim() === '' ? 'an empty version (any version)' : `"${raw}", which accepts any future major version`;
    case 'tag':
      return `the dist-tag "${raw}", which follows whatever the registry publishes next`;
    case 'url':
      return `a URL ("${raw}"), which is not a version the registry can check`;
    case 'git':
      return `a git dependency ("${raw}"), which follows a branch or commit rather than a released version`;
    default:
      return undefined;
  }
}

/** The lowest version a declared spec allows (judged when nothing installed is known). */
export function lowestVersion(raw: string): string | undefined {
  const info = classifySpec(raw);
  if (!info.range || info.range === '*') return undefined;
  try {
    return semver.minVersion(info.range, { loose: true })?.version ?? undefined;
  } catch {
    return undefined;
  }
}
