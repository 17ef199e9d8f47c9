/**
 * The inspection pipeline: capture on a reader → MRZ (from the device, else an OCR engine) → ICAO 9303
 * parse → every DocumentCheck → every InteropConnector, in parallel and each with a time limit → stored.
 * One failing check or connector becomes an 'error' / 'not checked' line; it never sinks the inspection.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  TesseraError,
  describeError,
  isTesseraError,
  parseMrz,
  type AuditLog,
  type BcpInfo,
  type Evidence,
  type RecordedCheckResult,
  type RecordedEvidence,
  type Clock,
  type InspectionContext,
  type InspectionOcr,
  type InspectionReportModel,
  type InteropResult,
  type Logger,
  type MrzOcrResult,
  type MrzParseResult,
  type PageImage,
  type PluginMigration,
  type ReaderDeviceInfo,
  type ScanResult,
} from '@tessera/sdk';
import type { ExtensionRegistry } from './extension-registry.js';

export type OverallStatus = InspectionReportModel['overall'];

export interface InspectionCheck extends RecordedCheckResult {
  title: string;
  category: string;
  pluginId: string;
}

export interface StoredImage {
  light: PageImage['light'];
  page: string;
  mediaType: PageImage['mediaType'];
  width: number;
  height: number;
  regions?: PageImage['regions'];
}

export interface InspectionRecord {
  id: string;
  createdAt: string;
  actor: string;
  device: Pick<ReaderDeviceInfo, 'id' | 'vendor' | 'model'> | null;
  bcp: BcpInfo | null;
  /** 'entered': given with the scan request (typed by the officer, or the page reader's MRZ for a chip-only reader). */
  mrzSource: 'device' | 'entered' | 'ocr' | 'none';
  mrz: MrzParseResult | null;
  /** How the MRZ was read from the page image, when mrzSource is 'ocr'. */
  mrzOcr?: InspectionMrzOcr;
  checks: InspectionCheck[];
  interop: InteropResult[];
  overall: OverallStatus;
  images: StoredImage[];
  timings: Record<string, number>;
}

/**
 * What the officer needs to judge an MRZ read by OCR: which engine, how sure it was, what else it
 * could have read, and where on which page. The crop is the engine's own (core has no image library);
 * when an engine gives none, `region` on the stored page image is enough for the UI to cut it out.
 */
export interface InspectionMrzOcr {
  engineId: string;
  /** 0–1, the engine's overall confidence. */
  confidence: number;
  /** The engine could not rule out other readings: `alternatives` lists them, and the officer must compare with the document. */
  ambiguous: boolean;
  alternatives: string[][];
  /** The page image the MRZ was read from (as in `images`). */
  page: { light: PageImage['light']; page: string };
  /** Where the MRZ band lies on that page, in its pixels. */
  region: { x: number; y: number; width: number; height: number } | null;
  /** The MRZ band as a data: URL, when the engine cropped it. */
  cropDataUrl: string | null;
}

export interface DeviceListing {
  devices: Array<ReaderDeviceInfo & { driverId: string }>;
  /** Drivers that could not list their devices, with why. */
  driverErrors: Array<{ driverId: string; message: string }>;
}

export const inspectionMigrations: PluginMigration[] = [
  {
    name: '0002-inspections',
    async up(knex) {
      await knex.schema.createTable('inspections', (t) => {
        t.string('id', 36).primary();
        t.string('created_at', 32).notNullable().index();
        t.string('actor', 200).notNullable();
        t.string('overall', 16).notNullable().index();
        t.string('document_number', 40).nullable().index();
        t.string('issuing_state', 3).nullable();
        t.string('surname', 120).nullable().index();
        t.string('given_names', 120).nullable();
        t.text('record').notNullable();
      });
      await knex.schema.createTable('inspection_images', (t) => {
        t.increments('id').primary();
        t.string('inspection_id', 36).notNullable().references('id').inTable('inspections').onDelete('CASCADE').index();
        t.string('light', 8).notNullable();
        t.string('page', 40).notNullable();
        t.string('media_type', 20).notNullable();
        t.integer('width').notNullable();
        t.integer('height').notNullable();
        t.binary('data').notNullable();
      });
    },
  },
];

const STATUS_RANK: Record<string, number> = { fail: 4, error: 3, not_checked: 3, warning: 2, pass: 1, not_applicable: 0 };

export function overallStatus(checks: Array<{ status: string }>, interop: InteropResult[]): OverallStatus {
  let worst = 0;
  for (const c of checks) worst = Math.max(worst, STATUS_RANK[c.status] ?? 0);
  for (const r of interop) worst = Math.max(worst, r.outcome === 'hit' ? 4 : r.outcome === 'not_checked' ? 3 : 1);
  return worst >= 4 ? 'fail' : worst === 3 ? 'incomplete' : worst === 2 ? 'warning' : 'pass';
}

function isImageBytes(image: PageImage): boolean {
  const d = image.data;
  if (!(d instanceof Uint8Array) || d.length < 8) return false;
  if (image.mediaType === 'image/png') return d[0] === 0x89 && d[1] === 0x50 && d[2] === 0x4e && d[3] === 0x47;
  if (image.mediaType === 'image/jpeg') return d[0] === 0xff && d[1] === 0xd8;
  return false;
}

/** Check a driver's result against the contract before anything downstream trusts it. */
export function validateScanResult(driverId: string, result: ScanResult): void {
  const problems: string[] = [];
  if (!result || typeof result !== 'object') problems.push('the result is not an object');
  else {
    if (!Array.isArray(result.pages)) problems.push('pages is not an array');
    else
      result.pages.forEach((p, i) => {
        if (!['white', 'ir', 'uv'].includes(p.light)) problems.push(`pages[${i}].light "${String(p.light)}" is not white, ir or uv`);
        if (!isImageBytes(p)) problems.push(`pages[${i}] is not a ${String(p.mediaType)} image (bad or missing bytes)`);
        if (!(p.width > 0 && p.height > 0)) problems.push(`pages[${i}] has no size`);
        if (p.regions !== undefined && !(Array.isArray(p.regions) && p.regions.every((r) => r && r.left >= 0 && r.top >= 0 && r.width > 0 && r.height > 0 && r.left + r.width <= p.width && r.top + r.height <= p.height))) {
          problems.push(`pages[${i}].regions are not boxes inside the image`);
        }
      });
    if (result.mrz && (!Array.isArray(result.mrz.lines) || result.mrz.lines.some((l) => typeof l !== 'string'))) problems.push('mrz.lines is not a list of strings');
  }
  if (problems.length) {
    throw new TesseraError('TSR_SCAN_RESULT_INVALID', `Reader driver ${driverId} returned an invalid scan: ${problems.join('; ')}.`, {
      hint: 'This is a driver defect; report it to the driver vendor. Nothing was stored.',
    });
  }
}

function ocrRecord(engineId: string, page: PageImage, reading: MrzOcrResult): InspectionMrzOcr {
  const alternatives = (reading.alternatives ?? []).filter((a) => a.join('\n') !== reading.lines.join('\n'));
  return {
    engineId,
    confidence: reading.confidence,
    ambiguous: alternatives.length > 0,
    alternatives,
    page: { light: page.light, page: page.page },
    region: reading.region ?? null,
    cropDataUrl: reading.crop ? `data:${reading.crop.mediaType};base64,${Buffer.from(reading.crop.data).toString('base64')}` : null,
  };
}

function recordEvidence(e: Evidence): RecordedEvidence {
  if (e.kind !== 'image') return e;
  return { kind: 'image', label: e.label, dataUrl: `data:${e.mediaType};base64,${Buffer.from(e.data).toString('base64')}`, ...(e.role ? { role: e.role } : {}) };
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface InspectionServiceOptions {
  knex: Knex;
  registry: ExtensionRegistry;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  bcp: BcpInfo | null;
  checkTimeoutMs?: number;
  connectorTimeoutMs?: number;
  listTimeoutMs?: number;
}

export class InspectionService {
  private readonly deviceDriver = new Map<string, string>();
  private readonly opts: Required<Pick<InspectionServiceOptions, 'checkTimeoutMs' | 'connectorTimeoutMs' | 'listTimeoutMs'>> & InspectionServiceOptions;

  constructor(options: InspectionServiceOptions) {
    this.opts = { checkTimeoutMs: 5000, connectorTimeoutMs: 8000, listTimeoutMs: 3000, ...options };
  }

  async listDevices(): Promise<DeviceListing> {
    const listing: DeviceListing = { devices: [], driverErrors: [] };
    await Promise.all(
      this.opts.registry.list('readers').map(async ({ item: driver }) => {
        try {
          const devices = await withDeadline(driver.listDevices(), this.opts.listTimeoutMs, `Reader driver ${driver.id}`);
          for (const d of devices) {
            this.deviceDriver.set(d.id, driver.id);
            listing.devices.push({ ...d, driverId: driver.id });
          }
        } catch (error) {
          listing.driverErrors.push({ driverId: driver.id, message: describeError(error) });
        }
      }),
    );
    listing.devices.sort((a, b) => a.id.localeCompare(b.id));
    return listing;
  }

  private async driverFor(deviceId: string) {
    if (!this.deviceDriver.has(deviceId)) await this.listDevices();
    const driverId = this.deviceDriver.get(deviceId);
    const driver = driverId ? this.opts.registry.get('readers', driverId) : undefined;
    if (!driver) {
      throw new TesseraError('TSR_READER_DEVICE_NOT_FOUND', `No connected reader has the device id "${deviceId}".`, {
        hint: 'Refresh the device list; the reader may have been unplugged or its plugin disabled.',
      });
    }
    return driver.item;
  }

  /**
   * Scan on a device and run the whole pipeline; resolves with the stored inspection. `mrz` is the
   * document's MRZ as the officer supplies it, used when the device reads none: a chip-only reader
   * needs it for the chip's access key, as a workstation with a separate chip reader takes it from
   * the page reader or the keyboard.
   */
  async scan(request: { deviceId: string; actor: string; lights?: PageImage['light'][]; mrz?: string[]; signal?: AbortSignal }): Promise<InspectionRecord> {
    const t0 = performance.now();
    const timings: Record<string, number> = {};
    const mark = (name: string, since: number) => (timings[name] = Math.round((performance.now() - since) * 10) / 10);
    const driver = await this.driverFor(request.deviceId);
    const signal = request.signal ?? new AbortController().signal;
    let scan: ScanResult;
    try {
      scan = await driver.scan(request.deviceId, { ...(request.lights ? { lights: request.lights } : {}), signal });
    } catch (error) {
      await this.opts.audit.record({ actor: request.actor, action: 'inspection.scan', subject: request.deviceId, outcome: 'failure', details: { error: describeError(error) } });
      // The host's own codes pass through; a driver's private codes (CCID_*, …) become TSR_READER_FAILED with the cause named.
      if (isTesseraError(error) && error.code.startsWith('TSR_')) throw error;
      throw new TesseraError('TSR_READER_FAILED', `The reader ${driver.displayName} failed while scanning: ${describeError(error)}`, {
        cause: error,
        hint: 'Check the document lies flat on the glass and the device is connected, then scan again.',
      });
    }
    try {
      return await this.processScan(scan, driver, request, t0, timings, mark, signal);
    } finally {
      // Whatever happens downstream, the chip link is released, or the reader stays busy.
      await scan.chip?.close().catch(() => undefined);
    }
  }

  private async processScan(
    scan: ScanResult,
    driver: { id: string },
    request: { deviceId: string; actor: string; mrz?: string[] },
    t0: number,
    timings: Record<string, number>,
    mark: (name: string, since: number) => void,
    signal: AbortSignal,
  ): Promise<InspectionRecord> {
    validateScanResult(driver.id, scan);
    mark('capture', t0);

    const id = randomUUID();
    const tMrz = performance.now();
    let mrzLines: string[] | null = scan.mrz?.lines ?? null;
    let mrzSource: InspectionRecord['mrzSource'] = mrzLines ? 'device' : 'none';
    if (!mrzLines && request.mrz?.length) {
      mrzLines = request.mrz;
      mrzSource = 'entered';
    }
    let mrzOcr: InspectionMrzOcr | undefined;
    const ocr = this.inspectionOcr(signal);
    if (!mrzLines) {
      const white = scan.pages.find((p) => p.light === 'white');
      if (ocr && white) {
        try {
          const reading = await ocr.recognize(white);
          if (reading.lines.length) {
            mrzLines = reading.lines;
            mrzSource = 'ocr';
            mrzOcr = ocrRecord(ocr.engineId, white, reading);
          }
        } catch (error) {
          this.opts.logger.warn('MRZ OCR failed', { engine: ocr.engineId, error: describeError(error) });
        }
      }
    }
    const referenceDate = this.opts.clock.now();
    const mrz = mrzLines ? parseMrz(mrzLines, { referenceDate, correct: mrzSource === 'ocr' }) : null;
    mark('mrz', tMrz);

    const context: InspectionContext = { inspectionId: id, scan, mrz, referenceDate, bcp: this.opts.bcp, signal, ...(ocr ? { ocr } : {}) };
    const tChecks = performance.now();
    const [checks, interop] = await Promise.all([this.runChecks(context), this.runConnectors(context, request.actor)]);
    mark('checks', tChecks);

    const record: InspectionRecord = {
      id,
      createdAt: referenceDate.toISOString(),
      actor: request.actor,
      device: await this.deviceSummary(driver.id, request.deviceId),
      bcp: this.opts.bcp,
      mrzSource,
      mrz,
      ...(mrzOcr ? { mrzOcr } : {}),
      checks,
      interop,
      overall: overallStatus(checks, interop),
      images: scan.pages.map((p) => ({ light: p.light, page: p.page, mediaType: p.mediaType, width: p.width, height: p.height, ...(p.regions ? { regions: p.regions } : {}) })),
      timings,
    };
    const tStore = performance.now();
    await this.store(record, scan.pages);
    mark('store', tStore);
    mark('total', t0);
    await this.opts.audit.record({ actor: request.actor, action: 'inspection.scan', subject: id, outcome: 'success', details: { device: request.deviceId, overall: record.overall } });
    return record;
  }

  /**
   * The first OCR engine, wrapped for one inspection: each page is recognised once (with the check
   * time limit) however many times the pipeline and the checks ask, so the IR check comparing with
   * the white MRZ reuses the host's own reading.
   */
  private inspectionOcr(signal: AbortSignal): InspectionOcr | undefined {
    const engine = this.opts.registry.list('ocrEngines')[0]?.item;
    if (!engine) return undefined;
    const readings = new WeakMap<PageImage, Promise<MrzOcrResult>>();
    return {
      engineId: engine.id,
      recognize: (page) => {
        let reading = readings.get(page);
        if (!reading) {
          reading = withDeadline(Promise.resolve().then(() => engine.recognize(page, { signal })), this.opts.checkTimeoutMs, `OCR engine ${engine.id}`);
          readings.set(page, reading);
        }
        return reading;
      },
    };
  }

  private async deviceSummary(driverId: string, deviceId: string): Promise<InspectionRecord['device']> {
    const driver = this.opts.registry.get('readers', driverId)?.item;
    const device = (await driver?.listDevices().catch(() => []))?.find((d) => d.id === deviceId);
    return device ? { id: device.id, vendor: device.vendor, model: device.model } : { id: deviceId, vendor: 'unknown', model: 'unknown' };
  }

  private async runChecks(context: InspectionContext): Promise<InspectionCheck[]> {
    const checks = this.opts.registry.list('checks');
    const results = await Promise.all(
      checks.map(async ({ item: check, pluginId }): Promise<InspectionCheck> => {
        const started = performance.now();
        const base = { checkId: check.id, title: check.title, category: check.category, pluginId };
        try {
          const r = await withDeadline(Promise.resolve().then(() => check.run(context)), check.timeoutMs ?? this.opts.checkTimeoutMs, `Check ${check.id}`);
          return { ...base, ...r, findings: r.findings ?? [], evidence: (r.evidence ?? []).map(recordEvidence), durationMs: Math.round(performance.now() - started) };
        } catch (error) {
          return {
            ...base,
            status: 'error',
            summary: `The check could not run: ${describeError(error)}`,
            findings: [{ code: 'CHECK_FAILED_TO_RUN', message: describeError(error) }],
            evidence: [],
            durationMs: Math.round(performance.now() - started),
          };
        }
      }),
    );
    return results.sort((a, b) => a.category.localeCompare(b.category) || a.checkId.localeCompare(b.checkId));
  }

  private async runConnectors(context: InspectionContext, actor: string): Promise<InteropResult[]> {
    const fields = context.mrz?.fields;
    const connectors = this.opts.registry.list('connectors').filter(({ item }) => item.queries.includes('document') && item.queryDocument);
    return Promise.all(
      connectors.map(async ({ item: connector }): Promise<InteropResult> => {
        const notChecked = (reason: string): InteropResult => ({ connectorId: connector.id, outcome: 'not_checked', reason, records: [], checkedAt: this.opts.clock.now().toISOString() });
        if (!fields?.documentNumber || !fields.issuingState) return notChecked('No document number could be read from the MRZ, so the database was not queried.');
        try {
          const query = { documentNumber: fields.documentNumber, issuingState: fields.issuingState.replaceAll('<', ''), documentType: fields.documentCode.replaceAll('<', '') };
          const result = await withDeadline(connector.queryDocument!(query, { actor, purpose: 'border-control', signal: context.signal }), this.opts.connectorTimeoutMs, connector.displayName);
          await this.auditQuery(actor, connector.id, context.inspectionId, result.outcome);
          return result;
        } catch (error) {
          await this.auditQuery(actor, connector.id, context.inspectionId, 'not_checked');
          return notChecked(`${connector.displayName} could not be queried: ${describeError(error)}. Retry, or check by another channel.`);
        }
      }),
    );
  }

  /** Every database query is logged with who asked, why, and what came back. */
  private async auditQuery(actor: string, connectorId: string, inspectionId: string, outcome: string): Promise<void> {
    await this.opts.audit.record({ actor, action: 'interop.query', subject: inspectionId, purpose: 'border-control', outcome: outcome === 'not_checked' ? 'failure' : 'success', details: { connector: connectorId, outcome } });
  }

  private async store(record: InspectionRecord, pages: PageImage[]): Promise<void> {
    const f = record.mrz?.fields;
    await this.opts.knex.transaction(async (trx) => {
      await trx('inspections').insert({
        id: record.id,
        created_at: record.createdAt,
        actor: record.actor,
        overall: record.overall,
        document_number: f?.documentNumber ?? null,
        issuing_state: f?.issuingState?.replaceAll('<', '') ?? null,
        surname: f?.surname ?? null,
        given_names: f?.givenNames ?? null,
        record: JSON.stringify(record),
      });
      for (const p of pages) {
        await trx('inspection_images').insert({ inspection_id: record.id, light: p.light, page: p.page, media_type: p.mediaType, width: p.width, height: p.height, data: Buffer.from(p.data) });
      }
    });
  }

  async get(id: string): Promise<InspectionRecord> {
    const row = (await this.opts.knex('inspections').where({ id }).first()) as { record: string } | undefined;
    if (!row) {
      throw new TesseraError('TSR_INSPECTION_NOT_FOUND', `No inspection with id "${id}" is stored on this workstation.`, { hint: 'Search the history for the inspection.' });
    }
    return JSON.parse(row.record) as InspectionRecord;
  }

  async list(filter: { documentNumber?: string; surname?: string; limit?: number } = {}): Promise<Array<Pick<InspectionRecord, 'id' | 'createdAt' | 'overall'> & { documentNumber: string | null; surname: string | null; givenNames: string | null }>> {
    const q = this.opts.knex('inspections').select('id', 'created_at', 'overall', 'document_number', 'surname', 'given_names').orderBy('created_at', 'desc').limit(Math.min(filter.limit ?? 50, 500));
    if (filter.documentNumber) q.where('document_number', filter.documentNumber.toUpperCase());
    if (filter.surname) q.where('surname', 'like', `${filter.surname.toUpperCase()}%`);
    const rows = (await q) as Array<{ id: string; created_at: string; overall: OverallStatus; document_number: string | null; surname: string | null; given_names: string | null }>;
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, overall: r.overall, documentNumber: r.document_number, surname: r.surname, givenNames: r.given_names }));
  }

  async image(id: string, light: string, page?: string): Promise<{ mediaType: string; data: Buffer } | null> {
    const q = this.opts.knex('inspection_images').where({ inspection_id: id, light });
    if (page) q.andWhere({ page });
    const row = (await q.first()) as { media_type: string; data: Buffer } | undefined;
    return row ? { mediaType: row.media_type, data: row.data } : null;
  }

  /** Build what a report template renders. */
  async reportModel(id: string, options: { locale: string; officer: string }): Promise<InspectionReportModel> {
    const record = await this.get(id);
    const rows = (await this.opts.knex('inspection_images').where({ inspection_id: id }).orderBy('id')) as Array<{ light: PageImage['light']; page: string; media_type: string; data: Buffer }>;
    return {
      inspectionId: record.id,
      createdAt: record.createdAt,
      device: record.device,
      bcp: record.bcp,
      officer: record.actor || options.officer,
      mrz: record.mrz,
      overall: record.overall,
      checks: record.checks,
      interop: record.interop,
      images: rows.map((r) => {
        const stored = record.images.find((i) => i.light === r.light && i.page === r.page);
        const layout = stored ? { width: stored.width, height: stored.height, ...(stored.regions ? { regions: stored.regions } : {}) } : {};
        return { light: r.light, page: r.page, dataUrl: `data:${r.media_type};base64,${Buffer.from(r.data).toString('base64')}`, ...layout };
      }),
      locale: options.locale,
      generatedAt: this.opts.clock.now().toISOString(),
    };
  }
}
