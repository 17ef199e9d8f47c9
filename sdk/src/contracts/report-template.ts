/**
 * Renders an inspection to a self-contained HTML page, which the host turns into a PDF in Chromium.
 * Agencies add their own template (letterhead, language, fields) as a plugin.
 */
import type { RecordedCheckResult, BcpInfo } from './document-check.js';
import type { InteropResult } from './interop-connector.js';
import type { MrzParseResult } from '../mrz/index.js';
import type { LightSource, PageRegion } from './reader-driver.js';
import type { HitConfirmation, RecordedMrzOcr } from './inspection-results.js';

export interface ReportImage {
  light: LightSource;
  page: string;
  /** A data: URL the template can put straight into an <img>. */
  dataUrl: string;
  /** Pixel size and the regions the reader located, when the inspection recorded them. */
  width?: number;
  height?: number;
  regions?: PageRegion[];
}

export interface InspectionReportModel {
  inspectionId: string;
  createdAt: string;
  device: { id: string; vendor: string; model: string } | null;
  bcp: BcpInfo | null;
  officer: string;
  mrz: MrzParseResult | null;
  /** Where the MRZ came from: the device, entered with the scan, read by OCR from a page image, or none. */
  mrzSource?: 'device' | 'entered' | 'ocr' | 'none';
  /** How the MRZ was read, when mrzSource is 'ocr'. */
  mrzOcr?: RecordedMrzOcr;
  /** overall: the worst status among the checks. */
  overall: 'pass' | 'warning' | 'fail' | 'incomplete';
  checks: Array<RecordedCheckResult & { title: string; category: string }>;
  /** Each connector's result; `connectorName` is its display name when the connector is still enabled. */
  interop: Array<InteropResult & { connectorName?: string }>;
  /** The officer's confirmations of database hits with the issuing country, oldest first. */
  hitConfirmations?: HitConfirmation[];
  images: ReportImage[];
  locale: string;
  generatedAt: string;
}

export interface ReportTemplate {
  /** Declared in the manifest's contributes.reportTemplates. */
  readonly id: string;
  readonly title: string;
  render(model: InspectionReportModel): Promise<string> | string;
  /** Paper format; default A4. */
  readonly paper?: 'A4' | 'Letter';
}
