/** The report's text in each language it supports; English is the fallback for missing keys. */
export const REPORT_MESSAGES = {
  en: {
    title: 'Document inspection report',
    inspection: 'Inspection',
    created: 'Inspected at',
    generated: 'Report generated',
    officer: 'Officer',
    bcp: 'Border crossing point',
    device: 'Reader',
    overall: 'Automatic checks',
    'overall.pass': 'All automatic checks passed',
    'overall.warning': 'Passed with warnings',
    'overall.fail': 'One or more checks FAILED',
    'overall.incomplete': 'Not every check could be completed',
    documentData: 'Document data (from the MRZ)',
    noMrz: 'No MRZ could be read.',
    checks: 'Checks',
    check: 'Check',
    status: 'Result',
    details: 'Details',
    databases: 'Database queries',
    noDatabases: 'No database connector is enabled on this workstation.',
    images: 'Page images',
    'status.pass': 'Pass',
    'status.warning': 'Warning',
    'status.fail': 'Fail',
    'status.not_applicable': 'Not applicable',
    'status.not_checked': 'Not checked',
    'status.error': 'Error',
    'outcome.hit': 'HIT',
    'outcome.no_hit': 'No hit',
    'outcome.not_checked': 'Not checked',
    'light.white': 'White light',
    'light.ir': 'Infrared',
    'light.uv': 'Ultraviolet',
    'field.documentCode': 'Document code',
    'field.issuingState': 'Issuing state',
    'field.documentNumber': 'Document number',
    'field.surname': 'Surname',
    'field.givenNames': 'Given names',
    'field.nationality': 'Nationality',
    'field.birthDate': 'Date of birth',
    'field.sex': 'Sex',
    'field.expiryDate': 'Date of expiry',
    'field.optionalData1': 'Optional data',
    'field.format': 'MRZ format',
    disclaimer: 'Automatic checks support, and do not replace, the examination and decision of a trained officer.',
  },
} as const;

export type ReportMessageKey = keyof (typeof REPORT_MESSAGES)['en'];

export function reportTranslator(locale: string): (key: ReportMessageKey) => string {
  const table = (REPORT_MESSAGES as Record<string, Partial<Record<ReportMessageKey, string>>>)[locale.split('-')[0]!] ?? {};
  return (key) => table[key] ?? REPORT_MESSAGES.en[key];
}
