/**
 * SLTD snapshot and delta files (see FORMAT.md): gzip NDJSON with a header line, one record or change
 * per line, and a trailer line carrying the record count and the SHA-256 of everything before it.
 * The writers serve the reference service; the reader streams a file for the offline store, checking
 * the header, every line and the trailer, and turning each way a file can be damaged into its own code.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip, createGunzip } from 'node:zlib';
import { SLTD_STATUSES, normaliseDocumentNumber, normaliseDocumentType, normaliseIssuingState, type SltdRecord, type SltdStatus } from '../records.js';
import { isValidIsoDate } from './key-codec.js';
import { TesseraError } from '@tessera/sdk';
import { sltdError } from './errors.js';

export const SLTD_FILE_FORMAT = 'tessera-sltd';
export const SLTD_FILE_VERSION = 1;

export interface SnapshotHeaderInput { snapshotId: string; sequence: number; dataAsOf: string }
export interface DeltaHeaderInput { baseSequence: number; sequence: number; dataAsOf: string }

/** `records` / `changes` announce the count when the writer knew it up front; the trailer always has it. */
export interface SnapshotHeader extends SnapshotHeaderInput { format: typeof SLTD_FILE_FORMAT; kind: 'snapshot'; version: number; records?: number }
export interface DeltaHeader extends DeltaHeaderInput { format: typeof SLTD_FILE_FORMAT; kind: 'delta'; version: number; changes?: number }
export type SltdFileHeader = SnapshotHeader | DeltaHeader;

/** A record's identity inside a delta: the type is required, since a change names one document. */
export interface SltdRecordKey { documentNumber: string; issuingState: string; documentType: string }

export type SltdChange =
  | { op: 'add'; record: SltdRecord }
  | ({ op: 'remove' } & SltdRecordKey)
  | ({ op: 'status'; status: SltdStatus } & SltdRecordKey);

export interface WrittenFile { records: number; sha256: string; bytes: number }
/** gzipLevel: 1 (fast, ~25% larger) to 9; default 6. */
export interface WriteOptions { gzipLevel?: number }

const STATE_PATTERN = /^[A-Z]{1,3}$/;
const TYPE_PATTERN = /^[A-Z0-9]{1,2}$/;
const STATUSES = new Set<string>(SLTD_STATUSES);

/**
 * The same error with a different location in front ("record: …" → "snapshot.gz line 7: …"), so the
 * hot import loop can check with a constant location and build the real one only on failure.
 */
export function relocateError(error: unknown, from: string, to: string): unknown {
  if (!(error instanceof TesseraError) || !error.message.startsWith(`${from}: `)) return error;
  return new TesseraError(error.code, `${to}: ${error.message.slice(from.length + 2)}`, { ...(error.hint ? { hint: error.hint } : {}) });
}

function invalid(what: string, where: string): never {
  throw sltdError('SLTD_RECORD_INVALID', `${where}: ${what}.`, 'Fix the producer of the file: every record needs documentNumber, issuingState, documentType and status (see FORMAT.md).');
}

function requiredString(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(`"${field}" is missing or not a string`, where);
  return value;
}

function optionalString(value: unknown, field: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') invalid(`"${field}" is not a string`, where);
  return value;
}

function checkStatus(value: unknown, where: string): SltdStatus {
  if (typeof value !== 'string' || !STATUSES.has(value)) invalid(`"status" must be one of ${SLTD_STATUSES.join(', ')}, got ${JSON.stringify(value)}`, where);
  return value as SltdStatus;
}

/** The identity fields of a record or change, normalised and checked. */
export function checkRecordKey(value: Record<string, unknown>, where: string): SltdRecordKey {
  const documentNumber = normaliseDocumentNumber(requiredString(value.documentNumber, 'documentNumber', where));
  if (!documentNumber) invalid('"documentNumber" is empty once spaces, "<" and "-" are removed', where);
  const issuingState = normaliseIssuingState(requiredString(value.issuingState, 'issuingState', where));
  if (!STATE_PATTERN.test(issuingState)) invalid(`"issuingState" must be 1–3 letters, got ${JSON.stringify(value.issuingState)}`, where);
  const documentType = normaliseDocumentType(requiredString(value.documentType, 'documentType', where));
  if (!TYPE_PATTERN.test(documentType)) invalid(`"documentType" must be 1–2 letters or digits, got ${JSON.stringify(value.documentType)}`, where);
  return { documentNumber, issuingState, documentType };
}

/** A record as the store keeps it: every field checked, identity fields normalised, no other fields. */
export function checkRecord(value: unknown, where: string): SltdRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('a record must be a JSON object', where);
  const raw = value as Record<string, unknown>;
  const key = checkRecordKey(raw, where);
  // Built field by field in one order, so every record shares one hidden class (imports make millions).
  const record: SltdRecord = { documentNumber: key.documentNumber, issuingState: key.issuingState, documentType: key.documentType, status: checkStatus(raw.status, where) };
  const reportingCountry = optionalString(raw.reportingCountry, 'reportingCountry', where);
  if (reportingCountry !== undefined) {
    const normalised = normaliseIssuingState(reportingCountry);
    if (!STATE_PATTERN.test(normalised)) invalid(`"reportingCountry" must be 1–3 letters, got ${JSON.stringify(reportingCountry)}`, where);
    record.reportingCountry = normalised;
  }
  const reportedOn = optionalString(raw.reportedOn, 'reportedOn', where);
  if (reportedOn !== undefined) {
    if (!isValidIsoDate(reportedOn)) invalid(`"reportedOn" must be a date YYYY-MM-DD, got ${JSON.stringify(reportedOn)}`, where);
    record.reportedOn = reportedOn;
  }
  const reference = optionalString(raw.reference, 'reference', where);
  if (reference !== undefined && reference !== '') record.reference = reference;
  return record;
}

export function checkChange(value: unknown, where: string): SltdChange {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('a change must be a JSON object', where);
  const raw = value as Record<string, unknown>;
  switch (raw.op) {
    case 'add': return { op: 'add', record: checkRecord(raw.record, where) };
    case 'remove': return { op: 'remove', ...checkRecordKey(raw, where) };
    case 'status': return { op: 'status', ...checkRecordKey(raw, where), status: checkStatus(raw.status, where) };
    default: return invalid(`"op" must be add, remove or status, got ${JSON.stringify(raw.op)}`, where);
  }
}

function checkHeaderInput(header: { sequence: number; dataAsOf: string }, what: string): void {
  if (!Number.isSafeInteger(header.sequence) || header.sequence < 0) throw sltdError('SLTD_FILE_HEADER_INVALID', `${what}: "sequence" must be a non-negative integer.`);
  if (typeof header.dataAsOf !== 'string' || Number.isNaN(Date.parse(header.dataAsOf))) throw sltdError('SLTD_FILE_HEADER_INVALID', `${what}: "dataAsOf" must be an ISO date-time.`);
}

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseHeader(line: string, file: string): SltdFileHeader {
  const bad = (why: string): never => {
    throw sltdError('SLTD_FILE_HEADER_INVALID', `${file} is not an SLTD snapshot or delta file: ${why}.`, 'Check that the file came from the SLTD service (GET /v1/snapshot or /v1/deltas) and was not replaced by another file.');
  };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return bad('the first line is not JSON');
  }
  if (typeof header !== 'object' || header === null) return bad('the first line is not a JSON object');
  if (header.format !== SLTD_FILE_FORMAT) return bad(`format is ${JSON.stringify(header.format)}, expected "${SLTD_FILE_FORMAT}"`);
  if (header.version !== SLTD_FILE_VERSION) return bad(`version ${JSON.stringify(header.version)} is not supported (this reader knows version ${SLTD_FILE_VERSION})`);
  if (typeof header.sequence !== 'number' || !Number.isSafeInteger(header.sequence) || header.sequence < 0) return bad('"sequence" is not a non-negative integer');
  if (typeof header.dataAsOf !== 'string' || Number.isNaN(Date.parse(header.dataAsOf))) return bad('"dataAsOf" is not an ISO date-time');
  if (header.kind === 'snapshot') {
    if (typeof header.snapshotId !== 'string' || !header.snapshotId) return bad('"snapshotId" is missing');
    if (header.records !== undefined && !isCount(header.records)) return bad('"records" is not a count');
  } else if (header.kind === 'delta') {
    if (typeof header.baseSequence !== 'number' || !Number.isSafeInteger(header.baseSequence) || header.baseSequence < 0) return bad('"baseSequence" is not a non-negative integer');
    if (header.sequence <= header.baseSequence) return bad('"sequence" must be greater than "baseSequence"');
    if (header.changes !== undefined && !isCount(header.changes)) return bad('"changes" is not a count');
  } else {
    return bad(`kind is ${JSON.stringify(header.kind)}, expected "snapshot" or "delta"`);
  }
  return header as unknown as SltdFileHeader;
}

// ---- writing -----------------------------------------------------------------------------------------

/** Lines are gathered into chunks of about this many characters before they go to gzip. */
const WRITE_CHUNK_CHARS = 1 << 20;

async function writeLines(file: string, header: SltdFileHeader, lines: Iterable<string> | AsyncIterable<string>, options: WriteOptions): Promise<WrittenFile> {
  // Written beside the target and renamed at the end, so a reader never sees half a file.
  const partial = `${file}.partial`;
  const gzip = createGzip({ level: options.gzipLevel ?? 6 });
  const out = createWriteStream(partial);
  const hash = createHash('sha256');
  let bytes = 0;
  const finished = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);
  const push = async (text: string): Promise<void> => {
    const buffer = Buffer.from(text, 'utf8');
    hash.update(buffer);
    if (!gzip.write(buffer)) await once(gzip, 'drain');
  };
  let count = 0;
  try {
    let pending = JSON.stringify(header) + '\n';
    for await (const line of lines) {
      pending += line + '\n';
      count++;
      if (pending.length >= WRITE_CHUNK_CHARS) {
        await push(pending);
        pending = '';
      }
    }
    if (pending) await push(pending);
    const sha256 = hash.digest('hex');
    gzip.end(Buffer.from(JSON.stringify({ trailer: { records: count, sha256 } }) + '\n', 'utf8'));
    await finished;
    bytes = out.bytesWritten;
    await rename(partial, file);
    return { records: count, sha256, bytes };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

async function* recordLines(records: Iterable<SltdRecord> | AsyncIterable<SltdRecord>): AsyncIterable<string> {
  let n = 0;
  for await (const record of records) {
    n++;
    const r = checkRecord(record, `record ${n}`);
    yield JSON.stringify(r);
  }
}

async function* changeLines(changes: Iterable<SltdChange> | AsyncIterable<SltdChange>): AsyncIterable<string> {
  let n = 0;
  for await (const change of changes) {
    n++;
    yield JSON.stringify(checkChange(change, `change ${n}`));
  }
}

function knownCount<T>(items: Iterable<T> | AsyncIterable<T>, given: number | undefined): number | undefined {
  return given ?? (Array.isArray(items) ? items.length : undefined);
}

/**
 * Write a snapshot file of `records` (any iterable: generated data streams through without being held).
 * The header announces the count when it is known (an array, or `header.records`); the trailer always
 * carries it.
 */
export async function writeSnapshot(
  records: Iterable<SltdRecord> | AsyncIterable<SltdRecord>,
  file: string,
  header: SnapshotHeaderInput & { records?: number },
  options: WriteOptions = {},
): Promise<WrittenFile> {
  checkHeaderInput(header, 'writeSnapshot');
  if (typeof header.snapshotId !== 'string' || !header.snapshotId) throw sltdError('SLTD_FILE_HEADER_INVALID', 'writeSnapshot: "snapshotId" is required.');
  const expected = knownCount(records, header.records);
  const full: SnapshotHeader = {
    format: SLTD_FILE_FORMAT, kind: 'snapshot', version: SLTD_FILE_VERSION,
    snapshotId: header.snapshotId, sequence: header.sequence, dataAsOf: header.dataAsOf,
    ...(expected === undefined ? {} : { records: expected }),
  };
  const written = await writeLines(file, full, recordLines(records), options);
  if (expected !== undefined && written.records !== expected) {
    await rm(file, { force: true });
    throw sltdError('SLTD_FILE_HEADER_INVALID', `writeSnapshot: header.records says ${expected} but ${written.records} records were given.`);
  }
  return written;
}

/** Write a delta file: the changes that take a store from `baseSequence` to `sequence`, applied in order. */
export async function writeDelta(
  changes: Iterable<SltdChange> | AsyncIterable<SltdChange>,
  file: string,
  header: DeltaHeaderInput & { changes?: number },
  options: WriteOptions = {},
): Promise<WrittenFile> {
  checkHeaderInput(header, 'writeDelta');
  if (!Number.isSafeInteger(header.baseSequence) || header.baseSequence < 0 || header.sequence <= header.baseSequence) {
    throw sltdError('SLTD_FILE_HEADER_INVALID', 'writeDelta: "baseSequence" must be a non-negative integer below "sequence".');
  }
  const expected = knownCount(changes, header.changes);
  const full: DeltaHeader = {
    format: SLTD_FILE_FORMAT, kind: 'delta', version: SLTD_FILE_VERSION,
    baseSequence: header.baseSequence, sequence: header.sequence, dataAsOf: header.dataAsOf,
    ...(expected === undefined ? {} : { changes: expected }),
  };
  const written = await writeLines(file, full, changeLines(changes), options);
  if (expected !== undefined && written.records !== expected) {
    await rm(file, { force: true });
    throw sltdError('SLTD_FILE_HEADER_INVALID', `writeDelta: header.changes says ${expected} but ${written.records} changes were given.`);
  }
  return written;
}

// ---- reading -----------------------------------------------------------------------------------------

export interface ReadHandlers {
  /** Called once with the checked header, before any line; throw to refuse the file (e.g. out of sequence). */
  onHeader(header: SltdFileHeader): void;
  /** Called for each body line, parsed but not yet checked, with its 1-based line number in the file. */
  onLine(value: unknown, lineNumber: number): void;
  /** Called after each chunk of input with the number of body lines so far. */
  onChunk?(linesSoFar: number): void;
}

const TRAILER_PREFIX = '{"trailer"';

/**
 * Stream a snapshot or delta file through `handlers`, checking everything the format promises; throws
 * a TesseraError with an SLTD_FILE_* code (or whatever a handler throws) at the first problem.
 * Handlers see lines before the checksum is verified, so a caller must not commit anything until this
 * resolves.
 */
export async function readSltdFile(file: string, handlers: ReadHandlers): Promise<{ header: SltdFileHeader; lines: number; sha256: string }> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const hash = createHash('sha256');
  let header: SltdFileHeader | undefined;
  let trailer: { records: number; sha256: string } | undefined;
  let lineNumber = 0;
  let carry: Buffer = Buffer.alloc(0);

  const handleBlock = (block: Buffer): void => {
    // `block` holds whole lines, each ending in '\n'.
    const text = block.toString('utf8');
    let start = 0;
    let hashedUpTo = 0;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      const line = text.slice(start, end);
      lineNumber++;
      if (trailer) throw sltdError('SLTD_FILE_CORRUPT', `${file}: line ${lineNumber} follows the trailer.`, 'The file was altered after it was written; fetch it again.');
      if (line.startsWith(TRAILER_PREFIX)) {
        trailer = parseTrailer(line, file, lineNumber);
        hashedUpTo = Buffer.byteLength(text.slice(0, start), 'utf8');
      } else if (!header) {
        header = parseHeader(line, file);
        handlers.onHeader(header);
      } else {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw sltdError('SLTD_FILE_CORRUPT', `${file}: line ${lineNumber} is not JSON.`, 'The file is damaged; fetch it again.');
        }
        handlers.onLine(value, lineNumber);
      }
      start = end + 1;
    }
    hash.update(trailer ? block.subarray(0, hashedUpTo) : block);
  };

  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const lastNewline = data.lastIndexOf(10);
      if (lastNewline < 0) {
        carry = Buffer.from(data);
        continue;
      }
      carry = Buffer.from(data.subarray(lastNewline + 1));
      if (trailer && lastNewline >= 0) throw sltdError('SLTD_FILE_CORRUPT', `${file}: data follows the trailer.`, 'The file was altered after it was written; fetch it again.');
      handleBlock(data.subarray(0, lastNewline + 1));
      handlers.onChunk?.(Math.max(0, lineNumber - 1 - (trailer ? 1 : 0)));
    }
  } catch (error) {
    input.destroy();
    throw translateStreamError(error, file);
  }
  if (carry.length) {
    if (trailer) throw sltdError('SLTD_FILE_CORRUPT', `${file}: data follows the trailer.`, 'The file was altered after it was written; fetch it again.');
    throw sltdError('SLTD_FILE_TRUNCATED', `${file} ends in the middle of a line.`, 'The transfer was cut off; download the file again.');
  }
  if (!header) throw sltdError('SLTD_FILE_HEADER_INVALID', `${file} is empty: it has no header line.`, 'Download the file again.');
  if (!trailer) throw sltdError('SLTD_FILE_TRUNCATED', `${file} has no trailer line: the file is incomplete.`, 'The transfer or the export was cut off; download the file again.');
  const bodyLines = lineNumber - 2;
  const sha256 = hash.digest('hex');
  if (sha256 !== trailer.sha256) throw sltdError('SLTD_FILE_CHECKSUM_MISMATCH', `${file}: the SHA-256 of the content (${sha256.slice(0, 12)}…) differs from the trailer's (${trailer.sha256.slice(0, 12)}…).`, 'The file was altered or damaged; download it again.');
  const announced = header.kind === 'snapshot' ? header.records : header.changes;
  if (trailer.records !== bodyLines || (announced !== undefined && announced !== bodyLines)) {
    throw sltdError('SLTD_FILE_CHECKSUM_MISMATCH', `${file} holds ${bodyLines} lines but its header announces ${announced ?? 'no count'} and its trailer ${trailer.records}.`, 'The file is inconsistent; download it again.');
  }
  return { header, lines: bodyLines, sha256 };
}

function parseTrailer(line: string, file: string, lineNumber: number): { records: number; sha256: string } {
  try {
    const parsed = JSON.parse(line) as { trailer?: { records?: unknown; sha256?: unknown } };
    const t = parsed.trailer;
    if (t && typeof t.records === 'number' && typeof t.sha256 === 'string' && /^[0-9a-f]{64}$/.test(t.sha256)) return { records: t.records, sha256: t.sha256 };
  } catch {
    // Reported below.
  }
  throw sltdError('SLTD_FILE_CORRUPT', `${file}: line ${lineNumber} is not a valid trailer.`, 'The file is damaged; download it again.');
}

function translateStreamError(error: unknown, file: string): unknown {
  if (error instanceof Error && error.name === 'TesseraError') return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return sltdError('SLTD_FILE_UNREADABLE', `${file} cannot be read (${code}).`, 'Check the path and the file\'s permissions.', error);
  }
  if (code === 'Z_BUF_ERROR' || (error instanceof Error && /unexpected end of file/i.test(error.message))) {
    return sltdError('SLTD_FILE_TRUNCATED', `${file}: the gzip data ends early.`, 'The transfer was cut off; download the file again.', error);
  }
  if (code === 'Z_DATA_ERROR' && error instanceof Error && /incorrect header check/i.test(error.message)) {
    return sltdError('SLTD_FILE_UNREADABLE', `${file} is not gzip data.`, 'SLTD snapshot and delta files are gzip-compressed NDJSON (see FORMAT.md).', error);
  }
  if (code === 'Z_DATA_ERROR') {
    return sltdError('SLTD_FILE_CORRUPT', `${file}: the gzip data is damaged (${(error as Error).message}).`, 'Download the file again.', error);
  }
  return error;
}
