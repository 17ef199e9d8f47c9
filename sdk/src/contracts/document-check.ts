/**
 * One automatic check of a scanned document: MRZ rules, expiry, light sources, chip, … Each returns
 * a status and evidence a person can read; a check never decides alone, it informs the officer.
 */
import type { MrzParseResult } from '../mrz/index.js';
import type { PageImage, ScanResult } from './reader-driver.js';
import type { MrzOcrResult } from './mrz-ocr-engine.js';

export type CheckStatus = 'pass' | 'warning' | 'fail' | 'not_applicable' | 'not_checked' | 'error';
export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'warning', 'fail', 'not_applicable', 'not_checked', 'error'];

export type CheckCategory = 'mrz' | 'document' | 'light' | 'chip' | 'database' | 'other';

/**
 * What an image of evidence shows, so the UI and reports can place it without knowing the check:
 * 'portrait' is the holder's face as the document stores it (e.g. the chip's DG2), shown beside the
 * photo printed on the page.
 */
export type EvidenceImageRole = 'portrait';

export type Evidence =
  | { kind: 'field'; label: string; value: string; expected?: string; ok?: boolean }
  | { kind: 'text'; label: string; text: string }
  | { kind: 'image'; label: string; mediaType: 'image/png' | 'image/jpeg'; data: Uint8Array; role?: EvidenceImageRole };

/** Evidence as stored with the inspection and given to the UI and report templates: images become data: URLs, so a record is plain JSON. */
export type RecordedEvidence = Exclude<Evidence, { kind: 'image' }> | { kind: 'image'; label: string; dataUrl: string; role?: EvidenceImageRole };

export interface CheckFinding {
  /** Stable code, e.g. MRZ_CHECK_DIGIT_BIRTH_DATE or DOC_EXPIRED. */
  code: string;
  message: string;
  field?: string;
}

export interface CheckResult {
  checkId: string;
  status: CheckStatus;
  /** One sentence for the overview line. */
  summary: string;
  findings: CheckFinding[];
  evidence: Evidence[];
  durationMs?: number;
}

/** A check result as stored and shown. */
export interface RecordedCheckResult extends Omit<CheckResult, 'evidence'> {
  evidence: RecordedEvidence[];
}

export interface BcpInfo {
  code: string;
  name: string;
  /** ICAO 3-letter code of the country operating the BCP. */
  country: string;
}

export interface InspectionContext {
  inspectionId: string;
  scan: ScanResult;
  /** The parsed MRZ, or null when none could be read. */
  mrz: MrzParseResult | null;
  /** "Now" for date rules; fixed in tests. */
  referenceDate: Date;
  bcp: BcpInfo | null;
  signal: AbortSignal;
  /**
   * The host's MRZ OCR engine, for checks that read the MRZ from another page or light (the IR
   * MRZ against the white one); absent when no OCR engine is loaded.
   */
  ocr?: InspectionOcr;
}

/**
 * MRZ reading offered to checks by the host. Readings are kept per page for the inspection, so
 * asking for the page the host has already read (the white page, when the device read no MRZ)
 * costs nothing, and several checks asking for the same page share one recognition.
 */
export interface InspectionOcr {
  /** The id of the engine that reads, as contributed to ocrEngines. */
  readonly engineId: string;
  recognize(page: PageImage): Promise<MrzOcrResult>;
}

export interface DocumentCheck {
  /** Unique, dotted, e.g. 'mrz.check-digits'. Must be declared in the manifest's contributes.checks. */
  readonly id: string;
  readonly title: string;
  readonly category: CheckCategory;
  /** How long the host lets this check run before reporting it as an error; default 5 s. */
  readonly timeoutMs?: number;
  run(context: InspectionContext): Promise<Omit<CheckResult, 'checkId' | 'durationMs'>> | Omit<CheckResult, 'checkId' | 'durationMs'>;
}
