/**
 * A generated document's data page as an image: the document's fields laid out by the shared
 * data-page drawing at a requested resolution, under one light, optionally with the faults of a
 * counterfeit (ordinary ink that vanishes in IR, brightened paper that glows in UV).
 */
import type { LightSource } from '../contracts/reader-driver.js';
import { TesseraError } from '../errors.js';
import { pageGeometry, renderDataPage, MAX_PAGE_SIDE_PX, type DataPageContent } from './data-page.js';
import type { GeneratedDocument } from './generate-documents.js';

export interface RenderDocumentPageOptions {
  light?: LightSource;
  /** Default 300, the resolution of a full-page reader. */
  dpi?: number;
  counterfeit?: { irTransparentMrz?: boolean; brightenedPaper?: boolean };
}

export interface RenderedDocumentPage {
  png: Buffer;
  width: number;
  height: number;
  /** Pixel box around the MRZ characters. */
  mrzRegion: { x: number; y: number; width: number; height: number };
}

export const DEFAULT_DPI = 300;

/** One year before expiry for a visa, ten for other documents: what the VIZ prints as date of issue. */
function issueDateOf(doc: GeneratedDocument): string {
  const years = doc.format === 'MRVA' || doc.format === 'MRVB' ? 1 : 10;
  const expiry = new Date(`${doc.fields.expiryDate}T00:00:00Z`);
  const issued = Date.UTC(expiry.getUTCFullYear() - years, expiry.getUTCMonth(), expiry.getUTCDate() + 1);
  return new Date(issued).toISOString().slice(0, 10);
}

function pageContent(doc: GeneratedDocument, counterfeit: RenderDocumentPageOptions['counterfeit']): DataPageContent {
  const f = doc.fields;
  return {
    id: doc.id,
    format: doc.format,
    mrz: doc.mrz,
    viz: {
      documentType: f.documentCode,
      issuingState: f.issuingState,
      surname: f.surname,
      givenNames: f.givenNames,
      nationality: f.nationality,
      birthDate: f.birthDate,
      sex: f.sex,
      documentNumber: f.documentNumber,
      issueDate: issueDateOf(doc),
      expiryDate: f.expiryDate,
    },
    light: { irMrzVisible: !counterfeit?.irTransparentMrz, uvDull: !counterfeit?.brightenedPaper },
  };
}

/** Renders the data page of `doc` at `dpi` under one light (default white). */
export async function renderDocumentPage(doc: GeneratedDocument, opts: RenderDocumentPageOptions = {}): Promise<RenderedDocumentPage> {
  const dpi = opts.dpi ?? DEFAULT_DPI;
  if (!Number.isFinite(dpi) || dpi <= 0) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `dpi must be a positive number, not ${dpi}.`, { hint: 'Full-page readers image at 300–600 dpi.' });
  }
  const widthMm = pageGeometry(doc.format, 1).widthMm;
  const widthPx = Math.round((widthMm / 25.4) * dpi);
  // Checked here as well as in the drawing so the message can speak of dpi, which the caller chose.
  if (widthPx > MAX_PAGE_SIDE_PX) {
    throw new TesseraError('DOCGEN_PAGE_TOO_LARGE', `At ${dpi} dpi a ${doc.format} page would be ${widthPx} px wide, over the ${MAX_PAGE_SIDE_PX} px limit.`, {
      hint: `Ask for at most ${Math.floor((MAX_PAGE_SIDE_PX * 25.4) / widthMm)} dpi for ${doc.format}; 300 dpi is what a full-page reader delivers.`,
    });
  }
  const { png, geometry } = await renderDataPage(pageContent(doc, opts.counterfeit), opts.light ?? 'white', Math.max(1, widthPx), 1);
  const band = geometry.mrzBand;
  return { png, width: geometry.width, height: geometry.height, mrzRegion: { x: band.left, y: band.top, width: band.width, height: band.height } };
}
