// stripe-sdk-vulnerable: the installed `stripe` version is in a registry advisory's range, or the registry
// marks that version deprecated. Facts come from src/sdk (bulk advisories endpoint and the abbreviated
// package document); this rule only words them. Reported at the "stripe" key of the package.json.
import type { Rule } from '../src/rule.js';
import { installedNote, lowestFixedVersion, matchingAdvisories, upgradeCommand } from '../src/sdk/facts.js';

const rule = {
  meta: {
    id: 'stripe-sdk-vulnerable',
    defaultSeverity: 'error',
    title: 'Installed stripe SDK has a security advisory or is deprecated',
    docs: {
      summary: 'The installed stripe package version is affected by a registry security advisory or deprecated by its publisher.',
      description:
        'Compares the installed `stripe` version (node_modules, else the lockfile, else the lowest version of the declared range) with the advisories the npm registry returns for it (the bulk advisory endpoint `npm audit` uses) and with the `deprecated` message the registry holds for that version. Reports the advisory or deprecation text and the lowest published version that fixes it. Needs the registry (or a warm cache with --offline); when it cannot be asked, a diagnostic says so instead. (In the examples below the registry has deprecated 23.0.0 for a security fix in 23.0.1.)',
      why: 'An application that keeps running a stripe version with a known flaw, or one its publisher has withdrawn, carries that flaw into production: the SDK handles API keys, webhook signatures and money-moving requests.',
      fix: 'Upgrade stripe to the lowest fixed version named in the message or to the latest release (`npm install stripe@latest`), then run the tests and check the changelog for breaking changes between majors.',
      bad: "{\n  \"name\": \"shop\",\n  \"private\": true,\n  \"dependencies\": {\n    \"stripe\": \"23.0.0\"\n  }\n}",
      good: "{\n  \"name\": \"shop\",\n  \"private\": true,\n  \"dependencies\": {\n    \"stripe\": \"^23.1.0\"\n  }\n}",
      file: 'package.json',
    },
    tags: ['security', 'dependencies', 'stripe-sdk'],
    precision: 'very-high',
    securitySeverity: 7.5,
  },
  check(ctx) {
    for (const pkg of ctx.model.packages) {
      if (!pkg.installed || !pkg.registry) continue;
      const advisories = matchingAdvisories(pkg);
      const deprecated = pkg.registry.deprecated;
      if (!advisories.length && !deprecated) continue;
      const v = pkg.installed.version;
      const parts: string[] = [];
      for (const a of advisories) {
        const ref = a.url ?? `advisory ${a.id}`;
        parts.push(`affected by "${a.title}" (${ref}${a.severity ? `, severity ${a.severity}` : ''}, vulnerable versions ${a.vulnerableVersions})`);
      }
      if (deprecated) parts.push(`deprecated on the registry: "${deprecated}"`);
      const fixed = lowestFixedVersion(pkg, advisories);
      const fixText = fixed ? `lowest fixed version: ${fixed}` : 'no fixed version is published yet';
      ctx.report({
        range: pkg.declaration,
        message: `stripe ${v}${installedNote(pkg)} is ${parts.join('; and ')}; ${fixText} (latest ${pkg.registry.latest}).`,
        fix: fixed ? `Upgrade: ${upgradeCommand(pkg.packageManager).replace('@latest', `@${fixed}`)} (or ${upgradeCommand(pkg.packageManager)})` : undefined,
      });
    }
  },
} satisfies Rule;

export default rule;
