/**
 * Every UI string goes through here. English is complete and the fallback; the workflow issue adds
 * Thai and Arabic (right-to-left) as further catalogues of the same keys.
 */
const en = {
  'app.title': 'Tessera',
  'app.subtitle': 'Secondary inspection workstation',
  'nav.inspect': 'Inspect',
  'nav.history': 'History',
  'nav.plugins': 'Plugins',
  'device.heading': 'Reader',
  'device.none': 'No reader is connected. Connect a reader, or enable the reader simulator plugin.',
  'device.select': 'Device',
  'device.status.ready': 'Ready',
  'device.status.busy': 'Scanning…',
  'device.status.disconnected': 'Disconnected',
  'device.status.error': 'Error',
  'device.refresh': 'Refresh devices',
  'scan.button': 'Scan document',
  'scan.running': 'Scanning and checking…',
  'scan.failed': 'The scan failed',
  'result.heading': 'Result',
  'result.empty': 'Place a document on the reader and press Scan.',
  'result.overall.pass': 'All automatic checks passed',
  'result.overall.warning': 'Passed with warnings',
  'result.overall.fail': 'One or more checks failed',
  'result.overall.incomplete': 'Not every check could be completed',
  'result.took': 'Checked in {ms} ms',
  'result.report': 'Download PDF report',
  'result.document': 'Document',
  'result.checks': 'Checks',
  'result.databases': 'Databases',
  'result.images': 'Page images',
  'result.mrzSource.device': 'MRZ read by the device',
  'result.mrzSource.ocr': 'MRZ read by OCR',
  'result.mrzSource.entered': 'MRZ entered with the scan',
  'result.mrzSource.none': 'No MRZ read',
  'result.noMrz': 'No MRZ could be read from this document.',
  'ocr.heading': 'MRZ read by OCR',
  'ocr.crop': 'MRZ on the page',
  'ocr.crop.engine': 'The band the OCR engine read',
  'ocr.crop.region': 'Cut from the page image ({light}) where the engine found the MRZ',
  'ocr.crop.none': 'The engine did not report where it found the MRZ; compare with the whole page below.',
  'ocr.engine': 'OCR engine',
  'ocr.confidence': 'Confidence',
  'ocr.ambiguous': 'Ambiguous MRZ reading: the OCR engine could not rule out {count} other reading(s). Compare the marked characters with the document before relying on the MRZ.',
  'ocr.unambiguous': 'No other reading was possible.',
  'ocr.candidates': 'Candidate readings (differences marked)',
  'ocr.candidate.used': 'Reading used',
  'ocr.candidate.other': 'Alternative {n}',
  'interop.hitBanner': 'Database hit: {name}',
  'interop.record.status': 'Status',
  'interop.record.reportingCountry': 'Reporting country',
  'interop.record.reference': 'Reference',
  'interop.record.score': 'Match score',
  'interop.checkedAt': 'Checked',
  'interop.dataAsOf': 'Data as of {date} ({age} old)',
  'interop.retry': 'Retry',
  'interop.retrying': 'Retrying…',
  'interop.mustConfirm': 'A hit must be confirmed with the issuing country before any action is taken.',
  'interop.confirmation': 'Confirmation with the issuing country',
  'interop.confirmation.none': 'Not yet recorded',
  'interop.confirmation.record': 'Record confirmation',
  'interop.confirmation.update': 'Update confirmation',
  'interop.confirmation.outcome': 'Outcome',
  'interop.confirmation.reference': 'Reference of the confirmation',
  'interop.confirmation.referenceHint': 'Required for confirmed and not confirmed',
  'interop.confirmation.note': 'Note',
  'interop.confirmation.save': 'Save confirmation',
  'interop.confirmation.cancel': 'Cancel',
  'interop.confirmation.by': '{outcome} — by {officer}, {when}',
  'interop.confirmation.history': 'Earlier entries',
  'confirmation.confirmed': 'Confirmed',
  'confirmation.not_confirmed': 'Not confirmed (false match)',
  'confirmation.pending': 'Pending',
  'record.stolen': 'Stolen',
  'record.lost': 'Lost',
  'record.revoked': 'Revoked',
  'record.invalid': 'Invalid',
  'record.stolen_blank': 'Stolen blank',
  'status.pass': 'Pass',
  'status.warning': 'Warning',
  'status.fail': 'Fail',
  'status.not_applicable': 'Not applicable',
  'status.not_checked': 'Not checked',
  'status.error': 'Error',
  'outcome.hit': 'Hit',
  'outcome.no_hit': 'No hit',
  'outcome.not_checked': 'Not checked',
  'light.white': 'White',
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
  'field.format': 'Format',
  'evidence.expected': 'expected {value}',
  'evidence.ok': 'correct',
  'evidence.notOk': 'wrong',
  'evidence.item': 'Item',
  'evidence.value': 'Value',
  'evidence.verdict': 'Verdict',
  'chip.heading': 'Chip',
  'chip.evidenceOf': 'Evidence: {check}',
  'chip.noEvidence': 'This check recorded no evidence.',
  'face.heading': 'Face comparison',
  'face.hint': 'Compare the printed photo with the portrait stored in the chip: they must show the same person.',
  'face.page': 'Printed photo',
  'face.page.source': 'Data page, white light',
  'face.page.wholePage': 'Whole data page: the reader did not locate the photo',
  'face.page.none': 'No white-light image of the data page was captured.',
  'face.chip': 'Portrait in the chip',
  'face.chip.source': 'Chip, data group 2 (DG2)',
  'face.chip.none': 'No portrait was read from the chip.',
  'history.heading': 'Past inspections',
  'history.search': 'Document number or surname',
  'history.empty': 'No inspections yet.',
  'history.when': 'When',
  'history.document': 'Document',
  'history.name': 'Name',
  'history.result': 'Result',
  'history.open': 'Open',
  'plugins.heading': 'Plugins',
  'plugins.state': 'State',
  'plugins.error': 'Problem',
  'plugins.state.started': 'Running',
  'plugins.state.failed': 'Failed',
  'plugins.state.disabled': 'Disabled',
  'plugins.state.initialized': 'Initialised',
  'plugins.state.registered': 'Registered',
  'plugins.state.stopped': 'Stopped',
  'shortcuts.heading': 'Keyboard',
  'shortcuts.scan': 'scan',
  'shortcuts.nextCheck': 'next / previous check',
  'shortcuts.open': 'show evidence',
  'shortcuts.report': 'PDF report',
  'shortcuts.chip': 'chip verdicts',
  'shortcuts.databases': 'database results',
  'shortcuts.views': 'inspect / history / plugins',
  'error.network': 'The workstation service does not answer. Is the Tessera host running?',
} as const;

export type MessageKey = keyof typeof en;
const catalogues: Record<string, Partial<Record<MessageKey, string>>> = { en };

let locale = 'en';

export function setLocale(next: string): void {
  locale = catalogues[next] ? next : 'en';
  document.documentElement.lang = locale;
  document.documentElement.dir = ['ar', 'fa', 'he', 'ur'].includes(locale) ? 'rtl' : 'ltr';
}

export function getLocale(): string {
  return locale;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[locale]?.[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A duration as the largest whole unit an officer reads at a glance: 45 min, 5 h, 3 d. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const [value, unit] = minutes < 120 ? [minutes, 'minute'] : minutes < 72 * 60 ? [Math.round(minutes / 60), 'hour'] : [Math.round(minutes / 1440), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}
