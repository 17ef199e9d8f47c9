/**
 * The layering rule, checked on source: plugins (and examples) import only @tessera/sdk, their own
 * files, Node built-ins and their declared npm dependencies; core never imports plugins or hosts;
 * the SDK never imports the kernel except in its testing entry; hosts never reach into plugins.
 * Run: node --import tsx scripts/check-layering.ts   (exit 1 on a violation)
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function declaredDependencies(pkgDir: string): Set<string> {
  const file = path.join(pkgDir, 'package.json');
  if (!existsSync(file)) return new Set();
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
  return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
}

const isInside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** A plugin or example: only the SDK, its own files, built-ins and its own declared npm dependencies. */
function checkExtension(unitDir: string, root: string, kind: string): Violation[] {
  const violations: Violation[] = [];
  const deps = declaredDependencies(unitDir);
  for (const file of sourceFiles(unitDir)) {
    for (const spec of importsOf(file)) {
      const rel = path.relative(root, file);
      if (spec.startsWith('.')) {
        if (!isInside(path.resolve(path.dirname(file), spec), unitDir)) violations.push({ file: rel, specifier: spec, rule: `a ${kind} imports only its own files (this path leaves ${path.relative(root, unitDir)})` });
        continue;
      }
      if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(packageName(spec))) continue;
      const name = packageName(spec);
      if (name === '@tessera/sdk') {
        if (spec.startsWith('@tessera/sdk/testing') && !file.endsWith('.test.ts')) violations.push({ file: rel, specifier: spec, rule: `${kind} runtime code must not import the testing entry` });
        continue;
      }
      if (name.startsWith('@tessera/')) {
        violations.push({ file: rel, specifier: spec, rule: `a ${kind} imports only @tessera/sdk, never ${name}` });
        continue;
      }
      if (path.isAbsolute(spec)) {
        violations.push({ file: rel, specifier: spec, rule: `a ${kind} must not import by absolute path` });
        continue;
      }
      if (!deps.has(name)) violations.push({ file: rel, specifier: spec, rule: `npm package ${name} is not declared in ${path.relative(root, path.join(unitDir, 'package.json'))}` });
    }
  }
  return violations;
}

function checkForbidden(dir: string, root: string, allowed: (file: string, spec: string) => string | null): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(dir)) {
    for (const spec of importsOf(file)) {
      const problem = allowed(file, spec);
      if (problem) violations.push({ file: path.relative(root, file), specifier: spec, rule: problem });
    }
  }
  return violations;
}

function subdirs(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((d) => path.join(dir, d)).filter((d) => statSync(d).isDirectory()) : [];
}

export function checkLayering(root: string): Violation[] {
  const pluginsDir = path.join(root, 'plugins');
  const intoPlugins = (file: string, spec: string) => spec.startsWith('.') && isInside(path.resolve(path.dirname(file), spec), pluginsDir);
  const violations: Violation[] = [];
  for (const dir of subdirs(pluginsDir)) violations.push(...checkExtension(dir, root, 'plugin'));
  for (const dir of subdirs(path.join(root, 'examples'))) violations.push(...checkExtension(dir, root, 'example'));
  violations.push(
    ...checkForbidden(path.join(root, 'core'), root, (file, spec) => {
      if (spec.startsWith('@tessera/') && packageName(spec) !== '@tessera/sdk') return `core imports only @tessera/sdk of the Tessera packages, not ${packageName(spec)}`;
      if (spec.startsWith('@tessera/sdk/testing') && !file.endsWith('.test.ts')) return 'core runtime code must not import the SDK testing entry';
      if (spec.startsWith('.') && !isInside(path.resolve(path.dirname(file), spec), path.join(root, 'core'))) return 'core must not reach outside core/';
      return null;
    }),
  );
  const sdkTesting = path.join(root, 'sdk', 'src', 'testing');
  violations.push(
    ...checkForbidden(path.join(root, 'sdk'), root, (file, spec) => {
      const name = packageName(spec);
      if (name === '@tessera/core' && isInside(file, sdkTesting)) return null;
      if (name.startsWith('@tessera/') && name !== '@tessera/sdk') return `the SDK must not import ${name} (only its testing entry may use @tessera/core)`;
      if (spec.startsWith('.') && !isInside(path.resolve(path.dirname(file), spec), path.join(root, 'sdk'))) return 'the SDK must not reach outside sdk/';
      return null;
    }),
  );
  violations.push(
    ...checkForbidden(path.join(root, 'hosts'), root, (file, spec) => {
      if (packageName(spec).startsWith('@tessera/plugin-')) return 'hosts load plugins through the loader, never by import';
      if (intoPlugins(file, spec)) return "hosts must not import a plugin's internals";
      return null;
    }),
  );
  return violations;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
  const violations = checkLayering(root);
  for (const v of violations) console.error(`${v.file}: import "${v.specifier}" — ${v.rule}`);
  console.log(violations.length ? `${violations.length} layering violation(s)` : 'layering: ok');
  process.exit(violations.length ? 1 : 0);
}
