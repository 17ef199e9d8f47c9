/**
 * The seeded OCR test set: every document format under every degradation, the same pages on every
 * run, generated lazily so a benchmark of hundreds of pages never holds more than one in memory.
 */
import { TesseraError } from '../errors.js';
import { DEGRADATIONS, degrade, type Degradation } from './degrade.js';
import { DOC_FORMATS, generateDocuments, type GeneratedDocument } from './generate-documents.js';
import { DEFAULT_DPI, renderDocumentPage } from './render-document-page.js';

export interface OcrCorpusPage {
  /** `<document id>-<degradation>`. */
  id: string;
  doc: GeneratedDocument;
  degradation: Degradation;
  params: Record<string, number | string>;
  image: Buffer;
  mimeType: string;
  /** Resolution of `image` (the scale degradations change it). */
  dpi: number;
}

/**
 * formats × degradations × `perFormatAndDegradation` pages (11 gives 605). Document i has format
 * i mod 5 and degradation ⌊i / 5⌋ mod 11, so every pair gets the same number of pages; 10% of the
 * documents carry one wrong check digit, as generateDocuments does by default.
 */
export async function* generateOcrCorpus(opts: { seed: number; perFormatAndDegradation: number }): AsyncGenerator<OcrCorpusPage> {
  const { seed, perFormatAndDegradation } = opts;
  if (!Number.isInteger(perFormatAndDegradation) || perFormatAndDegradation < 0 || perFormatAndDegradation > 1000) {
    throw new TesseraError('DOCGEN_OPTIONS_INVALID', `perFormatAndDegradation must be a whole number from 0 to 1000, not ${perFormatAndDegradation}.`);
  }
  const docs = generateDocuments({ seed, count: DOC_FORMATS.length * DEGRADATIONS.length * perFormatAndDegradation, formats: [...DOC_FORMATS] });
  for (const [i, doc] of docs.entries()) {
    const degradation = DEGRADATIONS[Math.floor(i / DOC_FORMATS.length) % DEGRADATIONS.length];
    const page = await renderDocumentPage(doc, { dpi: DEFAULT_DPI });
    // Seeds spread apart per page so neighbouring pages do not draw correlated parameters.
    const degraded = await degrade(page.png, degradation, { seed: Math.imul(seed ^ 0x9e3779b9, 31) + i * 7919 });
    const dpi = typeof degraded.params.dpi === 'number' ? degraded.params.dpi : DEFAULT_DPI;
    yield { id: `${doc.id}-${degradation}`, doc, degradation, params: degraded.params, image: degraded.image, mimeType: degraded.mimeType, dpi };
  }
}
