// The semver functions stripe-audit uses, imported one by one: the package's index loads all of its
// ~50 modules (~40 ms on the main thread at start-up), these load a dozen.
import compare from 'semver/functions/compare.js';
import gt from 'semver/functions/gt.js';
import major from 'semver/functions/major.js';
import parse from 'semver/functions/parse.js';
import prerelease from 'semver/functions/prerelease.js';
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import intersects from 'semver/ranges/intersects.js';
import maxSatisfying from 'semver/ranges/max-satisfying.js';
import minVersion from 'semver/ranges/min-version.js';
import validRange from 'semver/ranges/valid.js';

const semver = { compare, gt, intersects, major, maxSatisfying, minVersion, parse, prerelease, satisfies, valid, validRange };
export default semver;
