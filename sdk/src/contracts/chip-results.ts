/**
 * Reading a recorded inspection's chip results the same way in the officer UI and every report
 * template: the two faces of the face comparison — the portrait a check stored (the chip's DG2) and
 * the photo printed on the white-light page, in the box the reader located — and the chip checks in
 * reading order. Pure: no I/O, safe in a browser.
 */
import type { RecordedEvidence } from './document-check.js';
import type { LightSource, PageRegion } from './reader-driver.js';

export interface RecordedPortrait {
  dataUrl: string;
  label: string;
  checkId: string;
  /** The portrait came from a chip check, i.e. from the chip's DG2. */
  fromChip: boolean;
}

/**
 * The portrait stored in the document: image evidence with `role: 'portrait'`, else (checks written
 * before the role existed) the first image evidence of a chip check. Only image data: URLs qualify.
 */
export function findRecordedPortrait(checks: ReadonlyArray<{ checkId: string; category: string; evidence: readonly RecordedEvidence[] }>): RecordedPortrait | null {
  const images = checks.flatMap((c) => c.evidence.flatMap((e) => (e.kind === 'image' ? [{ e, c }] : [])));
  const found = images.find(({ e }) => e.role === 'portrait') ?? images.find(({ c }) => c.category === 'chip');
  if (!found || !/^data:image\/(png|jpeg);base64,/.test(found.e.dataUrl)) return null;
  return { dataUrl: found.e.dataUrl, label: found.e.label, checkId: found.c.checkId, fromChip: found.c.category === 'chip' };
}

type LocatedImage = { light: LightSource; page: string; width?: number; height?: number; regions?: readonly PageRegion[] };

/**
 * The printed photo: the white-light image of the data page and the portrait box the reader reported
 * on it, or `region: null` (show the whole page) when none was reported or it lies outside the image.
 */
export function findPrintedPortrait<T extends LocatedImage>(images: readonly T[]): { image: T; region: PageRegion | null } | null {
  const white = images.filter((i) => i.light === 'white');
  const image = white.find((i) => i.regions?.some((r) => r.role === 'portrait')) ?? white.find((i) => i.page === 'data-page') ?? white[0];
  if (!image) return null;
  const inside = (r: PageRegion) =>
    image.width !== undefined && image.height !== undefined && r.left >= 0 && r.top >= 0 && r.width > 0 && r.height > 0 && r.left + r.width <= image.width && r.top + r.height <= image.height;
  return { image, region: image.regions?.find((r) => r.role === 'portrait' && inside(r)) ?? null };
}

/**
 * Inline CSS that shows only `region` of an image: a frame with the region's aspect ratio clips the
 * image, scaled so the region fills the frame and shifted so the region's corner is the frame's.
 */
export function regionCropCss(region: PageRegion, image: { width: number; height: number }): { frame: string; image: string } {
  const pct = (n: number) => `${Math.round(n * 10000) / 100}%`;
  return {
    frame: `position:relative;overflow:hidden;aspect-ratio:${region.width} / ${region.height}`,
    // top in % refers to the frame's height, left and width to its width.
    image: `position:absolute;max-width:none;width:${pct(image.width / region.width)};left:${pct(-region.left / region.width)};top:${pct(-region.top / region.height)}`,
  };
}

/** Access, then the data, then the proofs that build on it (AA and CA count only after PA); other chip checks after them. */
const CHIP_CHECK_ORDER = ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth'];

/** The chip checks (category 'chip') in the order an officer reads them. */
export function chipChecksInOrder<T extends { checkId: string; category: string }>(checks: readonly T[]): T[] {
  const rank = (id: string) => (CHIP_CHECK_ORDER.includes(id) ? CHIP_CHECK_ORDER.indexOf(id) : CHIP_CHECK_ORDER.length);
  return checks.filter((c) => c.category === 'chip').sort((a, b) => rank(a.checkId) - rank(b.checkId) || a.checkId.localeCompare(b.checkId));
}

/** A chip was read, or reading it was tried: some chip check is other than 'not_applicable' (which says there was no chip). */
export function chipWasRead(checks: ReadonlyArray<{ category: string; status: string }>): boolean {
  return checks.some((c) => c.category === 'chip' && c.status !== 'not_applicable');
}
