// The compact encoding: the Feistel hash is a bijection (it decodes back to the key, so equal hashes
// mean equal keys), the field codes round-trip, what does not fit is refused, and the date arithmetic
// matches the calendar (known day numbers since 1970-01-01).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateSltdRecords } from '../records.js';
import {
  decodeCountry, decodeDay, decodeDocumentType, decodeNumber, encodeCountry, encodeDay, encodeDocumentType, encodeNumber,
  hashKey, isoDateToDays, unhashKey, type KeyHash,
} from './key-codec.js';

test('hashKey decodes back to its key, also at the edges of the encoding', () => {
  const h: KeyHash = { high: 0, low: 0 };
  const keys = [['D', '0'], ['ZZZ', 'ZZZZZZZZZ'], ['A', '000000000'], ['UTO', 'L898902C3'], ['GBD', '1']] as const;
  for (const [state, number] of keys) {
    assert.ok(hashKey(state, number, h));
    assert.ok(h.high >= 0 && h.high < 2 ** 31 && h.low >= 0 && h.low < 2 ** 31);
    assert.equal(unhashKey(h.high, h.low), { issuingState: state, documentNumber: number });
  }
});

test('hashKey: 100,000 generated keys give 100,000 distinct hashes, each decoding to its key', () => {
  const h: KeyHash = { high: 0, low: 0 };
  const seen = new Set<string>();
  let compact = 0;
  for (const r of generateSltdRecords({ seed: 5, count: 100_000 })) {
    if (!hashKey(r.issuingState, r.documentNumber, h)) continue;
    compact++;
    seen.add(`${h.high}:${h.low}`);
    if (compact % 97 === 0) assert.equal(unhashKey(h.high, h.low), { issuingState: r.issuingState, documentNumber: r.documentNumber });
  }
  // The generator repeats (state, number) only across types, which share a hash by design.
  assert.ok(compact > 99_000);
  assert.ok(seen.size > compact * 0.99, `${seen.size} of ${compact}`);
});

test('hashes spread evenly over the 65,536 buckets', () => {
  const h: KeyHash = { high: 0, low: 0 };
  const perBucket = new Uint32Array(64);
  for (let i = 0; i < 64_000; i++) {
    hashKey('FRA', String(100000000 + i), h); // consecutive numbers: the worst case for a weak hash
    perBucket[h.high >>> 25]!++;
  }
  for (const n of perBucket) assert.ok(n > 800 && n < 1200, `bucket group of ${n}`);
});

test('field codes round-trip and refuse what does not fit', () => {
  for (const state of ['D', 'UTO', 'ZZZ', 'AB']) assert.is(decodeCountry(encodeCountry(state)), state);
  for (const bad of ['', 'ABCD', 'A1', 'fra']) assert.is(encodeCountry(bad), -1, bad);
  for (const type of ['P', 'PD', 'I', 'AC', 'Z']) assert.is(decodeDocumentType(encodeDocumentType(type)), type);
  for (const bad of ['', 'P1', 'PDX', '1']) assert.is(encodeDocumentType(bad), -1, bad);
  for (const number of ['0', 'Z', 'L898902C3', '123456789', 'ZZZZZZZZZ']) assert.is(decodeNumber(encodeNumber(number)), number);
  for (const bad of ['', '1234567890', 'AB/123', 'ab123']) assert.is(encodeNumber(bad), -1, bad);
  assert.ok(encodeNumber('ZZZZZZZZZ') < 2 ** 47);
});

test('isoDateToDays: known day numbers and invalid dates', () => {
  assert.is(isoDateToDays('1970-01-01'), 0);
  assert.is(isoDateToDays('2000-03-01'), 11017);
  assert.is(isoDateToDays('1900-01-01'), -25567);
  assert.is(isoDateToDays('2024-02-29'), Date.UTC(2024, 1, 29) / 86_400_000);
  for (const bad of ['2023-02-29', '2025-13-01', '2025-04-31', '2025-1-01', '20250101', '2025-01-0x', '1900-02-29']) assert.ok(Number.isNaN(isoDateToDays(bad)), bad);
});

test('encodeDay covers 1900-01-01 to 2079-06-05 (16 bits of days) and round-trips', () => {
  for (const day of ['1900-01-01', '2003-07-15', '2079-06-05', '2024-02-29']) assert.is(decodeDay(encodeDay(day)), day);
  assert.is(encodeDay('1899-12-31'), -1);
  assert.is(encodeDay('2079-06-06'), -1);
});

test.run();
