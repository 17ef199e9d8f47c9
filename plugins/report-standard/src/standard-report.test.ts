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

test.run();
