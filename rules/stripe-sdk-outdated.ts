// stripe-sdk-outdated: the installed `stripe` major is behind the registry's latest major. Only the latest
// major receives fixes (stripe-node README, "Support"). A warning at any distance: a new Stripe major is
// published without any change to the audited code, and must not turn a passing build red by itself
// (known flaws are stripe-sdk-vulnerable's, an error). Config can raise it ("stripe-sdk-outdated": "error").
// Minor and patch lag is not reported. Reported at the "stripe" key of the package.json.
import semver from '../src/util/semver.js';
import type { Rule } from '../src/rule.js';
import { installedNote, upgradeCommand } from '../src/sdk/facts.js';

const rule: Rule = {
  meta: {
    id: 'stripe-sdk-outdated',
    defaultSeverity: 'warning',
    title: 'Installed stripe SDK is behind the latest major version',
    docs: {
      summary: 'The installed stripe package is one or more major versions behind the latest release.',
      description:
        "Compares the installed `stripe` major (node_modules, else the lockfile, else the lowest version of the declared range) with the registry's `latest` dist-tag. Any major behind is a warning (a new Stripe release must not fail a build whose code did not change; set `\"stripe-sdk-outdated\": \"error\"` in the config `rules` to gate on it); minor and patch lag is not reported. Known flaws and deprecated versions are `stripe-sdk-vulnerable`, an error. The message gives both versions and the upgrade command for the package manager in use.",
      why: 'Stripe releases bug and security fixes only on the latest major ("Older major versions will not be receiving any updates"): an old major never gets the hardening that later releases carry, such as rejecting empty webhook secrets.',
      fix: 'Upgrade with the command in the message (`npm install stripe@latest`, `yarn add stripe@latest`, `pnpm add stripe@latest` or `bun add stripe@latest`), read the migration notes for each major you skip, and pin the result with a caret range.',
      bad: '// package.json (latest is 23.x)\n{\n  "dependencies": {\n    "stripe": "^21.0.0"\n  }\n}',
      good: '// package.json\n{\n  "dependencies": {\n    "stripe": "^23.1.0"\n  }\n}',
    },
    tags: ['security', 'dependencies', 'stripe-sdk', 'maintenance'],
    precision: 'very-high',
    securitySeverity: 5.0,
  },
  check(ctx) {
    for (const pkg of ctx.model.packages) {
      if (!pkg.installed || !pkg.registry) continue;
      const installed = semver.parse(pkg.installed.version);
      const latest = semver.parse(pkg.registry.latest);
      if (!installed || !latest) continue;
      const behind = latest.major - installed.major;
      if (behind < 1) continue;
      const cmd = upgradeCommand(pkg.packageManager);
      ctx.report({
        range: pkg.declaration,
        message:
          `stripe ${pkg.installed.version}${installedNote(pkg)} is ${behind} major version${behind > 1 ? 's' : ''} behind the latest ${pkg.registry.latest}; ` +
          `only the latest major receives fixes. Upgrade with \`${cmd}\`.`,
        fix: `Run \`${cmd}\` and follow the migration notes for each skipped major.`,
      });
    }
  },
};

export default rule;
