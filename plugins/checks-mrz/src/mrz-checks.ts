/**
 * Three checks over the parsed MRZ. They read the result of the SDK's ICAO 9303 parser and turn its
 * per-field codes into lines an officer reads; they never re-implement the rules.
 */
import type { CheckFinding, DocumentCheck, Evidence, InspectionContext, MrzIssue, MrzParseResult } from '@tessera/sdk';

const STRUCTURE_CODES = (code: string) => !code.endsWith('_STATE_UNKNOWN') && code !== 'MRZ_NATIONALITY_UNKNOWN';
const STATE_CODES = (code: string) => code === 'MRZ_ISSUING_STATE_UNKNOWN' || code === 'MRZ_NATIONALITY_UNKNOWN';

const FIELD_LABELS: Record<string, string> = {
  documentNumber: 'document number',
  birthDate: 'date of birth',
  expiryDate: 'date of expiry',
  optionalData1: 'optional data',
  optionalData2: 'optional data (line 2)',
  composite: 'composite (whole MRZ)',
};
const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

function toFindings(issues: MrzIssue[]): CheckFinding[] {
  return issues.map((i) => ({ code: i.code, message: i.message, ...(i.field ? { field: i.field } : {}) }));
}

function noMrz() {
  return { status: 'not_checked' as const, summary: 'No MRZ could be read from the document.', findings: [], evidence: [] };
}

export const checkDigitsCheck: DocumentCheck = {
  id: 'mrz.check-digits',
  title: 'MRZ structure and check digits',
  category: 'mrz',
  run({ mrz }: InspectionContext) {
    if (!mrz) return noMrz();
    const errors = mrz.errors.filter((e) => STRUCTURE_CODES(e.code));
    const evidence: Evidence[] = [
      { kind: 'text', label: 'MRZ', text: mrz.lines.join('\n') },
      ...mrz.checks.map((c): Evidence => ({ kind: 'field', label: `Check digit, ${fieldLabel(c.field)}`, value: c.found ?? '', ...(c.expected !== undefined ? { expected: c.expected } : {}), ok: c.valid })),
    ];
    const corrected = mrz.corrections.length
      ? [{ code: 'MRZ_CORRECTED', message: `${mrz.corrections.length} character(s) were corrected from the OCR reading: ${mrz.corrections.map((c) => `${c.from}→${c.to} (line ${c.line}, col ${c.column})`).join(', ')}.` }]
      : [];
    if (errors.length) {
      const failed = mrz.checks.filter((c) => !c.valid).map((c) => fieldLabel(c.field));
      return {
        status: 'fail' as const,
        summary: failed.length ? `Check digit wrong for: ${failed.join(', ')}.` : `The MRZ does not follow ICAO 9303: ${errors[0]!.message}`,
        findings: [...toFindings(errors), ...corrected],
        evidence,
      };
    }
    return {
      status: corrected.length ? ('warning' as const) : ('pass' as const),
      summary: `${mrz.format} MRZ, all ${mrz.checks.length} check digits correct${corrected.length ? ' after OCR correction' : ''}.`,
      findings: [...toFindings(mrz.warnings), ...corrected],
      evidence,
    };
  },
};

function daysBetween(a: Date, isoDate: string): number {
  return Math.floor((Date.parse(isoDate + 'T00:00:00Z') - Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate())) / 86_400_000);
}

export function createExpiryCheck(warningDays: number): DocumentCheck {
  return {
    id: 'mrz.expiry',
    title: 'Document validity (expiry date)',
    category: 'document',
    run({ mrz, referenceDate }: InspectionContext) {
      if (!mrz?.fields) return noMrz();
      const expiry = mrz.fields.expiryDate;
      if (!expiry) {
        return { status: 'fail' as const, summary: 'The expiry date in the MRZ is missing or not a date.', findings: toFindings(mrz.errors.filter((e) => e.field === 'expiryDate')), evidence: [] };
      }
      const days = daysBetween(referenceDate, expiry);
      const evidence: Evidence[] = [{ kind: 'field', label: 'Date of expiry', value: expiry, ok: days >= 0 }];
      if (days < 0) return { status: 'fail' as const, summary: `The document expired on ${expiry}, ${-days} days ago.`, findings: [{ code: 'DOC_EXPIRED', message: `Expired on ${expiry}.`, field: 'expiryDate' }], evidence };
      if (days <= warningDays) return { status: 'warning' as const, summary: `The document expires on ${expiry}, in ${days} days.`, findings: [{ code: 'DOC_EXPIRES_SOON', message: `Expires in ${days} days.`, field: 'expiryDate' }], evidence };
      return { status: 'pass' as const, summary: `Valid until ${expiry}.`, findings: [], evidence };
    },
  };
}

function describeState(mrz: MrzParseResult, field: 'issuingState' | 'nationality'): string {
  return (mrz.fields?.[field] ?? '').replaceAll('<', '') || '(empty)';
}

export const stateCodesCheck: DocumentCheck = {
  id: 'mrz.state-codes',
  title: 'Issuing state and nationality codes',
  category: 'mrz',
  run({ mrz }: InspectionContext) {
    if (!mrz?.fields) return noMrz();
    const errors = mrz.errors.filter((e) => STATE_CODES(e.code));
    const evidence: Evidence[] = [
      { kind: 'field', label: 'Issuing state', value: describeState(mrz, 'issuingState'), ok: !errors.some((e) => e.code === 'MRZ_ISSUING_STATE_UNKNOWN') },
      { kind: 'field', label: 'Nationality', value: describeState(mrz, 'nationality'), ok: !errors.some((e) => e.code === 'MRZ_NATIONALITY_UNKNOWN') },
    ];
    if (errors.length) return { status: 'fail' as const, summary: errors.map((e) => e.message).join(' '), findings: toFindings(errors), evidence };
    return { status: 'pass' as const, summary: `Issuer ${describeState(mrz, 'issuingState')} and nationality ${describeState(mrz, 'nationality')} are recognised ICAO codes.`, findings: [], evidence };
  },
};
