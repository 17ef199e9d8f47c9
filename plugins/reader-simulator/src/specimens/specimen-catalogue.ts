/**
 * The specimen documents the simulated reader can have on its glass: genuine documents of every
 * ICAO format plus documents with one deliberate defect each, so every check in the inspection
 * pipeline has a document that makes it pass and one that makes it fail.
 *
 * All documents are issued by Utopia (UTO), the fictional state ICAO uses for its own specimens;
 * the people are invented. Issue and expiry dates are placed relative to the reference date so a
 * "valid" specimen stays valid whenever the tests or the demo run.
 */
import type { ChipProfile } from '../chip/chip-profiles.js';
import { buildMrz, recomputeComposite, type MrzBuildFormat, type MrzInput } from './build-mrz.js';

export interface SpecimenDocument {
  /** Stable kebab-case id, also the simulator's "document on the glass" setting value. */
  id: string;
  label: string;
  format: MrzBuildFormat;
  /** What the specimen is meant to exercise, e.g. 'genuine' or 'bad-check-digit'. */
  scenario: string;
  mrz: string[];
  viz: {
    documentType: string;
    issuingState: string;
    surname: string;
    givenNames: string;
    nationality: string;
    /** YYYY-MM-DD. */
    birthDate: string;
    sex: 'M' | 'F' | 'X';
    documentNumber: string;
    issueDate: string;
    expiryDate: string;
    placeOfBirth?: string;
    authority?: string;
  };
  /**
   * How the page answers the reader's other light sources. Genuine documents print the MRZ with
   * IR-absorbing ink and use paper without optical brighteners (dull under UV).
   */
  light: { irMrzVisible: boolean; uvDull: boolean };
  /** The chip the document carries when the device's chip setting is 'genuine': visas have none. */
  chip: ChipProfile;
}

type Viz = SpecimenDocument['viz'];

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** UTC midnight of the reference day, so only the calendar date matters (as in the MRZ parser). */
function dayOf(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate());
}

/** A validity period: issued `yearsAgo` years (plus a few days) before the reference day. */
function validity(ref: number, issuedYearsAgo: number, validYears: number, extraDays: number): { issueDate: string; expiryDate: string } {
  const issued = addYears(ref, -issuedYearsAgo) - extraDays * DAY_MS;
  return { issueDate: isoDay(issued), expiryDate: isoDay(addYears(issued, validYears) - DAY_MS) };
}

function mrzInput(viz: Viz, documentCode: string, optionalData?: string): MrzInput {
  return {
    documentCode,
    issuingState: viz.issuingState,
    surname: viz.surname,
    givenNames: viz.givenNames,
    documentNumber: viz.documentNumber,
    nationality: viz.nationality,
    birthDate: viz.birthDate,
    sex: viz.sex,
    expiryDate: viz.expiryDate,
    ...(optionalData === undefined ? {} : { optionalData }),
  };
}

const GENUINE_LIGHT = { irMrzVisible: true, uvDull: true } as const;

/** Replaces the check digit after the date of birth with a different, still numeric, digit. */
function corruptBirthDateCheck(format: MrzBuildFormat, lines: string[]): string[] {
  const [line, at] = format === 'TD1' ? [1, 6] : [1, 19];
  const out = [...lines];
  const wrong = String((Number(out[line][at]) + 3) % 10);
  out[line] = out[line].slice(0, at) + wrong + out[line].slice(at + 1);
  return out;
}

/** The catalogue as of `referenceDate` (default: now). The first entry is the default specimen. */
export function specimenCatalogue(referenceDate: Date = new Date()): SpecimenDocument[] {
  const ref = dayOf(referenceDate);
  const authority = 'Ministry of the Interior, Amaurot';

  const passport = (viz: Omit<Viz, 'documentType' | 'issuingState' | 'nationality' | 'authority'> & Partial<Viz>): Viz => ({
    documentType: 'P',
    issuingState: 'UTO',
    nationality: 'UTO',
    authority,
    ...viz,
  });

  const genuineTd3 = passport({
    surname: 'Lindqvist',
    givenNames: 'Maja Elise',
    birthDate: '1988-04-17',
    sex: 'F',
    documentNumber: 'UP4821937',
    placeOfBirth: 'Amaurot',
    ...validity(ref, 5, 10, 12),
  });

  const td1: Viz = {
    documentType: 'ID',
    issuingState: 'UTO',
    surname: 'Østergaard',
    givenNames: 'Jens Peter',
    nationality: 'UTO',
    birthDate: '1979-11-02',
    sex: 'M',
    documentNumber: 'UI7305148',
    placeOfBirth: 'Abraxa',
    authority: 'Civil Registry, Abraxa',
    ...validity(ref, 4, 10, 40),
  };

  const td2: Viz = {
    documentType: 'I',
    issuingState: 'UTO',
    surname: 'Castellanos Ruíz',
    givenNames: 'María José',
    nationality: 'UTO',
    birthDate: '1995-07-23',
    sex: 'F',
    documentNumber: 'UC2084615',
    placeOfBirth: 'Anyder',
    authority: 'Civil Registry, Anyder',
    ...validity(ref, 3, 10, 75),
  };

  const visaA: Viz = {
    documentType: 'V',
    issuingState: 'UTO',
    surname: "O'Sullivan",
    givenNames: 'Liam Patrick',
    nationality: 'IRL',
    birthDate: '1991-01-30',
    sex: 'M',
    documentNumber: 'UV0391726',
    authority: 'Consulate of Utopia, Dublin',
    issueDate: isoDay(ref - 20 * DAY_MS),
    expiryDate: isoDay(ref + 160 * DAY_MS),
  };

  const visaB: Viz = {
    documentType: 'V',
    issuingState: 'UTO',
    surname: 'Nakamura',
    givenNames: 'Hiroshi',
    nationality: 'JPN',
    birthDate: '1983-09-05',
    sex: 'M',
    documentNumber: 'UV5528301',
    authority: 'Embassy of Utopia, Tokyo',
    issueDate: isoDay(ref - 45 * DAY_MS),
    expiryDate: isoDay(ref + 45 * DAY_MS),
  };

  const expired = passport({
    surname: 'Haddad',
    givenNames: 'Karim Youssef',
    birthDate: '1972-02-11',
    sex: 'M',
    documentNumber: 'UP1937462',
    placeOfBirth: 'Amaurot',
    // Expired two years ago to the day: issued twelve years ago, valid ten.
    issueDate: isoDay(addYears(addYears(ref, -2), -10) + DAY_MS),
    expiryDate: isoDay(addYears(ref, -2)),
  });

  const badCheck = passport({
    surname: 'Papadopoulou',
    givenNames: 'Eleni',
    birthDate: '1990-12-08',
    sex: 'F',
    documentNumber: 'UP6610284',
    placeOfBirth: 'Abraxa',
    ...validity(ref, 2, 10, 3),
  });

  const unknownIssuer = passport({
    issuingState: 'ZZZ',
    authority: 'Passport Office',
    surname: 'Novak',
    givenNames: 'Tomas',
    birthDate: '1984-06-19',
    sex: 'M',
    documentNumber: 'ZP3049175',
    placeOfBirth: 'Amaurot',
    ...validity(ref, 1, 10, 100),
  });

  const counterfeit = passport({
    surname: 'Moreau-Delacroix',
    givenNames: 'Camille Hélène',
    birthDate: '1993-03-27',
    sex: 'X',
    documentNumber: 'UP8402513',
    placeOfBirth: 'Anyder',
    ...validity(ref, 6, 10, 21),
  });

  return [
    {
      id: 'genuine-td3',
      label: 'Passport (TD3), genuine',
      format: 'TD3',
      scenario: 'genuine',
      mrz: buildMrz('TD3', mrzInput(genuineTd3, 'P', 'UT19880417K3')),
      viz: genuineTd3,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'genuine-td1',
      label: 'Identity card (TD1), genuine',
      format: 'TD1',
      scenario: 'genuine',
      mrz: buildMrz('TD1', mrzInput(td1, 'ID')),
      viz: td1,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'genuine-td2',
      label: 'Identity card (TD2), genuine',
      format: 'TD2',
      scenario: 'genuine',
      mrz: buildMrz('TD2', mrzInput(td2, 'I')),
      viz: td2,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'genuine-mrva',
      label: 'Visa (MRV-A), genuine',
      format: 'MRVA',
      scenario: 'genuine',
      mrz: buildMrz('MRVA', mrzInput(visaA, 'V')),
      viz: visaA,
      light: { ...GENUINE_LIGHT },
      chip: 'no-chip',
    },
    {
      id: 'genuine-mrvb',
      label: 'Visa (MRV-B), genuine',
      format: 'MRVB',
      scenario: 'genuine',
      mrz: buildMrz('MRVB', mrzInput(visaB, 'V')),
      viz: visaB,
      light: { ...GENUINE_LIGHT },
      chip: 'no-chip',
    },
    {
      id: 'expired-td3',
      label: 'Passport (TD3), expired two years ago',
      format: 'TD3',
      scenario: 'expired',
      mrz: buildMrz('TD3', mrzInput(expired, 'P')),
      viz: expired,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'bad-check-digit-td3',
      label: 'Passport (TD3), wrong date-of-birth check digit',
      format: 'TD3',
      scenario: 'bad-check-digit',
      // The composite digit covers the birth date check digit too; it is recomputed over the
      // altered line so that the birth date check is the one and only defect.
      mrz: recomputeComposite('TD3', corruptBirthDateCheck('TD3', buildMrz('TD3', mrzInput(badCheck, 'P')))),
      viz: badCheck,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'unknown-issuer-td3',
      label: 'Passport (TD3), unknown issuing state ZZZ',
      format: 'TD3',
      scenario: 'unknown-issuer',
      mrz: buildMrz('TD3', mrzInput(unknownIssuer, 'P')),
      viz: unknownIssuer,
      light: { ...GENUINE_LIGHT },
      chip: 'genuine',
    },
    {
      id: 'counterfeit-light-td3',
      label: 'Passport (TD3), counterfeit: MRZ invisible in IR, bright paper in UV',
      format: 'TD3',
      scenario: 'counterfeit-light',
      mrz: buildMrz('TD3', mrzInput(counterfeit, 'P')),
      viz: counterfeit,
      light: { irMrzVisible: false, uvDull: false },
      chip: 'genuine',
    },
  ];
}
