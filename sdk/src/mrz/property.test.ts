// Property tests over seeded random valid MRZs of every format.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LAYOUTS, type Slot } from './formats.js';
import { parseMrz } from './index.js';
import { ALL_FORMATS, randomDocument, randomMrz, seededRandom } from './sample-documents.js';
import { composeMrz } from './compose-mrz.js';
import type { MrzFormat } from './types.js';

const ref = new Date('2026-11-25T00:00:00Z');
const PER_FORMAT = 60;

function generate(seed: number): Array<{ format: MrzFormat; lines: string[] }> {
  const rand = seededRandom(seed);
  const out: Array<{ format: MrzFormat; lines: string[] }> = [];
  for (let i = 0; i < PER_FORMAT; i++) for (const format of ALL_FORMATS) out.push({ format, lines: randomMrz(rand, format) });
  return out;
}

/** Positions ("line:col", 0-based) covered by some check digit, including the check digits. */
function coveredPositions(format: MrzFormat): Set<string> {
  const l = LAYOUTS[format];
  const out = new Set<string>();
  const add = (slot: Slot | null): void => {
    if (slot !== null) for (let i = 0; i < slot.length; i++) out.add(`${slot.line}:${slot.start + i}`);
  };
  for (const slot of [l.documentNumber, l.documentNumberCheck, l.birthDate, l.birthDateCheck, l.expiryDate, l.expiryDateCheck, l.optionalData1Check]) add(slot);
  if (l.optionalData1Check !== null) add(l.optionalData1);
  if (l.composite !== null) {
    for (const r of l.composite.ranges) add(r);
    add(l.composite.check);
  }
  return out;
}

const docs = generate(20261125);

test(`${docs.length} generated MRZs parse as valid, in the right format`, () => {
  for (const d of docs) {
    const r = parseMrz(d.lines, { referenceDate: ref });
    assert.ok(r.valid, `${d.lines.join(' / ')}: ${JSON.stringify(r.errors)}`);
    assert.is(r.format, d.format);
  }
});

test('every digit flipped to another digit inside a checked field is caught', () => {
  let flips = 0;
  for (const d of docs) {
    const covered = coveredPositions(d.format);
    d.lines.forEach((line, li) => {
      for (let col = 0; col < line.length; col++) {
        const ch = line[col];
        if (ch < '0' || ch > '9' || !covered.has(`${li}:${col}`)) continue;
        for (let digit = 0; digit <= 9; digit++) {
          const to = String(digit);
          if (to === ch) continue;
          const mutated = d.lines.slice();
          mutated[li] = line.slice(0, col) + to + line.slice(col + 1);
          const r = parseMrz(mutated, { referenceDate: ref });
          flips++;
          assert.not.ok(r.valid, `${d.format} line ${li + 1} col ${col + 1} ${ch}→${to} went unnoticed`);
        }
      }
    });
  }
  assert.ok(flips > 10_000, `${flips} flips`);
});

test('any single non-filler change either invalidates the MRZ or stays in an unchecked field', () => {
  const rand = seededRandom(7);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (const d of docs) {
    const covered = coveredPositions(d.format);
    for (let n = 0; n < 20; n++) {
      const li = Math.floor(rand() * d.lines.length);
      const col = Math.floor(rand() * d.lines[li].length);
      const ch = d.lines[li][col];
      if (ch === '<') continue;
      let to = ch;
      while (to === ch) to = letters[Math.floor(rand() * letters.length)];
      const mutated = d.lines.slice();
      mutated[li] = mutated[li].slice(0, col) + to + mutated[li].slice(col + 1);
      const r = parseMrz(mutated, { referenceDate: ref });
      if (r.valid) {
        // Undetectable changes: letter values that differ by a multiple of 10 inside checked
        // fields (e.g. A=10 vs 0), or data no check digit covers (names, sex, codes, visa data).
        const checked = covered.has(`${li}:${col}`);
        if (checked) {
          const v = (c: string) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
          assert.is(Math.abs(v(ch) - v(to)) % 10, 0, `${d.format} ${li + 1}:${col + 1} ${ch}→${to}`);
        }
      }
    }
  }
});

test('names: a letter swapped for another letter keeps an ICAO-format MRZ valid', () => {
  for (const d of docs) {
    const slot = LAYOUTS[d.format].name;
    if (slot === null) continue;
    const line = d.lines[slot.line];
    const col = slot.start; // first surname letter
    const to = line[col] === 'Q' ? 'R' : 'Q';
    const mutated = d.lines.slice();
    mutated[slot.line] = line.slice(0, col) + to + line.slice(col + 1);
    const r = parseMrz(mutated, { referenceDate: ref });
    assert.ok(r.valid, JSON.stringify(r.errors));
    assert.is(r.fields?.surname[0], to);
  }
});

test('compose → parse round trip keeps the field values', () => {
  const rand = seededRandom(99);
  for (let i = 0; i < 300; i++) {
    const format = ALL_FORMATS[i % ALL_FORMATS.length];
    const input = randomDocument(rand, format);
    const r = parseMrz(composeMrz(input), { referenceDate: ref });
    assert.ok(r.valid);
    const f = r.fields!;
    assert.is(f.documentNumber, input.documentNumber);
    assert.is(f.birthDate, input.birthDate);
    if (format !== 'FRA_ID') assert.is(f.expiryDate, input.expiryDate);
    assert.is(f.sex, input.sex === '<' ? 'X' : input.sex);
    const expectedSurname = input.surname.replaceAll("'", ' ');
    assert.is(f.surname, expectedSurname.slice(0, Math.min(expectedSurname.length, 25)));
    if (format !== 'FRA_ID' && format !== 'TD1') assert.is(f.optionalData1, input.optionalData1 ?? '');
  }
});

test('correction mode leaves all generated valid MRZs untouched', () => {
  for (const d of docs) {
    const r = parseMrz(d.lines, { referenceDate: ref, correct: true });
    assert.ok(r.valid);
    assert.equal(r.corrections, []);
  }
});

test('correction mode repairs a single O/0 confusion in a date of every generated MRZ', () => {
  for (const d of docs) {
    const slot = LAYOUTS[d.format].birthDate;
    const line = d.lines[slot.line];
    const at = line.indexOf('0', slot.start);
    if (at < 0 || at >= slot.start + 6) continue;
    const mutated = d.lines.slice();
    mutated[slot.line] = line.slice(0, at) + 'O' + line.slice(at + 1);
    const r = parseMrz(mutated, { referenceDate: ref, correct: true });
    assert.ok(r.valid, JSON.stringify(r.errors));
    assert.equal(r.lines, d.lines);
  }
});

test.run();
