// The committed SDK API report matches the SDK's exports, so a change to what plugin authors import is
// always a reviewed change to sdk/api-report.md.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REGENERATE_COMMAND, ROOT, collectApi, readCommittedReport, renderReport, type ApiEntry } from './sdk-api-report.js';

const entries: ApiEntry[] = collectApi();
const report = renderReport(entries);

function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  committed: ${x[i] ?? '(end of file)'}\n  current:   ${y[i] ?? '(end of file)'}`;
  }
  return '';
}

test('sdk/api-report.md is up to date', () => {
  const committed = readCommittedReport();
  assert.ok(committed !== null, `sdk/api-report.md is missing. Run \`${REGENERATE_COMMAND}\` and commit it.`);
  if (committed !== report) {
    assert.unreachable(
      `sdk/api-report.md is out of date: the SDK's exports changed. Run \`${REGENERATE_COMMAND}\` and review the change ` +
        `(it is the SDK's public API; removing or changing an entry breaks plugins).\nFirst difference at ${firstDifference(committed!, report)}`,
    );
  }
});

test('the report covers both entries, with the exports plugin authors rely on', () => {
  assert.equal(entries.map((e) => e.name), ['@tessera/sdk', '@tessera/sdk/testing']);
  const names = (i: number) => new Set(entries[i]!.exports.map((e) => e.name));
  for (const name of ['definePlugin', 'coreServices', 'extensionPoints', 'TesseraError', 'ReaderDriver', 'parseMrz', 'MRZ_ERROR_CODES']) {
    assert.ok(names(0).has(name), `${name} missing from @tessera/sdk`);
  }
  for (const name of ['startTestHost', 'readerDriverConformance', 'interopConnectorConformance']) assert.ok(names(1).has(name), `${name} missing from @tessera/sdk/testing`);
  assert.is(entries[0]!.exports.find((e) => e.name === 'definePlugin')?.kind, 'function');
  assert.is(entries[0]!.exports.find((e) => e.name === 'ReaderDriver')?.kind, 'interface');
});

test('the report is deterministic: sorted, no machine-specific paths', () => {
  for (const entry of entries) {
    const keys = entry.exports.map((e) => `${e.name.toLowerCase()}\u0000${e.name}\u0000${e.kind}`);
    assert.equal(keys, [...keys].sort(), `${entry.name} exports are not sorted`);
  }
  assert.not.ok(report.includes(ROOT), 'the report contains the repository path');
  assert.not.match(report, /import\("/);
});

test.run();
