/**
 * A tiny scripted eMRTD chip for this plugin's unit tests and the read benchmark: BAC or PACE (the
 * SDK's PaceCard), secure messaging, SELECT / READ BINARY over a few files in the master file and
 * the eMRTD application, and INTERNAL AUTHENTICATE — just enough card behaviour to drive readChip.
 * (Integration tests use the reader simulator's virtual chip.)
 */
import type { ChipTransport } from '@tessera/sdk';
import {
  CardSecureMessaging,
  PaceCard,
  bacCardRespond,
  concatBytes,
  decodeCommandApdu,
  deriveBacKeys,
  encodeResponseApdu,
  encodeTlv,
  type BacMrzInput,
  type DecodedCommandApdu,
} from '@tessera/sdk/emrtd';
import { randomBytes } from 'node:crypto';

export interface TestChipOptions {
  mrz: BacMrzInput;
  /** File id → content in the eMRTD application (EF.COM 011E, EF.SOD 011D, DGn 01nn; also EF.CardAccess 011C). */
  files: Map<number, Uint8Array>;
  /** File id → content in the master file (EF.CardAccess 011C, EF.CardSecurity 011D), looked up before `files` there. */
  masterFiles?: Map<number, Uint8Array>;
  /** The card side of PACE: MSE:Set AT and GENERAL AUTHENTICATE go to it, and its session replaces BAC's. */
  pace?: PaceCard;
  /** READ BINARY asking for more than this many bytes is answered 6700 (wrong length). */
  maxRead?: number;
  /** Link limits reported by the transport. */
  maxCommandLength?: number;
  maxResponseLength?: number;
  /** Never answer (transmit hangs until aborted). */
  mute?: boolean;
  /** Corrupt the MAC of the n-th protected response (1-based). */
  badMacOnResponse?: number;
  /** INTERNAL AUTHENTICATE: sign the challenge. */
  internalAuthenticate?: (challenge: Uint8Array) => Uint8Array;
  /** Extra handler for commands under SM (CA: MSE / GENERAL AUTHENTICATE); return undefined to fall through. */
  onSecureCommand?: (command: DecodedCommandApdu, chip: TestChip) => { data: Uint8Array; sw: number; after?: () => void } | undefined;
}

export class TestChip implements ChipTransport {
  readonly maxCommandLength: number;
  readonly maxResponseLength: number;
  readonly log: DecodedCommandApdu[] = [];
  sm: CardSecureMessaging | undefined;
  private rndIc: Uint8Array | undefined;
  private selected: Uint8Array | undefined;
  /** The master file is current until the eMRTD application is selected. */
  private inMasterFile = true;
  private protectedResponses = 0;
  closed = false;

  constructor(readonly options: TestChipOptions) {
    this.maxCommandLength = options.maxCommandLength ?? 261;
    this.maxResponseLength = options.maxResponseLength ?? 258;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async transmit(command: Uint8Array, opts?: { signal?: AbortSignal }): Promise<Uint8Array> {
    if (this.options.mute) {
      return new Promise((_, reject) => opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    }
    if (this.sm && (command[0]! & 0x0c) === 0x0c) {
      const plain = this.sm.unprotectCommand(command);
      this.log.push(plain);
      const special = this.options.onSecureCommand?.(plain, this);
      const { data, sw } = special ?? this.process(plain);
      const sm = this.sm;
      const wire = sm.protectResponse(data, sw);
      special?.after?.();
      this.protectedResponses++;
      if (this.protectedResponses === this.options.badMacOnResponse) wire[wire.length - 3] ^= 0x01;
      return wire;
    }
    const plain = decodeCommandApdu(command);
    this.log.push(plain);
    if (this.options.pace && PaceCard.handles(plain)) {
      const answer = this.options.pace.respond(plain);
      if (answer.secureMessaging) this.sm = answer.secureMessaging;
      return encodeResponseApdu(answer.data, answer.sw);
    }
    if (plain.ins === 0x84) {
      this.rndIc = new Uint8Array(randomBytes(8));
      return encodeResponseApdu(this.rndIc, 0x9000);
    }
    if (plain.ins === 0x82 && this.rndIc) {
      try {
        const keys = deriveBacKeys(this.options.mrz);
        const out = bacCardRespond({ commandData: plain.data, rndIc: this.rndIc, kIc: new Uint8Array(randomBytes(16)), keys });
        this.sm = new CardSecureMessaging({ algorithm: '3DES', ksEnc: out.ksEnc, ksMac: out.ksMac, ssc: out.ssc });
        return encodeResponseApdu(out.responseData, 0x9000);
      } catch {
        return encodeResponseApdu(new Uint8Array(0), 0x6300);
      }
    }
    if (plain.ins === 0xa4 && (plain.p1 === 0x04 || plain.p1 === 0x00)) {
      const r = this.process(plain);
      return encodeResponseApdu(r.data, r.sw);
    }
    if (plain.ins === 0xa4) {
      const fid = (plain.data[0]! << 8) | plain.data[1]!;
      // Only EF.CardAccess is readable before access control.
      if (fid !== 0x011c) return encodeResponseApdu(new Uint8Array(0), 0x6982);
      const r = this.process(plain);
      return encodeResponseApdu(r.data, r.sw);
    }
    if (plain.ins === 0xb0 && this.selected && (this.selected === this.options.files.get(0x011c) || this.selected === this.options.masterFiles?.get(0x011c))) {
      const r = this.process(plain);
      return encodeResponseApdu(r.data, r.sw);
    }
    return encodeResponseApdu(new Uint8Array(0), 0x6982);
  }

  /** File system commands, shared by the plain and protected paths. */
  process(c: DecodedCommandApdu): { data: Uint8Array; sw: number } {
    const none = new Uint8Array(0);
    if (c.ins === 0xa4) {
      if (c.p1 === 0x04 || c.p1 === 0x00) {
        this.inMasterFile = c.p1 === 0x00;
        return { data: none, sw: 0x9000 };
      }
      const fid = (c.data[0]! << 8) | c.data[1]!;
      const file = (this.inMasterFile ? this.options.masterFiles?.get(fid) : undefined) ?? this.options.files.get(fid);
      if (!file) return { data: none, sw: 0x6a82 };
      this.selected = file;
      return { data: none, sw: 0x9000 };
    }
    if (c.ins === 0xb0) {
      if (!this.selected) return { data: none, sw: 0x6986 };
      if (this.options.maxRead !== undefined && c.ne > this.options.maxRead) return { data: none, sw: 0x6700 };
      const offset = (c.p1 << 8) | c.p2;
      if (offset >= this.selected.length) return { data: none, sw: 0x6b00 };
      const data = this.selected.slice(offset, offset + c.ne);
      return { data, sw: data.length < c.ne ? 0x6282 : 0x9000 };
    }
    if (c.ins === 0x88 && this.options.internalAuthenticate) return { data: this.options.internalAuthenticate(c.data), sw: 0x9000 };
    return { data: none, sw: 0x6d00 };
  }
}

/** Builds EF.COM listing the given data groups. */
export function buildTestEfCom(dataGroups: number[]): Uint8Array {
  const tags = [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70];
  return encodeTlv(
    0x60,
    concatBytes(
      encodeTlv(0x5f01, new TextEncoder().encode('0107')),
      encodeTlv(0x5f36, new TextEncoder().encode('040000')),
      encodeTlv(0x5c, Uint8Array.from(dataGroups.map((n) => tags[n - 1]!))),
    ),
  );
}

export function buildTestDg1(lines: string[]): Uint8Array {
  return encodeTlv(0x61, encodeTlv(0x5f1f, new TextEncoder().encode(lines.join(''))));
}

/** A DG2-tagged file of about `size` bytes (not a valid biometric template; for read tests). */
export function buildOpaqueFile(tag: number, size: number): Uint8Array {
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) & 0xff;
  return encodeTlv(tag, encodeTlv(0x04, body));
}
