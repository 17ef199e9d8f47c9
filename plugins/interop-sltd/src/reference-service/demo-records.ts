/**
 * Well-known records the reference service always holds, so the demo and the tests have fixed hits:
 * specimens of the reader simulator (plugins/reader-simulator/src/specimens/specimen-catalogue.ts) and
 * the ICAO 9303 specimen numbers, one per status. The simulator's genuine specimens stay unlisted so a
 * genuine scan shows "no hit".
 */
import type { SltdRecord } from '../records.js';

export const DEMO_RECORDS: readonly SltdRecord[] = Object.freeze([
  // The simulator's "counterfeit-light-td3" passport: a stolen genuine number reused on a counterfeit.
  { documentNumber: 'UP8402513', issuingState: 'UTO', documentType: 'P', status: 'stolen', reportingCountry: 'UTO', reportedOn: '2025-03-14', reference: 'UTO-2025-000417' },
  // The simulator's "expired-td3" passport, reported lost before it expired.
  { documentNumber: 'UP1937462', issuingState: 'UTO', documentType: 'P', status: 'lost', reportingCountry: 'UTO', reportedOn: '2023-11-02', reference: 'UTO-2023-008812' },
  // The simulator's "bad-check-digit-td3" passport: a blank stolen from the printer, personalised elsewhere.
  { documentNumber: 'UP6610284', issuingState: 'UTO', documentType: 'P', status: 'stolen_blank', reportingCountry: 'UTO', reportedOn: '2024-06-30', reference: 'UTO-2024-000031' },
  // The ICAO 9303 part 4 TD3 specimen (Anna Maria Eriksson), revoked.
  { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'P', status: 'revoked', reportingCountry: 'UTO', reportedOn: '2012-04-16', reference: 'UTO-2012-000123' },
  // The ICAO 9303 part 5 TD1 specimen's long document number, declared invalid.
  { documentNumber: 'D23145890734', issuingState: 'UTO', documentType: 'I', status: 'invalid', reportingCountry: 'UTO', reportedOn: '2021-09-01' },
]);

/**
 * The simulator's default genuine passport: never listed (the generator draws no UTO records), the
 * known "no hit".
 */
export const DEMO_UNLISTED = Object.freeze({ documentNumber: 'UP4821937', issuingState: 'UTO', documentType: 'P' });
