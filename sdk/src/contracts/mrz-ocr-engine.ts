/** Reads the MRZ from a page image, for readers that capture images but read no MRZ themselves. */
import type { PageImage } from './reader-driver.js';

export interface MrzOcrResult {
  /** Recognised lines, best reading first; empty when no MRZ was found. */
  lines: string[];
  /** 0–1, the engine's overall confidence. */
  confidence: number;
  /** Per line, per character confidence 0–1, when the engine gives it. */
  characterConfidences?: number[][];
  /** Where the MRZ band was found, in image pixels. */
  region?: { x: number; y: number; width: number; height: number };
  /** Other readings the engine could not rule out. */
  alternatives?: string[][];
  /**
   * The MRZ band cut out of the page (upright, as the engine read it), for the officer to compare
   * with the reading; the host stores it with the inspection. Engines that cannot crop leave it out
   * and the host keeps `region` only.
   */
  crop?: { mediaType: 'image/png' | 'image/jpeg'; data: Uint8Array };
}

export interface MrzOcrEngine {
  readonly id: string;
  readonly displayName: string;
  recognize(image: PageImage, options?: { signal?: AbortSignal }): Promise<MrzOcrResult>;
}
