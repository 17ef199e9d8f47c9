/**
 * @tessera/sdk/docgen — the document image generator: synthetic data pages of every ICAO format in
 * OCR-B, in white, IR and UV light, with valid and deliberately invalid MRZs and a seeded set of
 * realistic degradations. For tests, benchmarks and the reader simulator's specimens; a separate
 * entry because it loads sharp, which plugins that never draw a page do not need.
 */
export {
  DEFAULT_PAGE_WIDTH_PX,
  MAX_PAGE_SIDE_PX,
  OCRB_FONT_PATH,
  assertOcrBFontInstalled,
  dataPageSvg,
  pageGeometry,
  renderDataPage,
  type DataPageContent,
  type DocFormat,
  type PageGeometry,
  type PixelBox,
  type RenderedDataPage,
} from './data-page.js';
export { DOCGEN_ERROR_CODES, type DocgenErrorCode } from './docgen-errors.js';
export { DOC_FORMATS, generateDocuments, type GenerateDocumentsOptions, type GeneratedDocument } from './generate-documents.js';
export { DEFAULT_DPI, renderDocumentPage, type RenderDocumentPageOptions, type RenderedDocumentPage } from './render-document-page.js';
export { DEGRADATIONS, DEGRADATION_RANGES, degrade, type DegradedImage, type Degradation } from './degrade.js';
export { generateOcrCorpus, type OcrCorpusPage } from './ocr-corpus.js';
