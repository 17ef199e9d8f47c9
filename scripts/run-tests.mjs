#!/usr/bin/env node
// Runs every *.test.ts beside the code (sdk, core, plugins, hosts, examples), each file in its own
// Node process through tsx so one hanging or crashing file cannot hide the others, two at a time.
// Prints uvu's output per file and a closing "N passed, N failed" line.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filter = process.argv.slice(2);
const FILE_TIMEOUT_MS = 240_000;

function findTests(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = ['sdk', 'core', 'plugins', 'hosts', 'examples', 'scripts']
  .flatMap((d) => findTests(path.join(root, d)))
  .filter((f) => !filter.length || filter.some((x) => f.includes(x)))
  .sort();

let passed = 0;
let failed = 0;
const failures = [];

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += `\n[run-tests] ${path.relative(root, file)} exceeded ${FILE_TIMEOUT_MS / 1000} s and was stopped\n`;
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const bad = code === 0 ? total - ok : Math.max(1, total - ok);
      passed += ok;
      failed += bad;
      if (code !== 0 || bad > 0) failures.push(path.relative(root, file));
      process.stdout.write(`\n── ${path.relative(root, file)} (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code})\n${out.trim()}\n`);
      resolve();
    });
  });
}

const queue = [...files];
const workers = Array.from({ length: Math.max(1, Math.min(2, os.cpus().length)) }, async () => {
  while (queue.length) await runFile(queue.shift());
});
await Promise.all(workers);

if (failures.length) console.log(`\nFailed files:\n  ${failures.join('\n  ')}`);
console.log(`\n${files.length} test files`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failures.length ? 1 : 0);
