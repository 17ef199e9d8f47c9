/**
 * The simulator's page images: each specimen's data page under white, infrared and ultraviolet
 * light, drawn by the SDK's document generator (the same drawing the OCR tests and benchmarks
 * use) and wrapped as the PageImage a reader driver delivers.
 */
import { LIGHT_SOURCES, type LightSource, type PageImage, type PageRegion } from '@tessera/sdk';
import { dataPageSvg, pageGeometry, renderDataPage, type PageGeometry } from '@tessera/sdk/docgen';
import type { SpecimenDocument } from './specimen-catalogue.js';

/** Bump whenever the drawing changes, so cached page images from older renderers are not served (2: drawn by the SDK docgen, background and document as two layers). */
export const RENDERER_VERSION = 2;

export const DEFAULT_PAGE_WIDTH_PX = 1250;

export const ALL_LIGHTS: readonly LightSource[] = LIGHT_SOURCES;

export { pageGeometry };

/** The portrait and MRZ boxes a full-page reader reports with its images, so crops need no detection. */
export function pageRegions(geometry: PageGeometry): PageRegion[] {
  return [
    { role: 'portrait', ...geometry.portrait },
    { role: 'mrz', ...geometry.mrzBand },
  ];
}

/** Builds the SVG of the data page under one light; for previews and debugging. */
export function specimenPageSvg(doc: SpecimenDocument, light: LightSource, widthPx = DEFAULT_PAGE_WIDTH_PX): string {
  return dataPageSvg(doc, light, widthPx);
}

/** Renders the data page of `doc` under each requested light (default: white, IR, UV) as PNG. */
export async function renderSpecimenPages(
  doc: SpecimenDocument,
  options: { lights?: LightSource[]; widthPx?: number } = {},
): Promise<PageImage[]> {
  const lights = options.lights?.length ? options.lights : [...ALL_LIGHTS];
  return Promise.all(lights.map((light) => renderSpecimenPage(doc, light, options.widthPx)));
}

/** One page under one light. */
export async function renderSpecimenPage(doc: SpecimenDocument, light: LightSource, widthPx = DEFAULT_PAGE_WIDTH_PX): Promise<PageImage> {
  // A reader images at a fixed, modest resolution; anything outside this range is a caller's mistake.
  if (!Number.isInteger(widthPx) || widthPx < 200 || widthPx > 6000) throw new RangeError(`widthPx must be an integer between 200 and 6000, not ${widthPx}`);
  const { png, geometry } = await renderDataPage(doc, light, widthPx);
  return {
    light,
    page: 'data-page',
    mediaType: 'image/png',
    data: new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
    width: geometry.width,
    height: geometry.height,
    dpi: geometry.dpi,
    regions: pageRegions(geometry),
  };
}
