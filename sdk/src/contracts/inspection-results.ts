/**
 * What an inspection records beyond the checks, read the same way by the officer UI and every report
 * template: how an MRZ read by OCR was read (engine, confidence, candidate readings, where on the page),
 * and the officer's confirmation of a database hit with the issuing country. Pure: safe in a browser.
 */
import type { LightSource, PageRegion } from './reader-driver.js';

/**
 * How the MRZ was read from a page image, when the inspection's MRZ came from OCR: which engine, how
 * sure it was, what else it could have read, and where on which page.
 */
export interface RecordedMrzOcr {
  engineId: string;
  /** 0–1, the engine's overall confidence. */
  confidence: number;
  /** The engine could not rule out other readings: `alternatives` lists them, and the officer must compare with the document. */
  ambiguous: boolean;
  alternatives: string[][];
  /** The page image the MRZ was read from. */
  page: { light: LightSource; page: string };
  /** Where the MRZ band lies on that page, in its pixels. */
  region: { x: number; y: number; width: number; height: number } | null;
  /** The MRZ band as a data: URL, when the engine cropped it. */
  cropDataUrl: string | null;
}

/**
 * The OCR region as a page region to show, for `regionCropCss`: widened by a margin of a fifth of its
 * height on every side (engines box the glyphs tightly, and an officer compares whole characters),
 * kept inside the image; null when the region does not lie inside the image.
 */
export function mrzOcrRegion(ocr: Pick<RecordedMrzOcr, 'region'>, image: { width?: number; height?: number }): PageRegion | null {
  const r = ocr.region;
  if (!r || image.width === undefined || image.height === undefined) return null;
  const inside = r.x >= 0 && r.y >= 0 && r.width > 0 && r.height > 0 && r.x + r.width <= image.width && r.y + r.height <= image.height;
  if (!inside) return null;
  const margin = Math.round(r.height / 5);
  const left = Math.max(0, r.x - margin);
  const top = Math.max(0, r.y - margin);
  return { role: 'mrz', left, top, width: Math.min(image.width, r.x + r.width + margin) - left, height: Math.min(image.height, r.y + r.height + margin) - top };
}

/**
 * For each candidate reading, which characters differ from the first (the reading the inspection
 * used): per line, per character, true where they differ. A character missing in one of the two
 * counts as different, so readings of unequal length are marked too.
 */
export function mrzReadingDifferences(readings: ReadonlyArray<readonly string[]>): boolean[][][] {
  const base = readings[0] ?? [];
  return readings.map((lines) =>
    lines.map((line, l) => {
      const other = base[l] ?? '';
      return [...line].map((ch, i) => ch !== other[i]);
    }),
  );
}

export type HitConfirmationOutcome = 'confirmed' | 'not_confirmed' | 'pending';
export const HIT_CONFIRMATION_OUTCOMES: readonly HitConfirmationOutcome[] = ['confirmed', 'not_confirmed', 'pending'];

/**
 * A database hit must be confirmed with the issuing country before any action: the officer records
 * what the country answered (or that the answer is pending), its reference, and a note. Entries are
 * kept in order; the last one for a connector is the current state.
 */
export interface HitConfirmation {
  connectorId: string;
  outcome: HitConfirmationOutcome;
  /** The officer who recorded it. */
  officer: string;
  /** ISO 8601, when it was recorded. */
  recordedAt: string;
  /** The issuing country's (or the channel's) reference for the confirmation. */
  reference: string;
  note: string;
}

/** The current confirmation of each connector's hit: its last entry. */
export function latestHitConfirmation(confirmations: readonly HitConfirmation[] | undefined, connectorId: string): HitConfirmation | null {
  const mine = (confirmations ?? []).filter((c) => c.connectorId === connectorId);
  return mine[mine.length - 1] ?? null;
}
