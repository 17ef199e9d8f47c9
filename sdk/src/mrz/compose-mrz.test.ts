// recomputeCompositeCheckDigit: test documents with one deliberately wrong check digit need the
// composite recomputed over it, so that the wrong digit stays the only defect.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeMrz, parseMrz, recomputeCompositeCheckDigit } from './index.js';

const icaoReference = { referenceDate: new Date('2010-01-01T00:00:00Z') };
const td3 = composeMrz({
  format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '1974-08-12',
  sex: 'F', expiryDate: '2012-04-15', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', optionalData1: 'ZE184226B',
});

test('the ICAO TD3 specimen keeps its composite digit', () => {
  assert.equal(recomputeCompositeCheckDigit('TD3', td3), td3);
});

test('after a birth-date check digit is altered only that digit is wrong, in every format with a composite', () => {
  const altered = td3[1].slice(0, 19) + '9' + td3[1].slice(20);
  const fixed = recomputeCompositeCheckDigit('TD3', [td3[0], altered]);
  assert.is(fixed[1].slice(0, 43), altered.slice(0, 43));
  assert.equal(parseMrz(fixed, icaoReference).errors.map((e) => e.code), ['MRZ_CHECK_DIGIT_BIRTH_DATE']);
  const td1 = composeMrz({ format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '120415', surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
  const td1Altered = [td1[0], td1[1].slice(0, 6) + '0' + td1[1].slice(7), td1[2]];
  assert.equal(parseMrz(recomputeCompositeCheckDigit('TD1', td1Altered), icaoReference).errors.map((e) => e.code), ['MRZ_CHECK_DIGIT_BIRTH_DATE']);
});

test('visas have no composite and pass through; an unknown format is a RangeError', () => {
  const visa = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
  assert.equal(recomputeCompositeCheckDigit('MRVA', visa), visa);
  assert.throws(() => recomputeCompositeCheckDigit('TD9' as never, visa), RangeError);
});

test.run();
