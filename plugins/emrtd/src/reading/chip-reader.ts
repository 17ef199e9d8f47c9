/**
 * readChip: one complete read of an eMRTD chip over a ChipTransport (ICAO Doc 9303 parts 10–11).
 *
 *   SELECT MF, read EF.CardAccess in plain (absent is normal: BAC-only documents)
 *   → PACE when offered, else BAC; a failed PACE falls back to BAC; after PACE-CAM, EF.CardSecurity
 *     is read and the chip's authentication token checked against the key it publishes
 *   → SELECT the eMRTD application, read EF.COM, EF.SOD and the data groups EF.COM lists among
 *     1, 2, 7, 11, 12, 14, 15.
 *
 * Each file is read by asking for its first bytes (to learn the TLV length), then in large pieces
 * (extended length when the link carries it, else 0xDF bytes, the most that fits a short protected
 * response); a chip that answers 6700/6Cxx/short data makes the reader fall back to 0xA0-byte reads
 * for the rest of the session. Every exchange has a per-APDU timeout and the whole read an overall
 * limit, so a mute or stalling chip ends as an error instead of hanging the inspection.
 *
 * A broken secure channel (EMRTD_SM_MAC_INVALID and friends) ends the session at once and is the
 * read's error: data behind a MAC that does not verify is never used.
 */
import { TesseraError, isTesseraError } from '@tessera/sdk';
import type { ChipTransport } from '@tessera/sdk';
import { ApduChannel, decodeTlvHeader, performBac, performPace, secureRandom, type PaceResult, type RandomSource } from '@tessera/sdk/emrtd';
import { checkCamToken, type PaceCamToken } from './pace-cam.js';
import {
  parseCardAccess,
  parseDg1,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseDg2,
  parseEfCom,
  parseSod,
  type Dg1,
  type Dg15,
  type EfCom,
  type FaceImage,
  type PaceInfo,
  type SecurityInfosFile,
  type Sod,
} from './sdk-lds.js';

export interface ChipMrzKey {
  documentNumber: string;
  /** YYMMDD as in the MRZ. */
  birthDate: string;
  /** YYMMDD as in the MRZ. */
  expiryDate: string;
}

export interface ReadProgress {
  step: string;
  /** 0..1 over the whole read. */
  fraction: number;
}

export interface ReadChipOptions {
  /** The MRZ key (BAC, and PACE unless a CAN is given). Optional only with a CAN, which opens PACE chips alone. */
  mrz?: ChipMrzKey;
  /** Card access number, for PACE with CAN instead of the MRZ. */
  can?: string;
  random?: RandomSource;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /** Cap on the bytes asked for in one READ BINARY (default: what the link allows). */
  maxReadLength?: number;
  /** Per-APDU timeout, default 5000 ms. */
  apduTimeoutMs?: number;
  /** Overall limit for the read (and the authentications run on its session), default 30000 ms. */
  readTimeoutMs?: number;
  /** Use PACE when EF.CardAccess offers it (default true). */
  preferPace?: boolean;
  /** Data groups to read when EF.COM lists them (default 1, 2, 7, 11, 12, 14, 15). */
  dataGroups?: number[];
  /** Largest file accepted (default 256 KiB): a longer declared length is a hostile chip. */
  maxFileLength?: number;
  /** Keep the secure session open in `result.session` (for Active/Chip Authentication); the caller then calls session.finish(). */
  keepSession?: boolean;
}

export interface ChipReadError {
  code: string;
  message: string;
  hint?: string;
  /** The file concerned, e.g. 'DG2'. */
  file?: string;
  sw?: number;
}

export interface ChipAccess {
  protocol: 'PACE' | 'BAC';
  /** PACE mapping (GM, IM, CAM). */
  mapping?: string;
  /** One line for the officer, e.g. 'PACE-ECDH-GM-AES-128 (parameter id 13) with the MRZ'. */
  detail: string;
  /** When PACE was tried and failed before BAC succeeded. */
  paceFailure?: ChipReadError;
}

export interface ChipReadResult {
  /** Access control succeeded and no fatal error ended the session. */
  ok: boolean;
  /** The error that ended the session (access refused, chip not answering, SM broken, …). */
  error?: ChipReadError;
  access?: ChipAccess;
  /** Every file read, complete, by name: 'EF.CardAccess', 'EF.COM', 'EF.SOD', 'DG1', … */
  files: Map<string, Uint8Array>;
  /** The data groups read, by number, for Passive Authentication. */
  dataGroups: Map<number, Uint8Array>;
  efCom?: EfCom;
  cardAccess?: SecurityInfosFile;
  dg1Mrz?: Dg1;
  face?: FaceImage;
  dg11?: Record<string, unknown>;
  dg12?: Record<string, unknown>;
  dg14?: SecurityInfosFile;
  dg15?: Dg15;
  sod?: Sod;
  /** PACE-CAM: the chip authentication token checked against EF.CardSecurity (whose signature the caller verifies). */
  paceCam?: PaceCamToken;
  apduCount: number;
  bytesRead: number;
  durationMs: number;
  /** Every error met, fatal or not (a data group that would not parse, PACE falling back to BAC, …). */
  errors: ChipReadError[];
  /** The open session, for Active and Chip Authentication; absent when access failed. */
  session?: ChipSession;
}

/** What the authentications need after the read: the channel with its SM session and the time left. */
export interface ChipSession {
  channel: ApduChannel;
  /** Aborts when the overall limit is reached or the caller aborts. */
  signal: AbortSignal;
  apduTimeoutMs: number;
  /** Counts an APDU in the read's statistics. */
  countApdu(): void;
  /** Clears the overall timer; call when done with the session. */
  finish(): void;
  /** The error a failed exchange should be reported as (maps the overall-limit abort). */
  describe(error: unknown): ChipReadError;
}

const DEFAULT_DATA_GROUPS = [1, 2, 7, 11, 12, 14, 15];
const SHORT_SM_READ = 0xdf;
const FALLBACK_READ = 0xa0;
const HEADER_READ = 6;
const EF_CARD_ACCESS = 0x011c;
const EF_COM = 0x011e;
const EF_SOD = 0x011d;
/** EF.CardSecurity has the same file id as EF.SOD, but in the master file. */
const EF_CARD_SECURITY = 0x011d;
/** Errors after which nothing more can be read in this session. */
const FATAL_CODES = new Set([
  'EMRTD_SM_MAC_INVALID',
  'EMRTD_SM_RESPONSE_MALFORMED',
  'EMRTD_SM_REJECTED_BY_CHIP',
  'EMRTD_SM_SESSION_CLOSED',
  'EMRTD_CHIP_NOT_ANSWERING',
  'EMRTD_TRANSPORT_FAILED',
  'EMRTD_READ_TIMEOUT',
  'EMRTD_ABORTED',
  'EMRTD_CHIP_PROTOCOL_ERROR',
  'EMRTD_RESPONSE_TOO_LONG',
]);

export function toReadError(error: unknown, file?: string): ChipReadError {
  if (isTesseraError(error)) {
    const sw = typeof error.details?.sw === 'number' ? (error.details.sw as number) : undefined;
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(file ? { file } : {}), ...(sw !== undefined ? { sw } : {}) };
  }
  return { code: 'EMRTD_READ_FAILED', message: error instanceof Error ? error.message : String(error), ...(file ? { file } : {}) };
}

function fileName(fid: number): string {
  if (fid === EF_COM) return 'EF.COM';
  if (fid === EF_SOD) return 'EF.SOD';
  if (fid === EF_CARD_ACCESS) return 'EF.CardAccess';
  return `DG${fid - 0x0100}`;
}

/** Reads the chip. Never throws for chip behaviour: failures come back in `error` / `errors`. */
export async function readChip(transport: ChipTransport, options: ReadChipOptions): Promise<ChipReadResult> {
  const started = performance.now();
  const apduTimeoutMs = options.apduTimeoutMs ?? 5000;
  const readTimeoutMs = options.readTimeoutMs ?? 30000;
  const random = options.random ?? secureRandom;
  const files = new Map<string, Uint8Array>();
  const dataGroups = new Map<number, Uint8Array>();
  const errors: ChipReadError[] = [];
  let apduCount = 0;
  let bytesRead = 0;

  // Overall limit and the caller's signal, as one signal for every exchange.
  const limit = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    limit.abort();
  }, readTimeoutMs);
  const onCallerAbort = () => limit.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) limit.abort();
  const signal = limit.signal;
  const finish = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  };
  const describe = (error: unknown, file?: string): ChipReadError => {
    if (timedOut && isTesseraError(error) && (error.code === 'EMRTD_ABORTED' || error.code === 'EMRTD_SM_SESSION_CLOSED')) {
      return {
        code: 'EMRTD_READ_TIMEOUT',
        message: `The chip read did not finish within ${readTimeoutMs} ms`,
        hint: 'Keep the document still on the reader and try again; a chip that never finishes may be faulty or hostile.',
        ...(file ? { file } : {}),
      };
    }
    return toReadError(error, file);
  };

  // Count APDUs and bytes at the transport, under the channel.
  const counting: ChipTransport = {
    ...(transport.atr ? { atr: transport.atr } : {}),
    maxCommandLength: transport.maxCommandLength,
    maxResponseLength: transport.maxResponseLength,
    transmit: async (command, opts) => {
      apduCount++;
      const response = await transport.transmit(command, opts);
      if (response instanceof Uint8Array) bytesRead += Math.max(0, response.length - 2);
      return response;
    },
    close: () => transport.close(),
  };
  const channel = new ApduChannel(counting, { timeoutMs: apduTimeoutMs });
  const send = { signal, timeoutMs: apduTimeoutMs };

  const wanted = (options.dataGroups ?? DEFAULT_DATA_GROUPS).filter((n) => n >= 1 && n <= 16);
  // Progress: card access + access control + EF.COM + EF.SOD + up to the wanted DGs.
  let totalSteps = 4 + wanted.length;
  let doneSteps = 0;
  const progress = (step: string, within = 0) => {
    options.onProgress?.({ step, fraction: Math.min(1, (doneSteps + Math.min(1, within)) / totalSteps) });
  };

  const result = (extra: Partial<ChipReadResult>, keepSession: boolean): ChipReadResult => {
    const out: ChipReadResult = {
      ok: false,
      files,
      dataGroups,
      apduCount,
      bytesRead,
      durationMs: 0,
      errors,
      ...extra,
    };
    if (keepSession && out.ok) {
      out.session = {
        channel,
        signal,
        apduTimeoutMs,
        countApdu: () => void apduCount++,
        finish,
        describe: (e) => describe(e),
      };
    } else finish();
    out.apduCount = apduCount;
    out.bytesRead = bytesRead;
    out.durationMs = Math.round(performance.now() - started);
    return out;
  };

  const fatal = (error: ChipReadError, extra: Partial<ChipReadResult> = {}) => {
    errors.push(error);
    return result({ ...extra, error }, false);
  };

  // --- read strategy --------------------------------------------------------------------------
  const linkExtended = transport.maxCommandLength > 261 && transport.maxResponseLength > 258;
  let chunk = Math.max(
    1,
    Math.min(
      options.maxReadLength ?? Number.POSITIVE_INFINITY,
      linkExtended ? Math.min(0xffff, transport.maxResponseLength - 64) : SHORT_SM_READ,
    ),
  );
  let fellBack = false;
  const maxFileLength = options.maxFileLength ?? 256 * 1024;

  const isWrongLength = (e: unknown) => {
    if (!isTesseraError(e)) return false;
    const sw = e.details?.sw;
    return e.code === 'EMRTD_COMMAND_FAILED' && typeof sw === 'number' && (sw === 0x6700 || (sw & 0xff00) === 0x6700 || (sw & 0xff00) === 0x6c00);
  };

  /** Reads the currently selected file whole. */
  async function readSelected(name: string, step: string): Promise<Uint8Array> {
    const head = await channel.readBinary(0, HEADER_READ, send);
    if (head.length < 2) throw new TesseraError('EMRTD_FILE_TRUNCATED', `${name}: the chip returned ${head.length} byte(s) where a TLV header was expected`, { hint: 'The file is empty or the chip is faulty.' });
    let header;
    try {
      header = decodeTlvHeader(head);
    } catch (e) {
      throw new TesseraError('EMRTD_FILE_MALFORMED', `${name}: its first bytes are not a TLV header (${isTesseraError(e) ? e.message : String(e)})`, { hint: 'The file is corrupt or the chip is hostile.', cause: e });
    }
    if (header.length === null) throw new TesseraError('EMRTD_FILE_MALFORMED', `${name}: indefinite length at the top level`, { hint: 'LDS files use definite lengths.' });
    const total = header.headerLength + header.length;
    if (total > maxFileLength) {
      throw new TesseraError('EMRTD_FILE_TOO_LONG', `${name}: declares ${total} bytes, more than the ${maxFileLength} accepted`, { hint: 'No genuine LDS file is this large; the chip is faulty or hostile.' });
    }
    const out = new Uint8Array(total);
    const first = head.subarray(0, Math.min(head.length, total));
    out.set(first);
    let offset = first.length;
    while (offset < total) {
      const want = Math.min(fellBack ? Math.min(chunk, FALLBACK_READ) : chunk, total - offset);
      let part: Uint8Array;
      try {
        part = await channel.readBinary(offset, want, { ...send, ...(want > 256 ? { extended: true } : {}) });
      } catch (e) {
        if (!fellBack && isWrongLength(e)) {
          fellBack = true;
          errors.push({ ...toReadError(e, name), code: 'EMRTD_READ_FALLBACK', message: `${name}: the chip refused a read of ${want} bytes; reading ${FALLBACK_READ} bytes at a time from now on` });
          continue;
        }
        if (isTesseraError(e) && e.details?.sw === 0x6b00) {
          throw new TesseraError('EMRTD_FILE_TRUNCATED', `${name}: the chip says offset ${offset} is outside the file although it declares ${total} bytes`, {
            hint: 'The file on the chip is shorter than its TLV length says: it is corrupt or was tampered with.',
            details: { offset, total, sw: 0x6b00 },
          });
        }
        throw e;
      }
      if (part.length === 0) {
        throw new TesseraError('EMRTD_FILE_TRUNCATED', `${name}: the chip has no data at offset ${offset} although the file declares ${total} bytes`, {
          hint: 'The file on the chip is shorter than its TLV length says: it is corrupt or was tampered with.',
          details: { offset, total },
        });
      }
      if (part.length < want && !fellBack) {
        // Fewer bytes than asked, before the declared end: keep them, and ask for less from now on.
        fellBack = true;
      }
      const take = Math.min(part.length, total - offset);
      out.set(part.subarray(0, take), offset);
      offset += take;
      progress(step, offset / total);
    }
    return out;
  }

  async function readFile(fid: number, step: string): Promise<Uint8Array> {
    const name = fileName(fid);
    progress(step, 0);
    await channel.selectFile(fid, send);
    const bytes = await readSelected(name, step);
    files.set(name, bytes);
    return bytes;
  }

  // --- 1. EF.CardAccess -----------------------------------------------------------------------
  let cardAccess: SecurityInfosFile | undefined;
  try {
    progress('card-access');
    const mf = await channel.send({ cla: 0x00, ins: 0xa4, p1: 0x00, p2: 0x0c, data: Uint8Array.of(0x3f, 0x00) }, send);
    void mf; // some chips refuse SELECT MF; EF.CardAccess is still selectable then
    await channel.selectFile(EF_CARD_ACCESS, send);
    const bytes = await readSelected('EF.CardAccess', 'card-access');
    files.set('EF.CardAccess', bytes);
    try {
      cardAccess = parseCardAccess(bytes);
    } catch (e) {
      errors.push(toReadError(e, 'EF.CardAccess'));
    }
  } catch (e) {
    const err = describe(e, 'EF.CardAccess');
    if (FATAL_CODES.has(err.code)) return fatal(err);
    // Absent or not readable: a BAC document. Not an error worth showing unless unexpected.
    if (err.code !== 'EMRTD_FILE_NOT_FOUND' && err.code !== 'EMRTD_ACCESS_DENIED') errors.push(err);
  }
  doneSteps++;

  // --- 2. Access control ----------------------------------------------------------------------
  const paceInfos = (cardAccess?.securityInfos ?? []).filter((i): i is PaceInfo => i.kind === 'PACEInfo');
  let access: ChipAccess | undefined;
  let paceFailure: ChipReadError | undefined;
  let pace: PaceResult | undefined;
  if (paceInfos.length > 0 && options.preferPace !== false) {
    progress('pace');
    try {
      pace = await performPace(channel, {
        password: options.can ? { can: options.can } : { mrz: options.mrz! },
        paceInfos,
        random,
        signal,
        timeoutMs: apduTimeoutMs,
      });
      const chosen = paceInfos.find((p) => p.parameterId === pace!.parameterId && p.protocol === pace!.paceInfo.protocol) ?? paceInfos[0]!;
      const mapping = chosen.mapping;
      access = {
        protocol: 'PACE',
        mapping,
        detail: `PACE ${chosen.keyAgreement}-${mapping} with ${chosen.cipher} (domain parameters ${pace.parameterId}${pace.parameterIdSent ? ', sent to the chip' : ''}) using the ${options.can ? 'CAN' : 'MRZ'}`,
      };
    } catch (e) {
      paceFailure = describe(e, 'PACE');
      if (paceFailure.code === 'EMRTD_READ_TIMEOUT' || paceFailure.code === 'EMRTD_ABORTED' || paceFailure.code === 'EMRTD_CHIP_NOT_ANSWERING') return fatal(paceFailure);
      errors.push(paceFailure);
      channel.secureMessaging = undefined;
    }
  }
  // PACE-CAM: the chip's static key is in EF.CardSecurity (master file), readable only now, under the new session.
  let paceCam: PaceCamToken | undefined;
  if (access && pace?.protocol.mapping === 'CAM') {
    try {
      progress('card-security');
      await channel.selectFile(EF_CARD_SECURITY, send);
      const bytes = await readSelected('EF.CardSecurity', 'card-security');
      files.set('EF.CardSecurity', bytes);
      paceCam = checkCamToken(pace, bytes);
    } catch (e) {
      const err = describe(e, 'EF.CardSecurity');
      if (FATAL_CODES.has(err.code)) return fatal(err, { access });
      errors.push(err);
      paceCam = { valid: false, protocol: `PACE-CAM ${pace.protocol.name}`, detail: `EF.CardSecurity, which holds the chip's key for PACE-CAM, could not be read: ${err.message}`, code: err.code, keyId: pace.parameterId };
    }
  }
  if (!access && !options.mrz) {
    // A CAN opens only PACE; BAC derives its keys from the MRZ.
    const why = paceFailure ? `PACE with the CAN failed (${paceFailure.message})` : 'the chip does not offer PACE';
    return fatal({ code: 'EMRTD_READ_NO_KEY', message: `The chip cannot be opened with the CAN alone: ${why}, and BAC needs the MRZ`, hint: 'Give the MRZ (document number, date of birth, date of expiry) as well.' });
  }
  if (!access) {
    progress('bac');
    try {
      await channel.selectEmrtdApplication(send);
    } catch (e) {
      return fatal(describe(e, 'eMRTD application'));
    }
    try {
      await performBac(channel, options.mrz!, random, { signal, timeoutMs: apduTimeoutMs });
      access = { protocol: 'BAC', detail: `BAC (3DES secure messaging)${paceFailure ? ` after PACE failed: ${paceFailure.message}` : ''}`, ...(paceFailure ? { paceFailure } : {}) };
    } catch (e) {
      const err = describe(e, 'BAC');
      // After a refused PACE password the BAC refusal says nothing new; the PACE reason is the one to show.
      if (paceFailure && !FATAL_CODES.has(err.code)) return fatal({ ...paceFailure, message: `${paceFailure.message}; BAC was tried next and failed too (${err.message})` });
      return fatal(err);
    }
  } else {
    try {
      await channel.selectEmrtdApplication(send);
    } catch (e) {
      return fatal(describe(e, 'eMRTD application'), { access });
    }
  }
  doneSteps++;

  // --- 3. EF.COM, EF.SOD, data groups ---------------------------------------------------------
  let efCom: EfCom | undefined;
  const parsed: Partial<ChipReadResult> = {};
  try {
    const bytes = await readFile(EF_COM, 'EF.COM');
    efCom = parseEfCom(bytes);
  } catch (e) {
    const err = describe(e, 'EF.COM');
    if (FATAL_CODES.has(err.code)) return fatal(err, { access });
    errors.push(err);
  }
  doneSteps++;
  // Without EF.COM (it is optional from LDS 1.8), try every wanted data group.
  const present = efCom ? wanted.filter((n) => efCom!.dataGroups.includes(n)) : wanted;
  totalSteps = 4 + present.length;

  try {
    const bytes = await readFile(EF_SOD, 'EF.SOD');
    try {
      parsed.sod = parseSod(bytes);
    } catch (e) {
      errors.push(toReadError(e, 'EF.SOD'));
    }
  } catch (e) {
    const err = describe(e, 'EF.SOD');
    if (FATAL_CODES.has(err.code)) return fatal(err, { access, ...(efCom ? { efCom } : {}) });
    errors.push(err);
  }
  doneSteps++;

  for (const n of present) {
    const name = `DG${n}`;
    try {
      const bytes = await readFile(0x0100 + n, name);
      dataGroups.set(n, bytes);
      try {
        if (n === 1) parsed.dg1Mrz = parseDg1(bytes);
        else if (n === 2) {
          const dg2 = parseDg2(bytes);
          if (dg2.images[0]) parsed.face = dg2.images[0];
        } else if (n === 11) parsed.dg11 = parseDg11(bytes);
        else if (n === 12) parsed.dg12 = parseDg12(bytes);
        else if (n === 14) parsed.dg14 = parseDg14(bytes);
        else if (n === 15) parsed.dg15 = parseDg15(bytes);
      } catch (e) {
        errors.push(toReadError(e, name));
      }
    } catch (e) {
      const err = describe(e, name);
      if (FATAL_CODES.has(err.code)) return fatal(err, { access, ...(efCom ? { efCom } : {}), ...parsed });
      // EAC-protected or missing despite EF.COM: note it, keep reading.
      if (!(err.code === 'EMRTD_FILE_NOT_FOUND' && !efCom)) errors.push(err);
    }
    doneSteps++;
  }
  progress('done', 0);
  return result({ ok: true, access, ...(efCom ? { efCom } : {}), ...(cardAccess ? { cardAccess } : {}), ...(paceCam ? { paceCam } : {}), ...parsed }, options.keepSession === true);
}
