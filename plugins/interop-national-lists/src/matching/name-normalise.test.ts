// Name tokens, spelling alternatives, consonant skeletons, token comparison and nationality codes:
// the pieces the screening score is built from.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { consonantSkeleton, normaliseName } from './name-normalise.js';
import { canonicalNationality } from './nationality.js';
import { compareTokens, tokenInfo } from './token-similarity.js';

test('names become Doc 9303 tokens, with the single-letter spelling when it differs', () => {
  assert.equal(normaliseName('Müller-Lüdenscheidt, Jörg'), {
    tokens: ['MUELLER', 'LUEDENSCHEIDT', 'JOERG'], alternative: ['MULLER', 'LUDENSCHEIDT', 'JORG'], arabic: false,
  });
  assert.equal(normaliseName('Иванов'), { tokens: ['IVANOV'], arabic: false });
  assert.equal(normaliseName('محمد'), { tokens: ['MXHMD'], arabic: true });
  assert.equal(normaliseName(undefined), { tokens: [], arabic: false });
  // Decomposed input (U + combining diaeresis) is the same name.
  assert.equal(normaliseName('Mu\u0308ller').alternative, ['MULLER']);
});

test('consonant skeletons join Arabic script and its transcriptions', () => {
  const pairs: Array<[string, string]> = [
    ['محمد', 'MOHAMMED'], ['خالد', 'KHALID'], ['عبدالله', 'ABDULLAH'], ['فاطمة', 'FATIMA'], ['قاسم', 'KASSEM'],
    ['جمال', 'GAMAL'], ['عائشة', 'AICHA'], ['يوسف', 'YOUSSEF'], ['شريف', 'CHERIF'],
  ];
  for (const [arabic, latin] of pairs) {
    const token = normaliseName(arabic).tokens[0];
    assert.is(consonantSkeleton(token, true), consonantSkeleton(latin, false), `${arabic} / ${latin}`);
  }
  assert.is(consonantSkeleton('MOHAMMED', false), 'MHMD');
});

test('token comparison names its reason', () => {
  const cmp = (a: string, b: string, arabic = false) => compareTokens(tokenInfo(a, arabic), tokenInfo(b, false));
  assert.equal(cmp('IVANOV', 'IVANOV'), { score: 1, kind: 'exact' });
  assert.is(cmp('IVANOV', 'IVNAOV').kind, 'typo');
  assert.is(cmp('YURIY', 'IURII').kind, 'phonetic');
  assert.is(cmp('MXHMD', 'MOHAMMED', true).kind, 'skeleton');
  assert.is(cmp('J', 'JOHN').kind, 'initial');
  // Different names stay apart: one letter in a four-letter Chinese name, a long shared prefix, a shared sound.
  assert.ok(cmp('QING', 'PING').score < 0.84);
  assert.ok(cmp('PAPADAKIS', 'PAPADIDIS').score < 0.9);
  assert.ok(cmp('PAUL', 'BELL').score < 0.7);
  assert.ok(cmp('CHARLES', 'CHRISTOPHER').score < 0.84);
  // Short family names that sound alike but start with other consonants are other families.
  assert.is(cmp('WANG', 'YANG').kind, 'similar');
  assert.ok(cmp('WANG', 'YANG').score < 0.84 && cmp('CHEN', 'SHEN').score < 0.84);
  assert.is(cmp('HODA', 'HUDA').kind, 'phonetic');
});

test('nationality codes: aliases reduce to one state, unknown codes are not compared', () => {
  assert.is(canonicalNationality('D'), 'DEU');
  assert.is(canonicalNationality('deu'), 'DEU');
  assert.is(canonicalNationality('D<<'), 'DEU');
  assert.is(canonicalNationality('GBD'), 'GBR');
  assert.is(canonicalNationality('XXK'), 'RKS');
  assert.is(canonicalNationality('QQQ'), undefined);
  assert.is(canonicalNationality(''), undefined);
});

test.run();
