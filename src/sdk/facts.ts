// Pure judgements over a StripePackage, shared by the stripe-sdk-* rules (no I/O).
import semver from '../util/semver.js';
import type { Advisory, PackageManager, StripePackage } from '../model.js';

export function upgradeCommand(pm: PackageManager): string {
  switch (pm) {
    case 'yarn':
      return 'yarn add stripe@latest';
    case 'pnpm':
      return 'pnpm add stripe@latest';
    case 'bun':
      return 'bun add stripe@latest';
    default:
      return 'npm install stripe@latest';
  }
}

/** Advisories whose vulnerable range contains the installed version. */
export function matchingAdvisories(pkg: StripePackage): Advisory[] {
  const v = pkg.installed?.version;
  if (!v || !pkg.registry) return [];
  return pkg.registry.advisories.filter((a) => {
    try {
      return semver.satisfies(v, a.vulnerableVersions, { includePrerelease: true });
    } catch {
      return false;
    }
  });
}

/**
 * The lowest published version above the installed one that is in no advisory's range, not deprecated
 * and not a prerelease; undefined when the registry offers none.
 */
export function lowestFixedVersion(pkg: StripePackage, advisories: Advisory[] = matchingAdvisories(pkg)): string | undefined {
  const v = pkg.installed?.version;
  const reg = pkg.registry;
  if (!v || !reg) return undefined;
  const deprecatedSet = deprecatedVersions(pkg);
  for (const candidate of reg.versions) {
    if (semver.prerelease(candidate) || !semver.gt(candidate, v)) continue;
    if (deprecatedSet.has(candidate)) continue;
    if (advisories.some((a) => semver.satisfies(candidate, a.vulnerableVersions))) continue;
    return candidate;
  }
  return undefined;
}

// The model carries only the installed version's deprecation; versions listed as deprecated come with the
// registry facts when present (see src/sdk/index.ts `deprecatedVersions`).
function deprecatedVersions(pkg: StripePackage): Set<string> {
  const extra = pkg.registry?.deprecatedVersions;
  return new Set(extra ?? []);
}

export function installedNote(pkg: StripePackage): string {
  const inst = pkg.installed;
  if (!inst) return '';
  return inst.fromRange
    ? ` (judged from the declared range "${pkg.spec}", the lowest version it allows: nothing installed or locked was found)`
    : '';
}
