// The naive baseline of issue 7: a ts-morph Project that adds every source file of the tree (outside
// node_modules, dist and other build folders) and visits every call expression through ts-morph's wrappers.
// Prints one JSON line: files, bytes, calls, ms.
//
//   node dist/bench/naive.js <dir>
import { Project, SyntaxKind, ts } from 'ts-morph';
import { walkSources } from './walk.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: naive <dir>');
  process.exit(2);
}

const t0 = performance.now();
const project = new Project({
  skipAddingFilesFromTsConfig: true,
  skipFileDependencyResolution: true,
  compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.ES2022 },
});
let files = 0;
let bytes = 0;
for (const f of walkSources(root)) {
  project.addSourceFileAtPath(f.abs);
  files++;
  bytes += f.size;
}
let calls = 0;
let calleeChars = 0;
for (const sf of project.getSourceFiles()) {
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    calleeChars += call.getExpression().getText().length;
    calls++;
  }
}
console.log(JSON.stringify({ files, bytes, calls, calleeChars, ms: Math.round(performance.now() - t0) }));
