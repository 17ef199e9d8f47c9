/** The error codes of the MRZ OCR plugin, listed in docs/error-codes.md by scripts/generate-docs.ts. */
export const OCR_MRZ_ERROR_CODES = {
  OCR_MRZ_IMAGE_UNREADABLE: 'The image could not be decoded: not a PNG/JPEG/TIFF/WebP image, or a truncated or corrupt file.',
  OCR_MRZ_IMAGE_TOO_LARGE: 'The image has more pixels than the engine accepts (a limit that bounds time and memory).',
  OCR_MRZ_FONT_MISSING: 'The OCR-B font the template recogniser renders its references from is not installed.',
  OCR_MRZ_ENGINE_FAILED: 'The tesseract worker failed to start or to recognise a line.',
  OCR_MRZ_TIMEOUT: 'Reading one image took longer than the per-image time limit.',
  OCR_MRZ_ABORTED: 'The caller aborted the read.',
} as const;

export type OcrMrzErrorCode = keyof typeof OCR_MRZ_ERROR_CODES;
