// Known answers for Jaro, Jaro-Winkler and the edit distance: the textbook pairs of Winkler's
// 1990 census paper (MARTHA/MARHTA, DWAYNE/DUANE, DIXON/DICKSONX) and hand-checked distances.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { editDistance, jaro, jaroWinkler } from './string-similarity.js';

const close = (actual: number, expected: number, digits = 3) =>
  assert.ok(Math.abs(actual - expected) < 10 ** -digits, `${actual} ≉ ${expected}`);

test('Jaro and Jaro-Winkler match the published census examples', () => {
  close(jaro('MARTHA', 'MARHTA'), 0.944);
  close(jaroWinkler('MARTHA', 'MARHTA'), 0.961);
  close(jaro('DWAYNE', 'DUANE'), 0.822);
  close(jaroWinkler('DWAYNE', 'DUANE'), 0.84);
  close(jaro('DIXON', 'DICKSONX'), 0.767);
  close(jaroWinkler('DIXON', 'DICKSONX'), 0.813);
});

test('Jaro-Winkler edge cases: identical, disjoint, empty, symmetric', () => {
  assert.is(jaroWinkler('IVANOV', 'IVANOV'), 1);
  assert.is(jaroWinkler('ABC', 'XYZ'), 0);
  assert.is(jaroWinkler('', 'ABC'), 0);
  assert.is(jaroWinkler('', ''), 0);
  close(jaroWinkler('SERGEI', 'SERGEY'), jaroWinkler('SERGEY', 'SERGEI'), 9);
  // Long strings grow the scratch buffers rather than overflow them.
  const long = 'A'.repeat(100) + 'B';
  close(jaroWinkler(long, 'A'.repeat(100) + 'C'), 0.998, 2);
});

test('edit distance counts substitutions, insertions, deletions and adjacent transpositions', () => {
  assert.is(editDistance('IVANOV', 'IVANOV'), 0);
  assert.is(editDistance('IVANOV', 'IVANOVA'), 1);
  assert.is(editDistance('IVANOV', 'IVAOV'), 1);
  assert.is(editDistance('IVANOV', 'IWANOV'), 1);
  assert.is(editDistance('IVANOV', 'IVNAOV'), 1);
  assert.is(editDistance('KITTEN', 'SITTING'), 3);
  assert.is(editDistance('', 'ABC'), 3);
  // With a limit the answer is capped at limit + 1, early.
  assert.is(editDistance('KITTEN', 'SITTING', 1), 2);
  assert.is(editDistance('A', 'ABCDEF', 2), 3);
});

test.run();
