/**
 * The SDK's API report: every export of the `@tessera/sdk` and `@tessera/sdk/testing` entries with its
 * kind and declaration, read through the TypeScript compiler, written to sdk/api-report.md. The file is
 * committed, so a change to what plugin authors can import shows up in review as a diff of that file.
 *
 *   node --import tsx scripts/sdk-api-report.ts           rewrite sdk/api-report.md
 *   node --import tsx scripts/sdk-api-report.ts --check   exit 1 when the committed report is out of date
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const REPORT_FILE = path.join(ROOT, 'sdk', 'api-report.md');
export const REGENERATE_COMMAND = 'node --import tsx scripts/sdk-api-report.ts';

/** The SDK's public entries: package subpath → source file. */
export const ENTRIES: ReadonlyArray<{ name: string; file: string }> = [
  { name: '@tessera/sdk', file: 'sdk/src/index.ts' },
  { name: '@tessera/sdk/testing', file: 'sdk/src/testing/index.ts' },
];

export interface ApiExport {
  name: string;
  kind: 'class' | 'const' | 'enum' | 'function' | 'interface' | 'let' | 'namespace' | 'type' | 'var';
  signature: string;
}

export interface ApiEntry {
  name: string;
  file: string;
  exports: ApiExport[];
}

const NODE_FLAGS = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.MultilineObjectLiterals | ts.NodeBuilderFlags.IgnoreErrors;

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  // Only the entries are roots; the declarations they reach are loaded as needed.
  return { ...(parsed?.options ?? {}), noEmit: true, skipLibCheck: true, types: ['node'] };
}

function byName(a: { name: string }, b: { name: string }): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isPrivate(member: ts.ClassElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  return (ts.getCombinedModifierFlags(member as unknown as ts.Declaration) & ts.ModifierFlags.Private) !== 0;
}

/**
 * The checker writes a type that is not in scope at the declaration as import("<path>").Name, with a
 * machine-specific path; the report names the type only.
 */
function relativise(text: string): string {
  return text.replace(/import\(\s*"[^"]*"\s*\)\./g, '');
}

function print(node: ts.Node, source: ts.SourceFile): string {
  return printer.printNode(ts.EmitHint.Unspecified, node, source);
}

function typeText(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string {
  const node = checker.typeToTypeNode(type, at, NODE_FLAGS);
  return node ? print(node, at.getSourceFile()) : checker.typeToString(type, at, ts.TypeFormatFlags.NoTruncation);
}

function signatureText(checker: ts.TypeChecker, decl: ts.SignatureDeclaration, name: string): string {
  const signature = checker.getSignatureFromDeclaration(decl)!;
  const node = checker.signatureToSignatureDeclaration(signature, ts.SyntaxKind.FunctionDeclaration, decl, NODE_FLAGS) as ts.FunctionDeclaration | undefined;
  if (!node) return `function ${name}${checker.signatureToString(signature, decl, ts.TypeFormatFlags.NoTruncation)};`;
  const named = ts.factory.updateFunctionDeclaration(node, undefined, undefined, ts.factory.createIdentifier(name), node.typeParameters, node.parameters, node.type, undefined);
  return print(named, decl.getSourceFile());
}

/** A class as its public surface: no bodies, no private members, inferred property types written out. */
function classSignature(checker: ts.TypeChecker, decl: ts.ClassDeclaration, name: string): string {
  const source = decl.getSourceFile();
  const f = ts.factory;
  const members: ts.ClassElement[] = [];
  for (const member of decl.members) {
    if (isPrivate(member)) continue;
    const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) : undefined;
    if (ts.isPropertyDeclaration(member)) {
      const type = member.type ?? checker.typeToTypeNode(checker.getTypeAtLocation(member), decl, NODE_FLAGS);
      members.push(f.createPropertyDeclaration(modifiers, member.name, member.questionToken, type, undefined));
    } else if (ts.isMethodDeclaration(member)) {
      members.push(f.createMethodDeclaration(modifiers, member.asteriskToken, member.name, member.questionToken, member.typeParameters, declaredParameters(checker, member, decl), member.type ?? inferredReturn(checker, member, decl), undefined));
    } else if (ts.isConstructorDeclaration(member)) {
      members.push(f.createConstructorDeclaration(modifiers, declaredParameters(checker, member, decl), undefined));
    } else if (ts.isGetAccessorDeclaration(member)) {
      members.push(f.createGetAccessorDeclaration(modifiers, member.name, member.parameters, member.type ?? inferredReturn(checker, member, decl), undefined));
    } else if (ts.isSetAccessorDeclaration(member)) {
      members.push(f.createSetAccessorDeclaration(modifiers, member.name, member.parameters, undefined));
    } else if (ts.isIndexSignatureDeclaration(member)) {
      members.push(member);
    }
  }
  const classModifiers = (ts.getModifiers(decl) ?? []).filter((m) => m.kind === ts.SyntaxKind.AbstractKeyword);
  const node = f.createClassDeclaration(classModifiers, name, decl.typeParameters, decl.heritageClauses, members);
  return print(node, source);
}

/** Parameters as a declaration file writes them: a default value makes the parameter optional. */
function declaredParameters(checker: ts.TypeChecker, member: ts.SignatureDeclaration, at: ts.Node): ts.ParameterDeclaration[] {
  const f = ts.factory;
  return member.parameters.map((p) => {
    const optional = p.questionToken ?? (p.initializer && !p.dotDotDotToken ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined);
    const type = p.type ?? checker.typeToTypeNode(checker.getTypeAtLocation(p), at, NODE_FLAGS);
    const modifiers = (ts.getModifiers(p) ?? []).filter((m) => m.kind !== ts.SyntaxKind.PrivateKeyword && m.kind !== ts.SyntaxKind.ProtectedKeyword);
    return f.updateParameterDeclaration(p, modifiers, p.dotDotDotToken, p.name, optional, type, undefined);
  });
}

function inferredReturn(checker: ts.TypeChecker, member: ts.SignatureDeclaration, at: ts.Node): ts.TypeNode | undefined {
  const signature = checker.getSignatureFromDeclaration(member);
  if (!signature) return undefined;
  return checker.typeToTypeNode(checker.getReturnTypeOfSignature(signature), at, NODE_FLAGS);
}

/** Interfaces and type aliases as declared (comments dropped, formatting normalised by the printer). */
function declarationSignature(decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration | ts.ModuleDeclaration, name: string): string {
  const f = ts.factory;
  const source = decl.getSourceFile();
  const modifiers = (ts.getModifiers(decl) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
  let node: ts.Node = decl;
  if (ts.isInterfaceDeclaration(decl)) node = f.updateInterfaceDeclaration(decl, modifiers, f.createIdentifier(name), decl.typeParameters, decl.heritageClauses, decl.members);
  else if (ts.isTypeAliasDeclaration(decl)) node = f.updateTypeAliasDeclaration(decl, modifiers, f.createIdentifier(name), decl.typeParameters, decl.type);
  else if (ts.isEnumDeclaration(decl)) node = f.updateEnumDeclaration(decl, modifiers, f.createIdentifier(name), decl.members);
  return print(node, source);
}

function mentionsTypeof(node: ts.Node): boolean {
  return ts.isTypeQueryNode(node) || (ts.forEachChild(node, (child) => (mentionsTypeof(child) ? true : undefined)) ?? false);
}

/**
 * A type derived from a value (`keyof typeof CATALOGUE`) hides its members in the declaration; when it
 * resolves to a union of literals, list them, so adding or removing one shows in the report.
 */
function resolvedLiterals(checker: ts.TypeChecker, decl: ts.TypeAliasDeclaration): string {
  if (!mentionsTypeof(decl.type)) return '';
  const type = checker.getTypeAtLocation(decl.name);
  const members = type.isUnion() ? type.types : [type];
  if (!members.every((t) => t.isStringLiteral() || t.isNumberLiteral())) return '';
  const literals = members.map((t) => JSON.stringify((t as ts.LiteralType).value));
  return `\n// resolves to:\n${literals.map((l) => `//   | ${l}`).join('\n')}`;
}

function describeExport(checker: ts.TypeChecker, exported: ts.Symbol): ApiExport[] {
  const name = exported.getName();
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declarations = symbol.getDeclarations() ?? [];
  const results: ApiExport[] = [];
  const functions = declarations.filter(ts.isFunctionDeclaration);
  if (functions.length) {
    // The overloads when there are some, else the implementation's signature.
    const overloads = functions.filter((d) => !d.body);
    const text = (overloads.length ? overloads : functions).map((d) => signatureText(checker, d, name)).join('\n');
    results.push({ name, kind: 'function', signature: text });
  }
  // Several declarations of one interface merge; they are reported together.
  const interfaces = declarations.filter(ts.isInterfaceDeclaration);
  if (interfaces.length) results.push({ name, kind: 'interface', signature: interfaces.map((d) => declarationSignature(d, name)).join('\n') });
  for (const decl of declarations) {
    if (ts.isClassDeclaration(decl)) results.push({ name, kind: 'class', signature: classSignature(checker, decl, name) });
    else if (ts.isTypeAliasDeclaration(decl)) results.push({ name, kind: 'type', signature: declarationSignature(decl, name) + resolvedLiterals(checker, decl) });
    else if (ts.isEnumDeclaration(decl)) results.push({ name, kind: 'enum', signature: declarationSignature(decl, name) });
    else if (ts.isVariableDeclaration(decl)) {
      const list = decl.parent;
      const keyword = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
      // The annotation when there is one (that is the promise made); else the type the checker infers.
      const type = decl.type ? print(decl.type, decl.getSourceFile()) : typeText(checker, checker.getTypeOfSymbolAtLocation(symbol, decl), decl);
      results.push({ name, kind: keyword, signature: `${keyword} ${name}: ${type};` });
    } else if (ts.isModuleDeclaration(decl)) {
      results.push({ name, kind: 'namespace', signature: `namespace ${name}` });
    }
  }
  return results.map((r) => ({ ...r, signature: relativise(r.signature) }));
}

/** Read the entries and their exports. Deterministic: no absolute paths, sorted by name then kind. */
export function collectApi(): ApiEntry[] {
  const files = ENTRIES.map((e) => path.join(ROOT, e.file));
  const program = ts.createProgram({ rootNames: files, options: compilerOptions() });
  const checker = program.getTypeChecker();
  return ENTRIES.map((entry) => {
    const source = program.getSourceFile(path.join(ROOT, entry.file));
    if (!source) throw new Error(`${entry.file} is not part of the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry.file} has no exports`);
    const exports = checker
      .getExportsOfModule(moduleSymbol)
      .flatMap((s) => describeExport(checker, s))
      .sort((a, b) => byName(a, b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
    return { name: entry.name, file: entry.file, exports };
  });
}

/**
 * The SDK package's other subpaths (sdk/package.json "exports"), named in the report so that adding
 * one is a reviewed change too; their contents are not listed.
 */
export function otherSubpaths(): Array<{ name: string; target: string }> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'sdk', 'package.json'), 'utf8')) as { name: string; exports?: Record<string, unknown> };
  const covered = new Set(ENTRIES.map((e) => e.name));
  return Object.entries(pkg.exports ?? {})
    .map(([subpath, target]) => ({ name: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`, target: typeof target === 'string' ? target : JSON.stringify(target) }))
    .filter((e) => !covered.has(e.name))
    .sort(byName);
}

export function renderReport(entries: ApiEntry[], others = otherSubpaths()): string {
  const out: string[] = [
    '# @tessera/sdk — API report',
    '',
    '<!-- Generated by scripts/sdk-api-report.ts; do not edit. -->',
    '',
    'Everything a plugin author can import, as the TypeScript compiler sees it. The file is committed and',
    `checked by \`scripts/sdk-api-report.test.ts\`: after a change to the SDK's exports run \`${REGENERATE_COMMAND}\``,
    'and review the diff of this file as part of the change. Removing or changing an entry below breaks plugins.',
    '',
  ];
  if (others.length) {
    out.push('Other subpaths of the package, not listed here:', '');
    for (const o of others) out.push(`- \`${o.name}\` → \`${o.target}\``);
    out.push('');
  }
  for (const entry of entries) {
    out.push(`## \`${entry.name}\``, '', `Source: \`${entry.file}\` — ${entry.exports.length} exports.`, '');
    for (const e of entry.exports) {
      out.push(`### \`${e.name}\` (${e.kind})`, '', '```ts', e.signature.trimEnd(), '```', '');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

export function generateReport(): string {
  return renderReport(collectApi());
}

export function readCommittedReport(): string | null {
  return existsSync(REPORT_FILE) ? readFileSync(REPORT_FILE, 'utf8') : null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const report = generateReport();
  const committed = readCommittedReport();
  const relative = path.relative(ROOT, REPORT_FILE);
  if (check) {
    if (committed === report) {
      console.log(`${relative} is up to date.`);
    } else {
      console.error(`${relative} is out of date: the SDK's exports changed. Run \`${REGENERATE_COMMAND}\` and review the change.`);
      process.exitCode = 1;
    }
  } else if (committed === report) {
    console.log(`${relative} is up to date.`);
  } else {
    writeFileSync(REPORT_FILE, report);
    console.log(`Wrote ${relative}; review the diff.`);
  }
}
