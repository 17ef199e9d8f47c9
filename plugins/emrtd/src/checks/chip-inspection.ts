/**
 * One chip session per inspection, shared by every chip check: read the chip, run Passive
 * Authentication on what was read, then Active and Chip Authentication on the same secure session,
 * and decode the portrait. The checks run in parallel; the first to ask starts the work and the
 * others await the same promise (memoised by inspection id, forgotten after a minute).
 */
import type { InspectionContext, Logger } from '@tessera/sdk';
import { readChip, toReadError, type ChipMrzKey, type ChipReadError, type ChipReadResult, type ReadChipOptions } from '../reading/chip-reader.js';
import { performActiveAuthentication, type ActiveAuthResult } from '../reading/active-auth.js';
import { chooseChipAuthentication, performChipAuthentication, type ChipAuthResult } from '../reading/chip-auth.js';
import { judgePaceCam } from '../reading/pace-cam.js';
import { verifyCardSecurity } from '../reading/card-security.js';
import { decodeFace, type DisplayableFace } from '../face/decode-face.js';
import type { PassiveAuthResult } from '../passive-auth/index.js';
import type { TrustStore } from '../trust/index.js';

export interface TrustState {
  store: TrustStore;
  /** Problems met loading the configured master lists / certificates / CRLs (shown with PA). */
  problems: string[];
  /** What was loaded, for the evidence line. */
  sources: string[];
}

export interface ChipInspection {
  /** Why the chip could not even be approached (no MRZ to derive the key from). */
  noKey?: string;
  read?: ChipReadResult;
  pa?: PassiveAuthResult;
  paError?: ChipReadError;
  /** Undefined when not attempted (no DG15 / no CA key / session lost). */
  aa?: ActiveAuthResult;
  aaError?: ChipReadError;
  ca?: ChipAuthResult;
  caError?: ChipReadError;
  face?: DisplayableFace;
  faceError?: ChipReadError;
}

export interface ChipInspectorOptions {
  trust: () => TrustState;
  /** Called before Passive Authentication: lets the trust store pick up files that appeared since start. */
  refreshTrust?: () => Promise<void>;
  preferPace: boolean;
  apduTimeoutMs: number;
  readTimeoutMs: number;
  logger?: Logger;
  /** How long a result is kept for the other checks of the same inspection. */
  memoMs?: number;
}

/** An access key given instead of the inspection's MRZ: the MRZ fields, a CAN (PACE only), or both. */
export interface ChipAccessKey {
  mrz?: ChipMrzKey;
  can?: string;
}

export function mrzKeyOf(context: InspectionContext): ChipMrzKey | undefined {
  const f = context.mrz?.fields;
  if (!f || !f.documentNumber || !f.birthDateRaw || !f.expiryDateRaw) return undefined;
  return { documentNumber: f.documentNumber, birthDate: f.birthDateRaw, expiryDate: f.expiryDateRaw };
}

export class ChipInspector {
  private readonly memo = new Map<string, { at: number; result: Promise<ChipInspection | null> }>();
  private readonly memoMs: number;

  constructor(private readonly options: ChipInspectorOptions) {
    this.memoMs = options.memoMs ?? 60_000;
  }

  /**
   * The inspection's chip result (null when the scan has no chip), computed once. `key` replaces
   * the MRZ of the inspection as the chip's access key (`tessera chip read --mrz/--can`).
   */
  inspect(context: InspectionContext, key?: ChipAccessKey): Promise<ChipInspection | null> {
    const now = Date.now();
    for (const [id, entry] of this.memo) if (now - entry.at > this.memoMs) this.memo.delete(id);
    const existing = this.memo.get(context.inspectionId);
    if (existing) return existing.result;
    const result = this.run(context, key);
    this.memo.set(context.inspectionId, { at: now, result });
    const timer = setTimeout(() => {
      if (this.memo.get(context.inspectionId)?.result === result) this.memo.delete(context.inspectionId);
    }, this.memoMs);
    timer.unref?.();
    return result;
  }

  private async run(context: InspectionContext, given?: ChipAccessKey): Promise<ChipInspection | null> {
    const transport = context.scan.chip;
    if (!transport) return null;
    const key = given?.mrz ?? mrzKeyOf(context);
    if (!key && !given?.can) return { noKey: 'No MRZ could be read from the document, so the chip access key (document number, date of birth, date of expiry) is unknown.' };
    const readOptions: ReadChipOptions = {
      ...(key ? { mrz: key } : {}),
      ...(given?.can ? { can: given.can } : {}),
      preferPace: this.options.preferPace,
      apduTimeoutMs: this.options.apduTimeoutMs,
      readTimeoutMs: this.options.readTimeoutMs,
      signal: context.signal,
      keepSession: true,
    };
    const read = await readChip(transport, readOptions);
    const out: ChipInspection = { read };
    this.options.logger?.debug('chip read', { inspectionId: context.inspectionId, ok: read.ok, error: read.error?.code, apdus: read.apduCount, ms: read.durationMs });

    // Passive Authentication: pure computation over what was read.
    const sod = read.files.get('EF.SOD');
    if (sod) {
      try {
        // Loaded on first use, so the plugin (and the read) still work while the PA module cannot load.
        const { verifyPassiveAuthentication } = await import('../passive-auth/index.js');
        await this.options.refreshTrust?.();
        out.pa = verifyPassiveAuthentication({
          sod,
          dataGroups: read.dataGroups,
          trustStore: this.options.trust().store,
          ...(context.mrz?.fields?.issuingState ? { issuingState: context.mrz.fields.issuingState } : {}),
        });
      } catch (e) {
        out.paError = toReadError(e, 'EF.SOD');
      }
    }

    // Active and Chip Authentication on the open session.
    const session = read.session;
    if (session) {
      try {
        if (read.dg15) {
          const aaInfo = read.dg14?.securityInfos.find((i) => i.kind === 'ActiveAuthenticationInfo');
          try {
            out.aa = await performActiveAuthentication(session.channel, read.dg15, {
              ...(aaInfo && 'signatureAlgorithm' in aaInfo ? { signatureAlgorithmOid: aaInfo.signatureAlgorithm } : {}),
              signal: session.signal,
              timeoutMs: session.apduTimeoutMs,
            });
          } catch (e) {
            out.aaError = session.describe(e);
          }
        }
        if (read.paceCam) {
          // PACE-CAM already authenticated the chip; its key counts once EF.CardSecurity is the issuer's.
          const cardSecurity = read.files.get('EF.CardSecurity');
          const verification = cardSecurity
            ? verifyCardSecurity(cardSecurity, this.options.trust().store)
            : { verdict: 'unknown' as const, detail: 'EF.CardSecurity was not read.' };
          out.ca = judgePaceCam(read.paceCam, verification);
        } else if (read.dg14 && chooseChipAuthentication(read.dg14) && !out.aaError) {
          try {
            out.ca = await performChipAuthentication(session.channel, read.dg14, { signal: session.signal, timeoutMs: session.apduTimeoutMs });
          } catch (e) {
            out.caError = session.describe(e);
          }
        }
      } finally {
        session.finish();
      }
    }

    if (read.face) {
      try {
        out.face = await decodeFace(read.face.data);
      } catch (e) {
        out.faceError = toReadError(e, 'DG2');
      }
    }
    return out;
  }
}
