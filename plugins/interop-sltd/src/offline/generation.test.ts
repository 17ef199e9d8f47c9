// Building generations: the radix sort agrees with a plain comparison sort (and is stable), splitting an
// import into many sort partitions gives byte-identical tables, and a generation's files are what
// meta.json says.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSltdRecords } from '../records.js';
import { buildFromSnapshot, loadGeneration } from './generation.js';
import { compareKeys, SORT_STRIDE, sortEntries } from './key-table.js';
import { writeSnapshot } from './snapshot-files.js';
import { scratchDir } from './test-files.js';

const scratch = scratchDir('sltd-generation');
test.after(() => scratch.remove());

test('sortEntries orders like a stable comparison sort on (bucket, hash bits, word0, type)', () => {
  const n = 20_000;
  const data = new Uint32Array(n * SORT_STRIDE);
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < n; i++) {
    // Few distinct values per field, so equal keys (and the stability) are exercised.
    data[i * 4] = next() % 7;
    data[i * 4 + 1] = (next() % 5) * 0x1234567;
    data[i * 4 + 2] = ((next() % 3) | ((next() % 4) << 18) | ((next() % 5) << 15)) >>> 0;
    data[i * 4 + 3] = i;
  }
  const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    compareKeys(data[a * 4]!, data[a * 4 + 1]!, data[a * 4 + 2]!, data[b * 4]!, data[b * 4 + 1]!, data[b * 4 + 2]!) || a - b);
  const original = data.slice();
  const ordinals = sortEntries(data, n);
  assert.equal(Array.from(ordinals), expected);
  for (let k = 0; k < n; k++) assert.equal(Array.from(data.subarray(k * 4, k * 4 + 4)), Array.from(original.subarray(expected[k]! * 4, expected[k]! * 4 + 4)));
});

test('many sort partitions give the same tables as one', async () => {
  const snapshot = path.join(scratch.dir, 'snapshot.gz');
  await writeSnapshot([...generateSltdRecords({ seed: 3, count: 20_000 })], snapshot, { snapshotId: 's', sequence: 1, dataAsOf: '2026-11-01T00:00:00Z' });
  const one = path.join(scratch.dir, 'one');
  const many = path.join(scratch.dir, 'many');
  await buildFromSnapshot(snapshot, one);
  await buildFromSnapshot(snapshot, many, undefined, { partitionTarget: 100 }); // 256 partitions
  for (const name of ['keys.bin', 'refs.bin', 'overflow.json']) {
    assert.ok(readFileSync(path.join(one, name)).equals(readFileSync(path.join(many, name))), name);
  }
  const generation = loadGeneration(one);
  assert.is(generation.meta.compactRecords + generation.meta.overflowRecords, 20_000);
  assert.is(generation.keys.count, generation.meta.compactRecords);
  assert.ok(generation.meta.overflowRecords > 0 && generation.meta.overflowRecords < 200, String(generation.meta.overflowRecords));
  assert.ok(generation.refs.count > 300, String(generation.refs.count));
  assert.is(generation.keys.bytes, 64 + 65537 * 4 + generation.keys.count * 12);
});

test.run();
