// The standard report's HTML: complete, escaped (MRZ text is hostile input), and laid out right to left for Arabic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseMrz, type InspectionReportModel } from '@tessera/sdk';
import { createStandardReport, escapeHtml } from './standard-report.js';

function model(overrides: Partial<InspectionReportModel> = {}): InspectionReportModel {
  return {
    inspectionId: 'insp-1',
    createdAt: '2026-11-25T10:00:00Z',
    device: { id: 'simulator:fpr-1', vendor: 'Tessera', model: 'FPR-1' },
    bcp: { code: 'BKK-AIR', name: 'Suvarnabhumi Airport', country: 'THA' },
    officer: 'officer.1',
    mrz: parseMrz(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'], { referenceDate: new Date('2011-01-01') }),
    overall: 'fail',
    checks: [
      { checkId: 'mrz.expiry', title: 'Document validity', category: 'document', status: 'fail', summary: 'Expired <b>yesterday</b>', findings: [{ code: 'DOC_EXPIRED', message: 'Expired.' }], evidence: [{ kind: 'field', label: 'Date of expiry', value: '2012-04-15', ok: false }] },
    ],
    interop: [{ connectorId: 'sltd', outcome: 'not_checked', reason: 'Service unreachable', records: [], checkedAt: '2026-11-25T10:00:00Z' }],
    images: [{ light: 'uv', page: 'data-page', dataUrl: 'data:image/png;base64,AAAA' }],
    locale: 'en',
    generatedAt: '2026-11-25T10:05:00Z',
    ...overrides,
  };
}

const template = createStandardReport('Royal Thai Immigration');

test('the report names the inspection, the BCP, the officer, every check, database and image', async () => {
  const html = await template.render(model());
  for (const text of ['insp-1', 'Suvarnabhumi Airport', 'officer.1', 'Royal Thai Immigration', 'Document validity', 'DOC_EXPIRED', 'sltd', 'Service unreachable', 'Ultraviolet', 'ERIKSSON', 'L898902C3', 'One or more checks FAILED']) {
    assert.ok(html.includes(text), `missing ${text}`);
  }
});

test('every value is escaped: markup in a check summary or the MRZ never becomes markup', async () => {
  const html = await template.render(model());
  assert.not.ok(html.includes('<b>yesterday</b>'));
  assert.ok(html.includes('&lt;b&gt;yesterday&lt;/b&gt;'));
  assert.ok(html.includes('P&lt;UTOERIKSSON&lt;&lt;ANNA'));
  assert.is(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
});

test('Arabic reports are right to left; the MRZ stays left to right', async () => {
  const html = await template.render(model({ locale: 'ar' }));
  assert.match(html, /<html lang="ar" dir="rtl">/);
  assert.match(html, /\.mrz \{[^}]*direction: ltr/);
});

test('without an MRZ the report says so instead of an empty table', async () => {
  const html = await template.render(model({ mrz: null, overall: 'incomplete' }));
  assert.ok(html.includes('No MRZ could be read.'));
  assert.ok(html.includes('Not every check could be completed'));
});

const PORTRAIT = 'data:image/jpeg;base64,/9j/4AAQSkZJRg==';
const PAGE = 'data:image/png;base64,iVBORw0KGgo=';
type ReportCheck = InspectionReportModel['checks'][number];
const chipCheck = (checkId: string, title: string, status: ReportCheck['status'], evidence: ReportCheck['evidence'] = [], findings: ReportCheck['findings'] = []): ReportCheck =>
  ({ checkId, title, category: 'chip', status, summary: `${title}: ${status}`, findings, evidence });

function chipModel(): InspectionReportModel {
  return model({
    overall: 'fail',
    checks: [
      { checkId: 'mrz.expiry', title: 'Document validity', category: 'document', status: 'pass', summary: 'Valid.', findings: [], evidence: [] },
      chipCheck('chip.active-auth', 'Chip is not a copy (Active Authentication)', 'fail', [{ kind: 'field', label: 'Algorithm', value: 'RSA ISO 9796-2' }], [{ code: 'CHIP_AA_FAILED', message: 'The signature does not verify.' }]),
      chipCheck('chip.access', 'Chip access and reading', 'pass', [{ kind: 'image', label: 'Portrait from the chip', dataUrl: PORTRAIT, role: 'portrait' }, { kind: 'field', label: 'Access control', value: 'BAC' }]),
      chipCheck('chip.passive-auth', 'Chip data signed by the issuing state (Passive Authentication)', 'pass', [
        { kind: 'field', label: 'Document signer (DSC)', value: 'CN=Utopia DS <1>, C=UT — serial 0a' },
        { kind: 'field', label: 'Country signing CA (CSCA)', value: 'CN=Utopia CSCA, C=UT' },
        { kind: 'field', label: 'DG1 hash', value: 'matches', ok: true },
        { kind: 'field', label: 'DG2 hash', value: 'differs', ok: false },
      ]),
    ],
    images: [
      { light: 'white', page: 'data-page', dataUrl: PAGE, width: 1250, height: 880, regions: [{ role: 'portrait', left: 50, top: 100, width: 250, height: 400 }] },
      { light: 'uv', page: 'data-page', dataUrl: PAGE, width: 1250, height: 880 },
    ],
  });
}

test('a chip read gives a chip section: both faces, the printed photo cropped to the box the reader located', async () => {
  const html = await template.render(chipModel());
  const section = html.slice(html.indexOf('<h2>Chip (eMRTD)</h2>'), html.indexOf('<h2>Checks</h2>'));
  assert.ok(section.length > 0, 'chip section before the checks');
  assert.ok(section.includes(`src="${PORTRAIT}"`), 'chip portrait');
  assert.ok(section.includes('Chip, data group 2 (DG2)') && section.includes('Data page, white light'));
  // 1250 / 250 = 500 % wide, shifted left 50 / 250 = 20 % and up 100 / 400 = 25 %.
  assert.match(section, new RegExp(`<img src="${PAGE.replace(/[+/]/g, '\\$&')}" style="position:absolute;max-width:none;width:500%;left:-20%;top:-25%"`));
});

test('the chip section lists PA before AA with the key evidence as a table, escaped; the checks table points to it', async () => {
  const html = await template.render(chipModel());
  const section = html.slice(html.indexOf('<h2>Chip (eMRTD)</h2>'), html.indexOf('<h2>Checks</h2>'));
  const order = ['chip.access', 'chip.passive-auth', 'chip.active-auth'].map((id) => section.indexOf(`>${id}<`));
  assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!)), `order ${order}`);
  assert.ok(section.includes('<th>Document signer (DSC)</th><td>CN=Utopia DS &lt;1&gt;, C=UT — serial 0a</td>'));
  assert.ok(section.includes('<th>Country signing CA (CSCA)</th><td>CN=Utopia CSCA, C=UT</td>'));
  assert.match(section, /<th>DG2 hash<\/th><td>differs<\/td><td class="mark"><span class="bad">✖ wrong<\/span>/);
  assert.match(section, /<th>DG1 hash<\/th><td>matches<\/td><td class="mark"><span class="ok">✔ correct<\/span>/);
  assert.ok(section.includes('CHIP_AA_FAILED'));
  // The portrait appears once, in the face comparison, not again as evidence.
  assert.is(html.split(PORTRAIT).length - 1, 1);
  const checks = html.slice(html.indexOf('<h2>Checks</h2>'));
  assert.is(checks.split('Evidence: see the chip section.').length - 1, 3);
  assert.not.ok(checks.includes('Utopia CSCA'));
});

test('without a located photo the whole page is shown and said so; without a portrait, the gap is named', async () => {
  const m = chipModel();
  m.images = [{ light: 'white', page: 'data-page', dataUrl: PAGE }];
  m.checks = m.checks.map((c) => ({ ...c, evidence: c.evidence.filter((e) => e.kind !== 'image') }));
  const html = await template.render(m);
  assert.ok(html.includes(`<img class="face-img" src="${PAGE}" alt="">`));
  assert.ok(html.includes('Whole data page: the reader did not locate the photo'));
  assert.ok(html.includes('No portrait was read from the chip.'));
});

test('no chip section when no chip was read', async () => {
  const noChip = model({ checks: [chipCheck('chip.access', 'Chip access and reading', 'not_applicable')] });
  const html = await template.render(noChip);
  assert.not.ok(html.includes('Chip (eMRTD)'));
  assert.not.ok(html.includes('see the chip section'));
  assert.not.ok((await template.render(model())).includes('Chip (eMRTD)'));
});

const OCR_LINES = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
function ocrModel(ocr: Partial<NonNullable<InspectionReportModel['mrzOcr']>> = {}): InspectionReportModel {
  return model({
    mrzSource: 'ocr',
    mrzOcr: { engineId: 'ocr-mrz', confidence: 0.9125, ambiguous: false, alternatives: [], page: { light: 'white', page: 'data-page' }, region: { x: 125, y: 704, width: 1000, height: 88 }, cropDataUrl: null, ...ocr },
    images: [{ light: 'white', page: 'data-page', dataUrl: PAGE, width: 1250, height: 880 }],
  });
}

test('an MRZ read by OCR: the band cut from the page at the engine\'s region, the engine, its confidence and the source', async () => {
  const html = await template.render(ocrModel());
  assert.ok(html.includes('<th>MRZ source</th><td>read by OCR from the page image</td>'));
  const section = html.slice(html.indexOf('<h3>MRZ read by OCR</h3>'), html.indexOf('<h2>Checks</h2>'));
  assert.ok(section.length > 0);
  // The region widened by 88 / 5 ≈ 18 px each side: 107,686 1036×124. 1250 / 1036 = 120.66 % wide,
  // shifted left 107 / 1036 = 10.33 % and up 686 / 124 = 553.23 %.
  assert.ok(section.includes('style="position:absolute;max-width:none;width:120.66%;left:-10.33%;top:-553.23%"'), section);
  assert.ok(section.includes('aspect-ratio:1036 / 124'));
  assert.ok(section.includes('<td>ocr-mrz</td>') && section.includes('<td>91.3 %</td>'));
  assert.ok(section.includes('No other reading was possible.'));
  assert.not.ok(section.includes('AMBIGUOUS'));
  // The engine's own crop wins over cutting the page; a crop that is not an image data: URL is dropped.
  const withCrop = await template.render(ocrModel({ cropDataUrl: 'data:image/png;base64,QUJD' }));
  assert.ok(withCrop.includes('<img src="data:image/png;base64,QUJD" alt=""><figcaption>The MRZ band as the OCR engine read it'));
  const hostile = await template.render(ocrModel({ cropDataUrl: 'https://example.invalid/x.png', region: null }));
  assert.not.ok(hostile.includes('example.invalid'));
  assert.ok(hostile.includes('The engine did not report where it found the MRZ.'));
  // Device-read MRZs have no OCR section.
  assert.not.ok((await template.render(model())).includes('MRZ read by OCR'));
});

test('an ambiguous OCR reading is flagged, and every candidate is shown with the differing characters marked', async () => {
  const alternative = [OCR_LINES[0]!, OCR_LINES[1]!.replace('L898902C3', 'L8989O2C3')];
  const html = await template.render(ocrModel({ ambiguous: true, alternatives: [alternative] }));
  assert.ok(html.includes('AMBIGUOUS MRZ READING'));
  const candidates = html.slice(html.indexOf('<div class="candidates">'));
  assert.ok(candidates.includes('Reading used') && candidates.includes('Alternative 1'));
  // Position 5 of line 2: '0' in the reading used, 'O' in the alternative; both marked, nothing else.
  assert.is(candidates.split('<mark>').length - 1, 2);
  assert.ok(candidates.includes('L8989<mark>0</mark>2C3') && candidates.includes('L8989<mark>O</mark>2C3'));
});

test('a database hit shows each record and its confirmation state: none yet is a warning; entries in order with officer, reference and note', async () => {
  const hit = {
    connectorId: 'interpol.sltd',
    connectorName: 'INTERPOL SLTD',
    outcome: 'hit' as const,
    records: [{ status: 'stolen_blank', reportingCountry: 'UTO', reference: 'SLTD-<42>', details: { 'Reported on': '2026-03-02' } }],
    checkedAt: '2026-11-25T10:00:00Z',
  };
  const unconfirmed = await template.render(model({ interop: [hit], hitConfirmations: [] }));
  for (const text of ['INTERPOL SLTD', 'Stolen blank', 'Reporting country', 'SLTD-&lt;42&gt;', 'Reported on', '2026-03-02', 'NOT YET CONFIRMED']) assert.ok(unconfirmed.includes(text), text);
  const confirmed = await template.render(
    model({
      interop: [hit],
      hitConfirmations: [
        { connectorId: 'interpol.sltd', outcome: 'pending', officer: 'officer.1', recordedAt: '2026-11-25T10:10:00Z', reference: '', note: 'Asked by phone' },
        { connectorId: 'interpol.sltd', outcome: 'confirmed', officer: 'officer.2', recordedAt: '2026-11-25T10:40:00Z', reference: 'UTO-NCB-55', note: 'Hold the <document>' },
        { connectorId: 'other', outcome: 'not_confirmed', officer: 'x', recordedAt: '2026-11-25T10:40:00Z', reference: 'OTHER-REF', note: '' },
      ],
    }),
  );
  assert.not.ok(confirmed.includes('NOT YET CONFIRMED'));
  assert.match(confirmed, /<div class="confirmation confirmed">Confirmation with the issuing country: <b>Confirmed — by officer\.2, [^<]+ UTC · Reference: UTO-NCB-55 · Note: Hold the &lt;document&gt;<\/b>/);
  assert.match(confirmed, /Earlier entries: Pending — by officer\.1/);
  assert.not.ok(confirmed.includes('OTHER-REF'), "another connector's entries are not shown under this one");
});

test.run();
