// Build step (rolldown.config.mjs): the part of the TypeScript compiler that the audit runs.
//
// The audit only parses: ts.createSourceFile, the node tests (ts.isIdentifier…), ts.forEachChild, comment
// ranges, line maps and the methods of the services' node classes (node.getText(), getStart()…). ts-morph
// ships the whole compiler, language service and server as one 9 MB module, and every run read, compiled and
// evaluated all of it: the checker, the emitter, the refactors and code fixes registered at load, the server's
// classes, 2,130 diagnostic messages. This keeps the top-level statements of that module that the exports the
// audit uses can reach, and nothing else: 9.1 MB -> ~1 MB before minifying, and a run starts ~0.3 s of CPU
// sooner on this kind of machine (less to read, compile, evaluate and collect).
//
// How (over-approximating wherever it cannot be sure, so that it may keep too much but never too little):
// - The module is one function of ~5,400 top-level statements (esbuild's output): function, class and
//   variable declarations, and statements run for their effect.
// - A declaration is kept when a kept statement names it. Names are read as text, whatever the scope, so a
//   local variable that shadows a top-level one keeps that one too (more than needed, never less).
// - A statement run for its effect is kept when what it sets up is kept: `X.member = …`, a namespace
//   `((X2) => {…})(X || (X = {}))`, `__export(X, {…})`, an `if` whose condition reads a kept binding, and
//   `f(…)` when f writes a kept binding (assigns it, `Object.assign`s it, pushes or sets into it: that is
//   how `setObjectAllocator(getServicesObjectAllocator())` gives parsed nodes their getText()). A statement of
//   another shape is always kept.
// - The module's export table keeps only the names the audit uses (`ts.<name>` in src, rules and bench).
// - Tables that kept code reads only as `Table.member` keep only those members (the parser's 152 of 2,130
//   diagnostic messages); any other use of the table keeps it whole.
// - One edit: the services' object allocator no longer installs the checker's symbol, type and signature
//   classes (the parser never creates them; their methods reach the checker's documentation helpers and,
//   through them, the completions and refactors).
// - Dropped with what they set up: TypeScript's own `sys` (the audit reads files itself), and with it the
//   statement that raises the compiler's assertion level when NODE_ENV is "development": the parser runs
//   as it does in production, whatever NODE_ENV says.
// test/typescript-runtime.test.ts parses every fixture and source file with the result and with ts-morph's
// compiler and compares every node (kind, span, flags, text, start, children), the comments and the parse
// errors, and checks that every `ts.<name>` the bundle reads exists.

/** The services' allocator lines that install the checker's classes (see above). Each must match once. */
const CHECKER_CLASSES = ['    getSymbolConstructor: () => SymbolObject,\n', '    getTypeConstructor: () => TypeObject,\n', '    getSignatureConstructor: () => SignatureObject,\n'];

/** Objects pruned to the members kept code reads. */
const MEMBER_TABLES = ['Diagnostics'];

/** Methods that change the object they are called on, and Object's functions that change their first argument. */
const MUTATING_METHODS = new Set(['push', 'set', 'add', 'unshift', 'splice', 'delete', 'clear']);
const MUTATING_OBJECT_FUNCTIONS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

/**
 * @param {string} source ts-morph's compiler module (typescript.js)
 * @param {{ ts: typeof import('typescript'), exportsUsed: Iterable<string> }} options the compiler to parse it
 *   with, and the export names the audit reads (names that are not exports, such as types, are ignored)
 * @returns {{ code: string, statements: number, kept: number, exportsKept: string[] }}
 */
export function parserOnlyCompiler(source, { ts, exportsUsed }) {
  let text = source;
  for (const line of CHECKER_CLASSES) {
    if (text.split(line).length !== 2) throw new Error(`the compiler's services allocator changed: "${line.trim()}" is not in it once`);
    text = text.replace(line, '');
  }
  const sf = ts.createSourceFile('typescript.js', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const body = moduleBody(ts, sf);
  const S = ts.SyntaxKind;

  /** @param {import('typescript').Expression} e */
  const rootOf = (e) => {
    for (;;) {
      if (ts.isParenthesizedExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
      else return ts.isIdentifier(e) ? e.text : undefined;
    }
  };
  const unwrap = (e) => (ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e);

  const statements = body.statements.map((st, i) => ({ st, i, names: declaredNames(ts, st), targets: [], always: false }));
  /** name -> index of the statement that declares it */
  const declaredAt = new Map();
  for (const s of statements) for (const n of s.names) declaredAt.set(n, s.i);

  /** The top-level bindings a function declaration writes (see MUTATING_*). */
  const writes = new Map();
  const writesOf = (i) => {
    if (writes.has(i)) return writes.get(i);
    const out = new Set();
    const visit = (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= S.FirstAssignment && n.operatorToken.kind <= S.LastAssignment) out.add(rootOf(n.left));
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const { expression: receiver, name } = n.expression;
        if (MUTATING_METHODS.has(name.text)) out.add(rootOf(receiver));
        else if (MUTATING_OBJECT_FUNCTIONS.has(name.text) && ts.isIdentifier(receiver) && receiver.text === 'Object' && n.arguments[0]) out.add(rootOf(n.arguments[0]));
      }
      ts.forEachChild(n, visit);
    };
    visit(statements[i].st);
    const found = [...out].filter((n) => n !== undefined && declaredAt.has(n));
    writes.set(i, found);
    return found;
  };
  /** What calling `callee` sets up: the bindings a top-level function writes; unknown callees are always kept. */
  const callTargets = (s, callee) => {
    const d = ts.isIdentifier(callee) ? declaredAt.get(callee.text) : undefined;
    if (d !== undefined && ts.isFunctionDeclaration(statements[d].st)) s.targets.push(...writesOf(d));
    else s.always = true;
  };

  let mainExports;
  for (const s of statements) {
    const { st } = s;
    if (ts.isVariableStatement(st)) {
      // A call in an initialiser may also set something up: kept when its variable or those are.
      for (const d of st.declarationList.declarations) if (d.initializer && ts.isCallExpression(unwrap(d.initializer))) {
        const callee = unwrap(unwrap(d.initializer).expression);
        if (ts.isIdentifier(callee) && declaredAt.has(callee.text) && ts.isFunctionDeclaration(statements[declaredAt.get(callee.text)].st)) s.targets.push(...writesOf(declaredAt.get(callee.text)));
      }
      continue;
    }
    if (s.names.length) continue;
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) { s.always = true; continue; } // "use strict"
    if (ts.isIfStatement(st)) {
      const read = [...references(ts, st.expression)].filter((n) => declaredAt.has(n));
      if (read.length) { s.targets.push(...read); continue; }
    }
    const expressions = [];
    const collect = (x) => {
      if (ts.isExpressionStatement(x)) expressions.push(unwrap(x.expression));
      else if (ts.isIfStatement(x)) { collect(x.thenStatement); if (x.elseStatement) collect(x.elseStatement); }
      else if (ts.isBlock(x)) x.statements.forEach(collect);
      else s.always = true;
    };
    collect(st);
    for (const e of expressions) {
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === S.EqualsToken) {
        const root = rootOf(e.left);
        if (root === 'module') s.always = true; // module.exports = __toCommonJS(typescript_exports)
        else if (root) s.targets.push(root);
        else s.always = true;
      } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === S.AmpersandAmpersandToken && ts.isNumericLiteral(e.left) && Number(e.left.text) === 0) {
        // `0 && (module.exports = {…})`: never runs (esbuild writes it for Node's CommonJS export scanner).
        s.dead = true;
      } else if (ts.isCallExpression(e)) {
        const callee = unwrap(e.expression);
        if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) {
          // A namespace: ((X2) => {…})(X || (X = {})).
          for (const a of e.arguments) {
            const root = rootOf(ts.isBinaryExpression(a) ? a.left : a);
            if (root) s.targets.push(root);
            else s.always = true;
          }
        } else if (ts.isIdentifier(callee) && callee.text === '__export') {
          const root = rootOf(e.arguments[0]);
          if (root === 'typescript_exports') mainExports = { s, table: e.arguments[1] };
          if (root) s.targets.push(root);
          else s.always = true;
        } else if (ts.isPropertyAccessExpression(callee)) {
          const root = rootOf(callee);
          if (root && declaredAt.has(root)) s.targets.push(root);
          else s.always = true;
        } else callTargets(s, callee);
      } else s.always = true;
    }
  }
  if (!mainExports || !ts.isObjectLiteralExpression(mainExports.table)) throw new Error("cannot find the compiler's export table (__export(typescript_exports, {…}))");

  // Reachability, to a fixed point: declarations through names, effects through what they set up.
  const kept = new Set();
  const keptNames = new Set();
  const queue = [];
  const keepStatement = (i) => {
    if (!kept.has(i)) { kept.add(i); queue.push(i); }
  };
  const keepName = (n) => {
    if (keptNames.has(n)) return;
    keptNames.add(n);
    const d = declaredAt.get(n);
    if (d !== undefined) keepStatement(d);
  };
  const used = new Set(exportsUsed);
  const exportEntries = mainExports.table.properties.filter((p) => p.name && used.has(p.name.text));
  keepName('__export');
  keepName('typescript_exports');
  keepStatement(mainExports.s.i);
  for (const p of exportEntries) for (const r of references(ts, p)) keepName(r);
  for (const s of statements) if (s.always && !s.dead) keepStatement(s.i);
  // A statement with targets is kept once one of them is (statements of unknown shape were kept above).
  const setsUp = (s) => s.targets.some((t) => keptNames.has(t));
  for (;;) {
    while (queue.length) {
      const s = statements[queue.pop()];
      if (s === mainExports.s) continue; // its entries were read above
      for (const r of references(ts, s.st)) keepName(r);
    }
    const more = statements.filter((s) => !kept.has(s.i) && !s.dead && setsUp(s));
    if (!more.length) break;
    for (const s of more) keepStatement(s.i);
  }

  // Member tables: only the members kept code reads, when it reads nothing else of them.
  const edits = [];
  for (const table of MEMBER_TABLES) {
    const at = declaredAt.get(table);
    if (at === undefined || !kept.has(at)) continue;
    const decl = statements[at].st.declarationList?.declarations[0];
    if (!decl?.initializer || !ts.isObjectLiteralExpression(decl.initializer)) continue;
    const members = new Set();
    let whole = used.has(table);
    for (const i of kept) {
      if (i === at || i === mainExports.s.i) continue;
      const visit = (n, parent) => {
        if (ts.isIdentifier(n) && n.text === table) {
          if (ts.isPropertyAccessExpression(parent) && parent.expression === n) members.add(parent.name.text);
          else if (!(ts.isPropertyAccessExpression(parent) && parent.name === n) && !(ts.isPropertyAssignment(parent) && parent.name === n)) whole = true;
        }
        ts.forEachChild(n, (c) => visit(c, n));
      };
      visit(statements[i].st, undefined);
    }
    if (whole) continue;
    const props = decl.initializer.properties.filter((p) => p.name && members.has(p.name.text));
    edits.push([decl.initializer.getStart(sf), decl.initializer.end, `{\n${props.map((p) => text.slice(p.getStart(sf), p.end)).join(',\n')}\n}`]);
  }
  edits.push([mainExports.table.getStart(sf), mainExports.table.end, `{\n${exportEntries.map((p) => text.slice(p.getStart(sf), p.end)).join(',\n')}\n}`]);
  for (const s of statements) if (!kept.has(s.i)) edits.push([s.st.pos, s.st.end, '\n']);
  edits.sort((a, b) => a[0] - b[0]);
  let code = '';
  let pos = 0;
  for (const [start, end, replacement] of edits) {
    if (start < pos) continue; // inside a statement already dropped
    code += text.slice(pos, start) + replacement;
    pos = end;
  }
  code += text.slice(pos);
  return { code, statements: statements.length, kept: kept.size, exportsKept: exportEntries.map((p) => p.name.text) };
}

/** The module function's body: `var ts = {}; ((module) => { … })({ get exports() … })`. */
function moduleBody(ts, sf) {
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isCallExpression(st.expression)) continue;
    let fn = st.expression.expression;
    while (ts.isParenthesizedExpression(fn)) fn = fn.expression;
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.body && ts.isBlock(fn.body) && fn.body.statements.length > 1000) return fn.body;
  }
  throw new Error("the compiler module's shape changed: no `((module) => { … })(…)` holding its statements");
}

/** Names a top-level statement declares. */
function declaredNames(ts, st) {
  if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) return st.name ? [st.name.text] : [];
  if (!ts.isVariableStatement(st)) return [];
  const out = [];
  const bind = (n) => {
    if (ts.isIdentifier(n)) out.push(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const d of st.declarationList.declarations) bind(d.name);
  return out;
}

/** Every identifier a node reads or writes, except member names (`x.name`, `{ name: … }`, class members). */
function references(ts, node, out = new Set()) {
  const visit = (n) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else if (ts.isPropertyAccessExpression(n)) visit(n.expression);
    else if (ts.isPropertyAssignment(n)) {
      if (ts.isComputedPropertyName(n.name)) visit(n.name);
      visit(n.initializer);
    } else if ((ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) && n.name && !ts.isComputedPropertyName(n.name)) {
      ts.forEachChild(n, (c) => c !== n.name && visit(c));
    } else if (ts.isLabeledStatement(n)) visit(n.statement);
    else if (!ts.isBreakStatement(n) && !ts.isContinueStatement(n)) ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}
