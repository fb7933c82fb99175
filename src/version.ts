// The tool's own name and version, read from its package.json (data, not code).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.resolve(here, '../../package.json'), 'utf8')) as { name: string; version: string };

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
export const INFORMATION_URI = 'https://github.com/stripe-audit/stripe-audit';
export const ruleHelpUri = (id: string) => `${INFORMATION_URI}/blob/main/docs/rules.md#${id}`;
