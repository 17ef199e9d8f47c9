// Which faces the face comparison shows, the CSS crop of the printed photo, and the chip checks' order, from records alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RecordedCheckResult } from './document-check.js';
import type { PageImage } from './reader-driver.js';
import { chipChecksInOrder, chipWasRead, findPrintedPortrait, findRecordedPortrait, regionCropCss } from './chip-results.js';

type InspectionCheck = RecordedCheckResult & { category: string };
type StoredImage = Omit<PageImage, 'data' | 'dpi'>;

const JPEG = 'data:image/jpeg;base64,/9j/4AAQ';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function check(checkId: string, category: string, evidence: InspectionCheck['evidence'] = [], status: InspectionCheck['status'] = 'pass'): InspectionCheck {
  return { checkId, category, status, summary: '', findings: [], evidence };
}

const page = (over: Partial<StoredImage> = {}): StoredImage => ({ light: 'white', page: 'data-page', mediaType: 'image/png', width: 1250, height: 880, ...over });

test('the portrait is the image evidence marked as portrait, wherever it is', () => {
  const checks = [
    check('light.uv', 'light', [{ kind: 'image', label: 'UV detail', dataUrl: PNG }]),
    check('chip.access', 'chip', [{ kind: 'image', label: 'Chip scan', dataUrl: PNG }]),
    check('vendor.face', 'other', [{ kind: 'image', label: 'Portrait from the chip', dataUrl: JPEG, role: 'portrait' }]),
  ];
  assert.equal(findRecordedPortrait(checks), { dataUrl: JPEG, label: 'Portrait from the chip', checkId: 'vendor.face', fromChip: false });
});

test('without a portrait role, the first image of a chip check is taken; page images of other checks are not', () => {
  const checks = [check('light.uv', 'light', [{ kind: 'image', label: 'UV detail', dataUrl: PNG }]), check('chip.access', 'chip', [{ kind: 'field', label: 'x', value: 'y' }, { kind: 'image', label: 'Portrait from the chip', dataUrl: JPEG }])];
  assert.equal(findRecordedPortrait(checks)?.checkId, 'chip.access');
  assert.ok(findRecordedPortrait(checks)?.fromChip);
  assert.is(findRecordedPortrait([checks[0]!]), null);
});

test('a portrait that is not an image data: URL is refused', () => {
  assert.is(findRecordedPortrait([check('chip.access', 'chip', [{ kind: 'image', label: 'p', dataUrl: 'https://example.org/face.jpg', role: 'portrait' }])]), null);
});

test('the printed photo is the located portrait box on the white page; without a box, the whole page', () => {
  const box = { role: 'portrait' as const, left: 56, top: 120, width: 260, height: 334 };
  const located = findPrintedPortrait([page({ light: 'ir', regions: [box] }), page({ regions: [{ role: 'mrz', left: 0, top: 700, width: 1200, height: 120 }, box] })]);
  assert.is(located?.image.light, 'white');
  assert.equal(located?.region, box);
  const unlocated = findPrintedPortrait([page()]);
  assert.is(unlocated?.region, null);
  assert.is(findPrintedPortrait([page({ light: 'uv' })]), null);
});

test('a box reaching outside the image is ignored rather than cropping nonsense', () => {
  const r = findPrintedPortrait([page({ regions: [{ role: 'portrait', left: 1100, top: 0, width: 300, height: 300 }] })]);
  assert.is(r?.region, null);
});

test('cropCss scales the page so the box fills the frame and shifts its corner to the frame corner', () => {
  const css = regionCropCss({ role: 'portrait', left: 50, top: 100, width: 250, height: 400 }, { width: 1000, height: 800 });
  assert.match(css.frame, /aspect-ratio:250 \/ 400/);
  // 1000/250 = 4 frame widths; -50/250 = -20 % of the width; -100/400 = -25 % of the frame height.
  assert.match(css.image, /width:400%;left:-20%;top:-25%/);
});

test('chip checks: access, DG1, PA, AA, CA in reading order; other categories left out', () => {
  const ids = chipChecksInOrder([check('chip.chip-auth', 'chip'), check('mrz.expiry', 'mrz'), check('chip.passive-auth', 'chip'), check('chip.zz-vendor', 'chip'), check('chip.access', 'chip'), check('chip.active-auth', 'chip'), check('chip.dg1-mrz', 'chip')]).map((c) => c.checkId);
  assert.equal(ids, ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth', 'chip.zz-vendor']);
  assert.ok(chipWasRead([check('chip.access', 'chip', [], 'fail')]));
  assert.not.ok(chipWasRead([check('chip.access', 'chip', [], 'not_applicable'), check('mrz.expiry', 'mrz')]));
});

test.run();
