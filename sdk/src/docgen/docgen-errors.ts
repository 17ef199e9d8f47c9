/** The error codes the document image generator throws, with a one-line description each for the documentation. */

export const DOCGEN_ERROR_CODES = {
  DOCGEN_FONT_MISSING: 'The OCR-B font (Debian package fonts-ocr-b) is not installed, so no MRZ can be drawn; run `apt-get install fonts-ocr-b`.',
  DOCGEN_PAGE_TOO_LARGE: 'The requested resolution gives a page over 20000 pixels on a side (or not a whole number of pixels).',
  DOCGEN_OPTIONS_INVALID: 'An option of the generator is out of range: seed, count, formats, invalid share, dpi, degradation kind or corpus size.',
} as const;

export type DocgenErrorCode = keyof typeof DOCGEN_ERROR_CODES;
