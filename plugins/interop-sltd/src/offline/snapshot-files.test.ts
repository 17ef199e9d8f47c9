// Snapshot and delta files: what the writers produce reads back exactly (header, lines, SHA-256 over the
// uncompressed content), and every kind of damage gets its own error code.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSltdRecords, type SltdRecord } from '../records.js';
import { readSltdFile, writeDelta, writeSnapshot, type SltdChange, type SltdFileHeader } from './snapshot-files.js';
import { editContent, rejectsWithCode, scratchDir, truncate } from './test-files.js';

const scratch = scratchDir('sltd-files');
test.after(() => scratch.remove());
const file = (name: string) => path.join(scratch.dir, name);

const records = [...generateSltdRecords({ seed: 11, count: 3000 })];
const header = { snapshotId: 'snap-11', sequence: 40, dataAsOf: '2026-11-20T06:00:00Z' };

async function readAll(name: string): Promise<{ header: SltdFileHeader; values: unknown[]; sha256: string }> {
  const values: unknown[] = [];
  let seen: SltdFileHeader | undefined;
  const result = await readSltdFile(file(name), { onHeader: (h) => (seen = h), onLine: (v) => values.push(v) });
  assert.equal(seen, result.header);
  return { header: result.header, values, sha256: result.sha256 };
}

test.before(async () => {
  await writeSnapshot(records, file('snapshot.gz'), header);
});

test('a snapshot reads back: header, every record, and a SHA-256 of the content before the trailer', async () => {
  const { header: read, values, sha256 } = await readAll('snapshot.gz');
  assert.equal(read, { format: 'tessera-sltd', kind: 'snapshot', version: 1, ...header, records: 3000 });
  assert.equal(values, records);
  const lines = gunzipSync(readFileSync(file('snapshot.gz'))).toString('utf8').split('\n');
  assert.is(lines.at(-1), '');
  const trailer = JSON.parse(lines.at(-2)!) as { trailer: { records: number; sha256: string } };
  const content = lines.slice(0, -2).join('\n') + '\n';
  assert.is(trailer.trailer.sha256, createHash('sha256').update(content).digest('hex'));
  assert.is(trailer.trailer.records, 3000);
  assert.is(sha256, trailer.trailer.sha256);
});

test('a streamed snapshot without a known count omits it from the header; the trailer still has it', async () => {
  const written = await writeSnapshot(generateSltdRecords({ seed: 11, count: 10 }), file('streamed.gz'), header);
  const { header: read, values } = await readAll('streamed.gz');
  assert.is(written.records, 10);
  assert.is((read as { records?: number }).records, undefined);
  assert.equal(values, records.slice(0, 10));
});

test('the writer normalises identity fields and refuses invalid records', async () => {
  const messy: SltdRecord = { documentNumber: 'ab 12-3<', issuingState: 'd<<', documentType: 'p<', status: 'lost', reportingCountry: 'deu' };
  await writeSnapshot([messy], file('messy.gz'), header);
  assert.equal((await readAll('messy.gz')).values, [{ documentNumber: 'AB123', issuingState: 'D', documentType: 'P', status: 'lost', reportingCountry: 'DEU' }]);
  const bad = [
    { ...messy, status: 'misplaced' },
    { ...messy, documentNumber: '<<' },
    { ...messy, issuingState: 'F1' },
    { ...messy, reportedOn: '2025-02-30' },
  ] as SltdRecord[];
  for (const record of bad) {
    const error = await rejectsWithCode(writeSnapshot([record], file('bad.gz'), header), 'SLTD_RECORD_INVALID');
    assert.match(error.message, /record 1/);
  }
  await rejectsWithCode(writeSnapshot(records, file('bad.gz'), { ...header, dataAsOf: 'yesterday' }), 'SLTD_FILE_HEADER_INVALID');
});

test('a delta reads back with its sequence range and changes', async () => {
  const changes: SltdChange[] = [
    { op: 'add', record: records[0]! },
    { op: 'remove', documentNumber: 'X1', issuingState: 'FRA', documentType: 'P' },
    { op: 'status', documentNumber: 'X2', issuingState: 'FRA', documentType: 'I', status: 'revoked' },
  ];
  await writeDelta(changes, file('delta.gz'), { baseSequence: 40, sequence: 41, dataAsOf: '2026-11-21T06:00:00Z' });
  const { header: read, values } = await readAll('delta.gz');
  assert.equal(read, { format: 'tessera-sltd', kind: 'delta', version: 1, baseSequence: 40, sequence: 41, dataAsOf: '2026-11-21T06:00:00Z', changes: 3 });
  assert.equal(values, changes);
  await rejectsWithCode(writeDelta(changes, file('bad.gz'), { baseSequence: 41, sequence: 41, dataAsOf: '2026-11-21T06:00:00Z' }), 'SLTD_FILE_HEADER_INVALID');
  await rejectsWithCode(writeDelta([{ op: 'rename' } as unknown as SltdChange], file('bad.gz'), { baseSequence: 1, sequence: 2, dataAsOf: '2026-11-21T06:00:00Z' }), 'SLTD_RECORD_INVALID');
});

test('damage: an edited record fails the SHA-256', async () => {
  editContent(file('snapshot.gz'), (t) => t.replace('"status":"lost"', '"status":"revoked"'), file('edited.gz'));
  await rejectsWithCode(readAll('edited.gz'), 'SLTD_FILE_CHECKSUM_MISMATCH');
});

test('damage: a dropped record line fails the count check even with a recomputed SHA-256', async () => {
  editContent(file('snapshot.gz'), (text) => {
    const lines = text.split('\n');
    const body = [...lines.slice(0, 1), ...lines.slice(2, -2)];
    const content = body.join('\n') + '\n';
    return content + JSON.stringify({ trailer: { records: 3000, sha256: createHash('sha256').update(content).digest('hex') } }) + '\n';
  }, file('short.gz'));
  await rejectsWithCode(readAll('short.gz'), 'SLTD_FILE_CHECKSUM_MISMATCH');
});

test('damage: cut-off gzip data is SLTD_FILE_TRUNCATED, as is a file without its trailer', async () => {
  truncate(file('snapshot.gz'), 0.6, file('cut.gz'));
  await rejectsWithCode(readAll('cut.gz'), 'SLTD_FILE_TRUNCATED');
  editContent(file('snapshot.gz'), (t) => t.split('\n').slice(0, -2).join('\n') + '\n', file('no-trailer.gz'));
  await rejectsWithCode(readAll('no-trailer.gz'), 'SLTD_FILE_TRUNCATED');
});

test('damage: a wrong header is SLTD_FILE_HEADER_INVALID', async () => {
  const variants: Array<(h: Record<string, unknown>) => void> = [
    (h) => (h.format = 'other-format'),
    (h) => (h.version = 2),
    (h) => (h.kind = 'full'),
    (h) => delete h.snapshotId,
    (h) => (h.sequence = -1),
  ];
  for (const change of variants) {
    editContent(file('snapshot.gz'), (text) => {
      const [first, ...rest] = text.split('\n');
      const h = JSON.parse(first!) as Record<string, unknown>;
      change(h);
      return [JSON.stringify(h), ...rest].join('\n');
    }, file('header.gz'));
    await rejectsWithCode(readAll('header.gz'), 'SLTD_FILE_HEADER_INVALID');
  }
  writeFileSync(file('empty.gz'), gzipSync(''));
  await rejectsWithCode(readAll('empty.gz'), 'SLTD_FILE_HEADER_INVALID');
});

test('damage: not gzip, a missing file, a corrupt gzip body, a non-JSON line, data after the trailer', async () => {
  writeFileSync(file('plain.ndjson'), '{"format":"tessera-sltd"}\n');
  await rejectsWithCode(readAll('plain.ndjson'), 'SLTD_FILE_UNREADABLE');
  await rejectsWithCode(readAll('missing.gz'), 'SLTD_FILE_UNREADABLE');
  const bytes = Buffer.from(readFileSync(file('snapshot.gz')));
  for (let i = 200; i < 260; i++) bytes[i] = bytes[i]! ^ 0x55;
  writeFileSync(file('flipped.gz'), bytes);
  const flipped = await readAll('flipped.gz').then(() => null, (e: { code?: string }) => e.code);
  assert.ok(flipped === 'SLTD_FILE_CORRUPT' || flipped === 'SLTD_FILE_CHECKSUM_MISMATCH', String(flipped));
  editContent(file('snapshot.gz'), (t) => t.replace(/\n\{"documentNumber"/, '\n{documentNumber'), file('nonjson.gz'));
  const nonJson = await rejectsWithCode(readAll('nonjson.gz'), 'SLTD_FILE_CORRUPT');
  assert.match(nonJson.message, /line 2 is not JSON/);
  editContent(file('snapshot.gz'), (t) => t + '{"documentNumber":"X"}\n', file('after.gz'));
  await rejectsWithCode(readAll('after.gz'), 'SLTD_FILE_CORRUPT');
});

test.run();
