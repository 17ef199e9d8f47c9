// The MRZ issuing-state → CSCA country table: complete against the SDK's list of MRZ state codes,
// with ICAO's special codes either mapped to a state or marked as not comparable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ICAO_SPECIAL_STATE_CODES, ISO_3166_ALPHA3_CODES } from '@tessera/sdk';
import { ISO_ALPHA3_CODES, alpha3ToAlpha2, lookupIssuingState } from './country-codes.js';

test('every ISO 3166-1 alpha-3 code maps to a distinct two-letter code', () => {
  assert.is(ISO_ALPHA3_CODES.length, 249);
  assert.equal([...ISO_ALPHA3_CODES].sort(), [...ISO_3166_ALPHA3_CODES].sort());
  const alpha2 = ISO_ALPHA3_CODES.map((c) => alpha3ToAlpha2(c)!);
  assert.ok(alpha2.every((c) => /^[A-Z]{2}$/.test(c)));
  assert.is(new Set(alpha2).size, 249);
});

test('spot checks, including the irregular ones', () => {
  const cases: [string, string][] = [['NLD', 'NL'], ['DEU', 'DE'], ['AUT', 'AT'], ['CHE', 'CH'], ['GBR', 'GB'], ['SRB', 'RS'], ['COM', 'KM'], ['CYM', 'KY'], ['PRK', 'KP'], ['KOR', 'KR'], ['MYT', 'YT'], ['SPM', 'PM'], ['UKR', 'UA'], ['COL', 'CO']];
  for (const [a3, a2] of cases) assert.is(alpha3ToAlpha2(a3), a2, a3);
});

test('ICAO specials: D (and D<<) is Germany, British categories are GB, organisations cannot be compared', () => {
  assert.equal(lookupIssuingState('D<<'), { kind: 'state', alpha3: 'D', alpha2: 'DE' });
  assert.is(alpha3ToAlpha2('D'), 'DE');
  for (const c of ['GBD', 'GBN', 'GBO', 'GBP', 'GBS']) assert.is(alpha3ToAlpha2(c), 'GB');
  for (const c of ['EUE', 'UNO', 'UNA', 'UNK', 'XXA', 'XXB', 'XXC', 'XXX', 'XOM', 'XPO']) {
    const r = lookupIssuingState(c);
    assert.is(r.kind, 'organisation', c);
    assert.is(alpha3ToAlpha2(c), undefined);
  }
  assert.is(lookupIssuingState('QQQ').kind, 'unknown');
});

test('every ICAO special code the MRZ parser accepts is classified (none falls through as unknown)', () => {
  for (const c of ICAO_SPECIAL_STATE_CODES) assert.is.not(lookupIssuingState(c).kind, 'unknown', c);
});

test.run();
