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

test.run();
