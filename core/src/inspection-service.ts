/**
 * The inspection pipeline: capture on a reader → MRZ (from the device, else an OCR engine) → ICAO 9303
 * parse → every DocumentCheck → every InteropConnector, in parallel and each with a time limit → stored.
 * Connectors are asked about the document and, when they screen persons, about the holder named in the MRZ.
 * One failing check or connector becomes an 'error' / 'not checked' line; it never sinks the inspection.
 * Afterwards the officer can query a connector again that could not be checked, and record the issuing
 * country's confirmation of a hit; both update the stored inspection and are audit-logged.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  HIT_CONFIRMATION_OUTCOMES,
  TesseraError,
  describeError,
  isTesseraError,
  parseMrz,
  personQueryFromMrz,
  type AuditLog,
  type BcpInfo,
  type Evidence,
  type HitConfirmation,
  type HitConfirmationOutcome,
  type RecordedCheckResult,
  type RecordedEvidence,
  type Clock,
  type InspectionContext,
  type InspectionOcr,
  type InspectionReportModel,
  type InteropConnector,
  type InteropResult,
  type Logger,
  type MrzOcrResult,
  type MrzParseResult,
  type PageImage,
  type PluginMigration,
  type RecordedMrzOcr,
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
  interop: InspectionInteropResult[];
  /** The officer's confirmations of hits with the issuing country, oldest first (kept in their own table). */
  hitConfirmations?: HitConfirmation[];
  overall: OverallStatus;
  images: StoredImage[];
  timings: Record<string, number>;
}

/**
 * A connector's result as stored, with the connector's display name for the officer; `query` is 'person'
 * for a person screening (absent for a document query, as in records stored before person queries).
 */
export type InspectionInteropResult = InteropResult & { connectorName?: string; query?: InteropQueryKind };

export type InteropQueryKind = 'document' | 'person';
const INTEROP_QUERY_KINDS: readonly InteropQueryKind[] = ['document', 'person'];

/** Whether the connector answers this kind of query: it says so in `queries` and has the method. */
function offers(connector: InteropConnector, kind: InteropQueryKind): boolean {
  return connector.queries.includes(kind) && typeof (kind === 'document' ? connector.queryDocument : connector.queryPerson) === 'function';
}

const queryKindOf = (result: InspectionInteropResult): InteropQueryKind => result.query ?? 'document';

/**
 * What the officer needs to judge an MRZ read by OCR (the SDK's shape, so report templates read it
 * too). The crop is the engine's own (core has no image library); when an engine gives none, `region`
 * on the stored page image is enough for the UI and the report to cut it out (`mrzOcrRegion`).
 */
export type InspectionMrzOcr = RecordedMrzOcr;

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
  {
    name: '0003-hit-confirmations',
    async up(knex) {
      // A row per entry, never updated: pending → confirmed is two rows, so the record shows who said what when.
      await knex.schema.createTable('hit_confirmations', (t) => {
        t.increments('id').primary();
        t.string('inspection_id', 36).notNullable().references('id').inTable('inspections').onDelete('CASCADE').index();
        t.string('connector_id', 200).notNullable();
        t.string('outcome', 16).notNullable();
        t.string('officer', 200).notNullable();
        t.string('recorded_at', 32).notNullable();
        t.string('reference', 200).notNullable();
        t.text('note').notNullable();
      });
    },
  },
];

/** Longest reference and note a confirmation may carry (the HTTP schema says the same). */
export const HIT_CONFIRMATION_LIMITS = { reference: 200, note: 2000 } as const;

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

  private async runConnectors(context: InspectionContext, actor: string): Promise<InspectionInteropResult[]> {
    const queries: Array<Promise<InspectionInteropResult>> = [];
    for (const { item } of this.opts.registry.list('connectors')) {
      for (const kind of INTEROP_QUERY_KINDS) {
        if (offers(item, kind)) queries.push(this.queryConnector(item, kind, context.mrz, context.referenceDate, context.inspectionId, actor, context.signal));
      }
    }
    return Promise.all(queries);
  }

  /**
   * One connector's document or person query for an inspection: its result, or 'not checked' with the
   * reason — never a throw. A person query is built from the MRZ by the SDK's `personQueryFromMrz`.
   */
  private async queryConnector(
    connector: InteropConnector,
    kind: InteropQueryKind,
    mrz: MrzParseResult | null,
    referenceDate: Date,
    inspectionId: string,
    actor: string,
    signal: AbortSignal,
  ): Promise<InspectionInteropResult> {
    const fields = mrz?.fields;
    const named = (result: InteropResult): InspectionInteropResult => ({ ...result, connectorId: connector.id, connectorName: connector.displayName, ...(kind === 'person' ? { query: kind } : {}) });
    const notChecked = (reason: string) => named({ connectorId: connector.id, outcome: 'not_checked', reason, records: [], checkedAt: this.opts.clock.now().toISOString() });
    const context = { actor, purpose: 'border-control', signal };
    let asking: () => Promise<InteropResult>;
    if (kind === 'document') {
      if (!fields?.documentNumber || !fields.issuingState) return notChecked('No document number could be read from the MRZ, so the database was not queried.');
      const query = { documentNumber: fields.documentNumber, issuingState: fields.issuingState.replaceAll('<', ''), documentType: fields.documentCode.replaceAll('<', '') };
      asking = () => connector.queryDocument!(query, context);
    } else {
      const query = personQueryFromMrz(fields, { referenceDate });
      if (!query) return notChecked('No surname could be read from the MRZ, so the person was not screened.');
      asking = () => connector.queryPerson!(query, context);
    }
    try {
      const result = await withDeadline(Promise.resolve().then(asking), this.opts.connectorTimeoutMs, connector.displayName);
      await this.auditQuery(actor, connector.id, kind, inspectionId, result.outcome);
      return named(result);
    } catch (error) {
      await this.auditQuery(actor, connector.id, kind, inspectionId, 'not_checked');
      return notChecked(`${connector.displayName} could not be queried: ${describeError(error)}. Retry, or check by another channel.`);
    }
  }

  /**
   * Query again a connector whose result was 'not checked' (unreachable service, timeout), replace its
   * result in the stored inspection and recompute the overall status. A hit or no hit stands: it is
   * not re-queried here, so a confirmed hit cannot be silently replaced.
   */
  async retryConnector(inspectionId: string, connectorId: string, actor: string, signal: AbortSignal = new AbortController().signal): Promise<InspectionRecord> {
    const record = await this.get(inspectionId);
    const previous = this.interopResultOf(record, connectorId);
    // A connector that answers document and person queries has a line for each: the ones not checked are asked again.
    const retried = record.interop.filter((r) => r.connectorId === connectorId && r.outcome === 'not_checked');
    if (!retried.length) {
      throw new TesseraError('TSR_INTEROP_NOT_RETRYABLE', `The ${connectorId} result of inspection ${inspectionId} is "${previous.outcome}", not "not_checked"; only a result that could not be checked is queried again.`, {
        hint: 'A hit is settled by confirming it with the issuing country, not by querying again.',
      });
    }
    const connector = this.opts.registry.get('connectors', connectorId)?.item;
    const kinds = retried.map(queryKindOf);
    if (!connector || !kinds.every((kind) => offers(connector, kind))) {
      throw new TesseraError('TSR_CONNECTOR_UNAVAILABLE', `The connector ${connectorId} is not enabled on this workstation any more, so it cannot be queried again.`, {
        hint: 'Enable its plugin and restart the host, or check the document by another channel.',
      });
    }
    const results = await Promise.all(kinds.map((kind) => this.queryConnector(connector, kind, record.mrz, new Date(record.createdAt), inspectionId, actor, signal)));
    const updated = await this.opts.knex.transaction(async (trx) => {
      // Re-read inside the transaction: another retry of another connector may have landed meanwhile.
      const current = await this.get(inspectionId, trx);
      current.interop = current.interop.map((r) => (r.connectorId === connectorId && r.outcome === 'not_checked' ? (results.find((n) => queryKindOf(n) === queryKindOf(r)) ?? r) : r));
      current.overall = overallStatus(current.checks, current.interop);
      // Confirmations live in their own table; the stored record is what the pipeline produced, as updated.
      const { hitConfirmations: _fromTheirTable, ...stored } = current;
      await trx('inspections').where({ id: inspectionId }).update({ overall: current.overall, record: JSON.stringify(stored) });
      return current;
    });
    const outcome = results.some((r) => r.outcome === 'hit') ? 'hit' : results.some((r) => r.outcome === 'not_checked') ? 'not_checked' : 'no_hit';
    await this.opts.audit.record({ actor, action: 'interop.retry', subject: inspectionId, purpose: 'border-control', outcome: outcome === 'not_checked' ? 'failure' : 'success', details: { connector: connectorId, outcome, overall: updated.overall } });
    return this.get(inspectionId);
  }

  /**
   * Record what the issuing country said about a hit: confirmed, not confirmed (a false match), or
   * still pending. Only a hit can be confirmed; 'confirmed' and 'not_confirmed' need the reference of
   * the answer. Every entry is kept and audit-logged; the last one is the hit's current state.
   */
  async confirmHit(
    inspectionId: string,
    connectorId: string,
    entry: { outcome: HitConfirmationOutcome; reference?: string; note?: string },
    actor: string,
  ): Promise<InspectionRecord> {
    const record = await this.get(inspectionId);
    // A connector with a document and a person line: the hit, whichever it is, is what gets confirmed.
    const result = record.interop.find((r) => r.connectorId === connectorId && r.outcome === 'hit') ?? this.interopResultOf(record, connectorId);
    if (result.outcome !== 'hit') {
      throw new TesseraError('TSR_HIT_CONFIRMATION_NOT_A_HIT', `The ${connectorId} result of inspection ${inspectionId} is "${result.outcome}": only a hit is confirmed with the issuing country.`, {
        hint: result.outcome === 'not_checked' ? 'Retry the query first; confirm only if it gives a hit.' : 'Nothing to confirm.',
      });
    }
    const reference = (entry.reference ?? '').trim();
    const note = (entry.note ?? '').trim();
    const problems: string[] = [];
    if (!HIT_CONFIRMATION_OUTCOMES.includes(entry.outcome)) problems.push(`the outcome "${String(entry.outcome)}" is not one of ${HIT_CONFIRMATION_OUTCOMES.join(', ')}`);
    if (entry.outcome !== 'pending' && !reference) problems.push(`an outcome "${String(entry.outcome)}" needs the reference of the issuing country's answer`);
    if (reference.length > HIT_CONFIRMATION_LIMITS.reference) problems.push(`the reference is longer than ${HIT_CONFIRMATION_LIMITS.reference} characters`);
    if (note.length > HIT_CONFIRMATION_LIMITS.note) problems.push(`the note is longer than ${HIT_CONFIRMATION_LIMITS.note} characters`);
    if (problems.length) {
      throw new TesseraError('TSR_HIT_CONFIRMATION_INVALID', `The confirmation cannot be recorded: ${problems.join('; ')}.`, {
        hint: 'Record "pending" while the answer is awaited; "confirmed" or "not_confirmed" with the reference the issuing country gave.',
      });
    }
    await this.opts.knex('hit_confirmations').insert({
      inspection_id: inspectionId,
      connector_id: connectorId,
      outcome: entry.outcome,
      officer: actor,
      recorded_at: this.opts.clock.now().toISOString(),
      reference,
      note,
    });
    await this.opts.audit.record({ actor, action: 'interop.hit-confirmation', subject: inspectionId, purpose: 'border-control', details: { connector: connectorId, outcome: entry.outcome, reference } });
    return this.get(inspectionId);
  }

  private interopResultOf(record: InspectionRecord, connectorId: string): InspectionInteropResult {
    const result = record.interop.find((r) => r.connectorId === connectorId);
    if (!result) {
      throw new TesseraError('TSR_INTEROP_RESULT_NOT_FOUND', `Inspection ${record.id} has no result from the connector "${connectorId}".`, {
        hint: `Its connectors: ${record.interop.map((r) => r.connectorId).join(', ') || 'none'}.`,
      });
    }
    return result;
  }

  /** Every database query is logged with who asked, why, and what came back — never the names asked about. */
  private async auditQuery(actor: string, connectorId: string, kind: InteropQueryKind, inspectionId: string, outcome: string): Promise<void> {
    await this.opts.audit.record({ actor, action: 'interop.query', subject: inspectionId, purpose: 'border-control', outcome: outcome === 'not_checked' ? 'failure' : 'success', details: { connector: connectorId, query: kind, outcome } });
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

  async get(id: string, knex: Knex = this.opts.knex): Promise<InspectionRecord> {
    const row = (await knex('inspections').where({ id }).first()) as { record: string } | undefined;
    if (!row) {
      throw new TesseraError('TSR_INSPECTION_NOT_FOUND', `No inspection with id "${id}" is stored on this workstation.`, { hint: 'Search the history for the inspection.' });
    }
    const record = JSON.parse(row.record) as InspectionRecord;
    const confirmations = (await knex('hit_confirmations').where({ inspection_id: id }).orderBy('id')) as Array<{ connector_id: string; outcome: HitConfirmationOutcome; officer: string; recorded_at: string; reference: string; note: string }>;
    record.hitConfirmations = confirmations.map((c) => ({ connectorId: c.connector_id, outcome: c.outcome, officer: c.officer, recordedAt: c.recorded_at, reference: c.reference, note: c.note }));
    return record;
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
      mrzSource: record.mrzSource,
      ...(record.mrzOcr ? { mrzOcr: record.mrzOcr } : {}),
      overall: record.overall,
      checks: record.checks,
      interop: record.interop,
      hitConfirmations: record.hitConfirmations ?? [],
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
