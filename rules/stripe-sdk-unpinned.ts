// stripe-sdk-unpinned: `stripe` declared as "*", "x", "", "latest" (any dist-tag), an unbounded range,
// a URL or a git dependency, so a fresh install can silently change the SDK. Offline: reads only the
// declared spec. Reported at the "stripe" key of the package.json.
import type { Rule } from '../src/rule.js';
import { unpinnedReason } from '../src/sdk/spec.js';

const rule = {
  meta: {
    id: 'stripe-sdk-unpinned',
    defaultSeverity: 'warning',
    title: 'stripe SDK dependency is not pinned to a version range',
    docs: {
      summary: 'stripe is declared as "*", "latest", an empty or unbounded range, a URL or a git dependency.',
      description:
        'Reads the declared `stripe` spec in every package.json (dependencies, devDependencies, optionalDependencies, peerDependencies) and reports specs that do not bound the major version: "*", "x", "", ">=…" without an upper bound, dist-tags such as "latest", http(s) tarball URLs and git/GitHub dependencies. Works offline.',
      why: 'An unpinned SDK changes under the application on the next install: a new major can change request options, webhook verification or the pinned API version without any code review, and a URL or git source is outside what registry advisories and the lockfile integrity checks cover.',
      fix: 'Declare a caret range on a released version, e.g. `"stripe": "^23.1.0"`, commit the lockfile, and upgrade majors deliberately.',
      bad: "{\n  \"name\": \"shop\",\n  \"private\": true,\n  \"dependencies\": {\n    \"stripe\": \"latest\"\n  }\n}",
      good: "{\n  \"name\": \"shop\",\n  \"private\": true,\n  \"dependencies\": {\n    \"stripe\": \"^23.1.0\"\n  }\n}",
      file: 'package.json',
    },
    tags: ['security', 'dependencies', 'stripe-sdk', 'supply-chain'],
    precision: 'very-high',
    securitySeverity: 3.0,
  },
  check(ctx) {
    for (const pkg of ctx.model.packages) {
      const reason = unpinnedReason(pkg.spec);
      if (!reason) continue;
      const example = pkg.registry?.latest ?? (pkg.installed && !pkg.installed.fromRange ? pkg.installed.version : undefined);
      ctx.report({
        range: pkg.declaration,
        message: `stripe is declared in ${pkg.field} as ${reason}, so an install can silently change the SDK; pin a version range${example ? ` such as "^${example}"` : ' such as "^<major>.<minor>.0"'}.`,
        fix: example ? `Declare "stripe": "^${example}" and commit the lockfile.` : 'Declare a caret range on a released stripe version and commit the lockfile.',
      });
    }
  },
} satisfies Rule;

export default rule;
