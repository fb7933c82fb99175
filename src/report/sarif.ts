// SARIF 2.1.0 as GitHub code scanning reads it: every rule in tool.driver, URIs relative to the repository
// root (%SRCROOT%, see paths.ts) with each path segment percent-encoded, partialFingerprints,
// security-severity and precision, tool notifications for diagnostics. Suppressed and baselined findings
// stay in, with `suppressions`. executionSuccessful is false when the exit code is 2 or 3.
import type { Log, ReportingDescriptor, Result, Notification } from 'sarif';
import type { Reporter } from './types.js';
import { relativeUri } from './paths.js';
import { forJson } from './sinks.js';
import type { Rule } from '../rule.js';
import { TOOL_NAME, TOOL_VERSION, INFORMATION_URI, ruleHelpUri } from '../util/version.js';

function descriptor(rule: Rule): ReportingDescriptor {
  const d = rule.meta.docs;
  const markdown = `${d.description}\n\n**Why it matters.** ${d.why}\n\n**How to fix.** ${d.fix}\n\nBad:\n\n\`\`\`ts\n${d.bad}\n\`\`\`\n\nGood:\n\n\`\`\`ts\n${d.good}\n\`\`\``;
  return {
    id: rule.meta.id,
    name: rule.meta.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
    shortDescription: { text: d.summary },
    fullDescription: { text: d.description },
    help: { text: `${d.why} Fix: ${d.fix}`, markdown },
    helpUri: ruleHelpUri(rule.meta.id),
    defaultConfiguration: { level: rule.meta.defaultSeverity },
    properties: { tags: rule.meta.tags, 'security-severity': rule.meta.securitySeverity.toFixed(1), precision: rule.meta.precision },
  };
}

export const sarifReporter: Reporter = ({ result, findings, display, outcome }) => {
  const uriOf = (rel: string) => relativeUri(display.fromBase(rel));
  const RULES = result.allRules;
  const index = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const results: Result[] = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: f.severity,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.startLine, startColumn: f.startColumn, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint },
    ...(f.suppressed ? { suppressions: [{ kind: f.suppressed.kind === 'inSource' ? 'inSource' : 'external', justification: f.suppressed.justification }] } : {}),
  }));
  const notifications: Notification[] = [...result.fatal, ...result.diagnostics].map((d) => ({
    level: d.level,
    message: { text: d.message },
    ...(d.file ? { locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(d.file), uriBaseId: '%SRCROOT%' }, ...(d.line ? { region: { startLine: d.line } } : {}) } }] } : {}),
  }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, informationUri: INFORMATION_URI, rules: RULES.map(descriptor) } },
        originalUriBaseIds: { '%SRCROOT%': { uri: display.baseUri } },
        invocations: [{ executionSuccessful: outcome.complete, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return forJson(log);
};
