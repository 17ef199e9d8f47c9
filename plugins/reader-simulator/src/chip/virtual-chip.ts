/**
 * A virtual contactless eMRTD chip behind the ChipTransport contract: an in-memory file system
 * (MF with EF.CardAccess when PACE is offered, and EF.CardSecurity on a PACE-CAM chip; the eMRTD
 * application with EF.COM, EF.SOD and the data groups), BAC, PACE (the SDK's PaceCard, with CAM
 * when the image holds a static key), secure messaging, Active Authentication (ECDSA
 * P-256, plain r||s over SHA-256 of the 8-byte challenge; or RSA with ISO/IEC 9796-2 scheme 1) and
 * Chip Authentication (ECDH P-256 or DH, 3DES or AES-128 per the CA OID, MSE:Set AT + GENERAL
 * AUTHENTICATE, or MSE:Set KAT for 3DES). Protocol errors are answered with ISO 7816 status words
 * as a real card does; nothing here throws at the terminal.
 */
import { constants, createDiffieHellman, createECDH, createHash, privateEncrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import { TesseraError, type ChipTransport } from '@tessera/sdk';
import {
  bacCardRespond,
  bytesEqual,
  CardSecureMessaging,

  decodeCommandApdu,
  decodeTlv,
  deriveBacKeys,
  deriveKey,
  EF_CARD_ACCESS,
  EF_CARD_SECURITY,
  EF_COM,
  EF_SOD,
  EMRTD_AID,
  encodeOidValue,
  encodeResponseApdu,
  encodeTlv,
  ID_CA,
  ID_PACE,
  ID_PK,
  secureRandom,
  type BacKeys,
  type BacMrzInput,
  type DecodedCommandApdu,
  type RandomSource,
} from '@tessera/sdk/emrtd';

/** Protocol OIDs a virtual chip states and runs (BSI TR-03110-3 A.1.1; ICAO Doc 9303 part 11 §9.2). */
export const CHIP_PROTOCOLS = {
  pkEcdh: `${ID_PK}.2`,
  pkDh: `${ID_PK}.1`,
  caDh3Des: `${ID_CA}.1.1`,
  caDhAes128: `${ID_CA}.1.2`,
  caEcdh3Des: `${ID_CA}.2.1`,
  caEcdhAes128: `${ID_CA}.2.2`,
  paceEcdhGmAes128: `${ID_PACE}.2.2`,
  paceEcdhCamAes128: `${ID_PACE}.6.2`,
  /** ecdsa-with-SHA256, the Active Authentication scheme DG14 names for an EC key. */
  aaEcdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** The master file's FID. */
const MF = 0x3f00;

/** A DH Chip Authentication key: the group (unsigned big-endian) and the chip's private exponent. */
export interface DhChipKey {
  prime: Uint8Array;
  generator: Uint8Array;
  privateValue: Uint8Array;
}

/**
 * The card side of PACE as the SDK's PaceCard offers it (structural, so the chip does not depend on
 * when @tessera/sdk/emrtd starts exporting PaceCard).
 */
export interface PaceResponder {
  respond(command: DecodedCommandApdu): { data: Uint8Array; sw: number; secureMessaging?: CardSecureMessaging };
  reset?(): void;
}

/** The files and keys one chip holds. */
export interface ChipImage {
  /** MRZ lines of the document (BAC keys come from them). */
  mrz: readonly string[];
  /** EF.CardAccess in the MF; absent when PACE is not offered. */
  cardAccess?: Uint8Array;
  /** EF.CardSecurity in the MF (PACE-CAM: the chip's static key, signed); readable under secure messaging only. */
  cardSecurity?: Uint8Array;
  /** Files of the eMRTD application by FID (EF.COM 011E, EF.SOD 011D, DGn 01nn). */
  files: ReadonlyMap<number, Uint8Array>;
  /** Active Authentication key, EC or RSA (the private half of DG15's key, unless the chip is a clone). */
  aaPrivateKey?: KeyObject;
  /** Chip Authentication: the CA protocol OID and the private key of DG14 (EC P-256, or DH). */
  ca?: { oid: string; privateKey?: KeyObject; dh?: DhChipKey };
  /** Builds the PACE responder of a new chip session (PACE offered in EF.CardAccess). */
  pace?: (random: RandomSource) => PaceResponder;
}

/** How the chip misbehaves, per profile. */
export interface ChipBehaviour {
  /** Largest READ BINARY Ne answered; above it the chip says 6700. Default 65536. */
  maxReadLength?: number;
  /** Corrupt the MAC of every protected response. */
  corruptResponseMac?: boolean;
  /** Stop answering once BAC has completed. */
  muteAfterAuthentication?: boolean;
}

export interface VirtualChipOptions {
  behaviour?: ChipBehaviour;
  random?: RandomSource;
  atr?: Uint8Array;
}

const SW = {
  ok: 0x9000,
  endOfFile: 0x6282,
  authFailed: 0x6300,
  wrongLength: 0x6700,
  securityStatus: 0x6982,
  conditions: 0x6985,
  smMissing: 0x6987,
  smIncorrect: 0x6988,
  wrongData: 0x6a80,
  notFound: 0x6a82,
  wrongP1P2: 0x6a86,
  offsetOutside: 0x6b00,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
} as const;

interface Answer {
  data?: Uint8Array;
  sw: number;
  /** Run after the response is protected (CA re-keys here, so its answer still uses the old keys). */
  after?: () => void;
}

type Df = 'mf' | 'app';

export class VirtualChip implements ChipTransport {
  readonly atr: Uint8Array;
  readonly maxCommandLength = 65_544;
  readonly maxResponseLength = 65_538;
  private readonly behaviour: ChipBehaviour;
  private readonly random: RandomSource;
  private readonly bacKeys: BacKeys;
  private df: Df = 'mf';
  private ef: { fid: number; data: Uint8Array } | undefined;
  private challenge: Uint8Array | undefined;
  private sm: CardSecureMessaging | undefined;
  private caOid: string | undefined;
  private mute = false;
  private readonly pace: PaceResponder | undefined;
  /** Exchanges a mute chip is sitting on, released when the link closes. */
  private readonly waiting = new Set<(error: TesseraError) => void>();
  private closed = false;
  /** Commands received (header bytes as hex), for tests and the simulator's trace. */
  readonly log: string[] = [];

  constructor(readonly image: ChipImage, options: VirtualChipOptions = {}) {
    this.behaviour = options.behaviour ?? {};
    this.random = options.random ?? secureRandom;
    this.atr = options.atr ?? Uint8Array.of(0x3b, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09);
    this.bacKeys = deriveBacKeys(bacInputFromMrz(image.mrz));
    this.pace = image.pace?.(this.random);
  }

  /** Whether this chip runs PACE (rather than only advertising it). */
  get paceSupported(): boolean {
    return this.pace !== undefined;
  }

  /** Whether a secure-messaging session is open (for tests). */
  get authenticated(): boolean {
    return this.sm !== undefined;
  }

  async transmit(command: Uint8Array, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.closed) throw new TesseraError('EMRTD_TRANSPORT_FAILED', 'The virtual chip link is closed.', { hint: 'Open a new scan to talk to the chip again.' });
    if (this.mute) return this.neverAnswer(options);
    this.log.push(Array.from(command.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(''));
    return this.process(command);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sm = undefined;
    const closed = new TesseraError('EMRTD_TRANSPORT_FAILED', 'The virtual chip link was closed during an exchange.', { hint: 'Open a new scan to talk to the chip again.' });
    for (const reject of [...this.waiting]) reject(closed);
  }

  /**
   * A chip that stopped answering: the exchange settles only when the caller gives up — its abort
   * signal, its timeoutMs (as a reader driver enforces it), or closing the link.
   */
  private neverAnswer(options: { signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array> {
    return new Promise((_, reject) => {
      const { signal, timeoutMs } = options;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (error: TesseraError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(settle);
        reject(error);
      };
      const onAbort = () => settle(new TesseraError('EMRTD_ABORTED', 'The exchange with the virtual chip was abandoned.', { hint: 'The chip stopped answering.' }));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(() => settle(new TesseraError('EMRTD_CHIP_NOT_ANSWERING', `The chip did not answer within ${timeoutMs} ms`, { hint: 'The chip stopped answering; it may have left the field.' })), timeoutMs);
      }
      this.waiting.add(settle);
    });
  }

  private process(wire: Uint8Array): Uint8Array {
    if (wire.length >= 1 && (wire[0] & 0x0c) === 0x0c) return this.processProtected(wire);
    let command: DecodedCommandApdu;
    try {
      command = decodeCommandApdu(wire);
    } catch {
      return encodeResponseApdu(new Uint8Array(0), SW.wrongLength);
    }
    if (this.sm) {
      // A plain command during a session ends it, as on a real chip (GET RESPONSE aside).
      this.dropSession();
      return status(SW.smMissing);
    }
    // CLA 00, or 10 for a chained command (PACE's GENERAL AUTHENTICATE steps).
    if ((command.cla & ~0x10) !== 0x00) return status(SW.claNotSupported);
    const answer = this.execute(command, false);
    answer.after?.();
    return encodeResponseApdu(answer.data ?? new Uint8Array(0), answer.sw);
  }

  private processProtected(wire: Uint8Array): Uint8Array {
    const sm = this.sm;
    if (!sm) return status(SW.smIncorrect);
    let command: DecodedCommandApdu;
    try {
      command = sm.unprotectCommand(wire);
    } catch (error) {
      this.dropSession();
      const sw = (error as TesseraError).details?.sw;
      return status(typeof sw === 'number' ? sw : SW.smIncorrect);
    }
    const answer = this.execute(command, true);
    let response = sm.protectResponse(answer.data ?? new Uint8Array(0), answer.sw);
    answer.after?.();
    if (this.behaviour.corruptResponseMac && response.length >= 4) {
      response = response.slice();
      response[response.length - 3] ^= 0x5a; // last MAC byte, just before SW1 SW2
    }
    return response;
  }

  private dropSession(): void {
    this.sm = undefined;
    this.caOid = undefined;
  }

  private execute(c: DecodedCommandApdu, protectedCommand: boolean): Answer {
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0xb0:
      case 0xb1:
        return this.readBinary(c, protectedCommand);
      case 0x84:
        return this.getChallenge(c);
      case 0x82:
        return protectedCommand ? { sw: SW.conditions } : this.externalAuthenticate(c);
      case 0x88:
        return protectedCommand ? this.internalAuthenticate(c) : { sw: SW.securityStatus };
      case 0x22:
        if (c.p1 === 0xc1 && c.p2 === 0xa4) return this.paceStep(c, protectedCommand);
        return this.manageSecurityEnvironment(c, protectedCommand);
      case 0x86:
        return protectedCommand && this.caOid !== undefined ? this.generalAuthenticate(c) : this.paceStep(c, protectedCommand);
      default:
        return { sw: SW.insNotSupported };
    }
  }

  private select(c: DecodedCommandApdu): Answer {
    if (c.p1 === 0x04) {
      if (!bytesEqual(c.data, EMRTD_AID)) return { sw: SW.notFound };
      this.df = 'app';
      this.ef = undefined;
      return { sw: SW.ok };
    }
    if (c.p1 !== 0x00 && c.p1 !== 0x02) return { sw: SW.wrongP1P2 };
    if (c.data.length !== 2) return { sw: SW.wrongLength };
    const fid = (c.data[0] << 8) | c.data[1];
    if (fid === MF && c.p1 === 0x00) {
      this.df = 'mf';
      this.ef = undefined;
      return { sw: SW.ok };
    }
    const data = this.fileOf(fid);
    if (!data) return { sw: SW.notFound };
    this.ef = { fid, data };
    if ((c.p2 & 0x0c) === 0x0c) return { sw: SW.ok };
    // File control parameters: size, transparent EF, FID.
    return { data: encodeTlv(0x62, [encodeTlv(0x80, Uint8Array.of(data.length >> 8, data.length & 0xff)), encodeTlv(0x82, Uint8Array.of(0x01)), encodeTlv(0x83, c.data)]), sw: SW.ok };
  }

  private readBinary(c: DecodedCommandApdu, protectedCommand: boolean): Answer {
    let offset: number;
    if (c.ins === 0xb0 && c.p1 & 0x80) {
      // Short EF identifier in P1 (bits 5-1), offset in P2: selects the EF as it reads.
      if (c.p1 & 0x60) return { sw: SW.wrongP1P2 };
      const fid = this.fidOfSfi(c.p1 & 0x1f);
      const data = fid === undefined ? undefined : this.fileOf(fid);
      if (fid === undefined || !data) return { sw: SW.notFound };
      this.ef = { fid, data };
      offset = c.p2;
    } else if (c.ins === 0xb0) {
      offset = (c.p1 << 8) | c.p2;
    } else {
      let nodes;
      try {
        nodes = decodeTlv(c.data);
      } catch {
        return { sw: SW.wrongData };
      }
      const at = nodes.find((n) => n.tag === 0x54);
      if (!at || at.length < 1 || at.length > 3) return { sw: SW.wrongData };
      offset = at.value.reduce((v, b) => v * 256 + b, 0);
    }
    if (!this.ef) return { sw: 0x6986 };
    const freeToRead = this.df === 'mf' && this.ef.fid === EF_CARD_ACCESS.fid;
    if (!freeToRead && !protectedCommand) return { sw: SW.securityStatus };
    const ne = c.ne === 0 ? 256 : c.ne;
    const limit = this.behaviour.maxReadLength ?? 65_536;
    if (ne > limit) return { sw: SW.wrongLength };
    const file = this.ef.data;
    if (offset > file.length) return { sw: SW.offsetOutside };
    if (c.ins === 0xb0) {
      const chunk = file.slice(offset, offset + ne);
      return { data: chunk, sw: chunk.length < ne ? SW.endOfFile : SW.ok };
    }
    // Odd INS: the data comes back in DO'53', and Ne counts the wrapper too.
    const header = ne - 2 < 0x80 ? 2 : ne - 3 < 0x100 ? 3 : 4;
    const chunk = file.slice(offset, offset + Math.max(0, ne - header));
    return { data: encodeTlv(0x53, chunk), sw: chunk.length < ne - header ? SW.endOfFile : SW.ok };
  }

  /** The EF `fid` of the selected DF: EF.CardAccess or EF.CardSecurity in the MF, the LDS files in the application. */
  private fileOf(fid: number): Uint8Array | undefined {
    if (this.df === 'app') return this.image.files.get(fid);
    if (fid === EF_CARD_ACCESS.fid) return this.image.cardAccess;
    return fid === EF_CARD_SECURITY.fid ? this.image.cardSecurity : undefined;
  }

  /** SFI → FID: EF.CardAccess 1C and EF.CardSecurity 1D in the MF; EF.COM 1E, EF.SOD 1D and DGn = n in the application. */
  private fidOfSfi(sfi: number): number | undefined {
    if (this.df === 'mf') return sfi === EF_CARD_ACCESS.sfi ? EF_CARD_ACCESS.fid : sfi === EF_CARD_SECURITY.sfi ? EF_CARD_SECURITY.fid : undefined;
    if (sfi === 0x1e) return EF_COM.fid;
    if (sfi === 0x1d) return EF_SOD.fid;
    return sfi >= 1 && sfi <= 16 ? 0x0100 + sfi : undefined;
  }

  private getChallenge(c: DecodedCommandApdu): Answer {
    if (c.ne !== 8 || c.p1 !== 0 || c.p2 !== 0) return { sw: c.ne !== 8 ? SW.wrongLength : SW.wrongP1P2 };
    this.challenge = this.random(8).slice();
    return { data: this.challenge, sw: SW.ok };
  }

  private externalAuthenticate(c: DecodedCommandApdu): Answer {
    const rndIc = this.challenge;
    this.challenge = undefined; // one attempt per challenge
    if (!rndIc) return { sw: SW.conditions };
    if (this.df !== 'app') return { sw: SW.conditions };
    if (c.data.length !== 40) return { sw: SW.wrongLength };
    try {
      const result = bacCardRespond({ commandData: c.data, rndIc, kIc: this.random(16).slice(), keys: this.bacKeys });
      return {
        data: result.responseData,
        sw: SW.ok,
        after: () => {
          this.sm = new CardSecureMessaging({ algorithm: '3DES', ksEnc: result.ksEnc, ksMac: result.ksMac, ssc: result.ssc });
          if (this.behaviour.muteAfterAuthentication) this.mute = true;
        },
      };
    } catch {
      return { sw: SW.authFailed };
    }
  }

  /** MSE:Set AT (P1 C1) and GENERAL AUTHENTICATE for PACE, run by the PaceCard; a successful last step opens the session. */
  private paceStep(c: DecodedCommandApdu, protectedCommand: boolean): Answer {
    if (!this.pace) return { sw: c.ins === 0x22 ? 0x6a88 : SW.conditions };
    if (protectedCommand) return { sw: SW.conditions }; // PACE runs in plain; a new run needs a new session
    const answer = this.pace.respond(c);
    const session = answer.secureMessaging;
    if (!session) return { data: answer.data, sw: answer.sw };
    return {
      data: answer.data,
      sw: answer.sw,
      after: () => {
        this.sm = session;
        if (this.behaviour.muteAfterAuthentication) this.mute = true;
      },
    };
  }

  /** Active Authentication: ECDSA P-256 over SHA-256 of the challenge (plain r||s), or RSA with ISO/IEC 9796-2. */
  private internalAuthenticate(c: DecodedCommandApdu): Answer {
    const key = this.image.aaPrivateKey;
    if (!key) return { sw: SW.insNotSupported };
    if (c.p1 !== 0 || c.p2 !== 0) return { sw: SW.wrongP1P2 };
    if (c.data.length !== 8) return { sw: SW.wrongLength };
    if (key.asymmetricKeyType === 'rsa') return { data: signIso9796Scheme1(key, c.data), sw: SW.ok };
    const signature = sign('sha256', c.data, { key, dsaEncoding: 'ieee-p1363' });
    return { data: new Uint8Array(signature), sw: SW.ok };
  }

  /**
   * MSE:Set AT for Chip Authentication (P1 41, P2 A4, DO'80' = the CA OID, optional DO'84' key id), or,
   * for CA version 1 with 3DES, MSE:Set KAT (P1 41, P2 A6, DO'91' = the terminal's ephemeral key).
   */
  private manageSecurityEnvironment(c: DecodedCommandApdu, protectedCommand: boolean): Answer {
    if (c.p1 === 0x41 && c.p2 === 0xa6) return this.setKeyAgreementTemplate(c, protectedCommand);
    if (c.p1 !== 0x41 || c.p2 !== 0xa4) return { sw: SW.wrongP1P2 };
    let nodes;
    try {
      nodes = decodeTlv(c.data);
    } catch {
      return { sw: SW.wrongData };
    }
    const protocol = nodes.find((n) => n.tag === 0x80)?.value;
    if (!protocol) return { sw: SW.wrongData };
    const ca = this.image.ca;
    if (ca && bytesEqual(protocol, encodeOidValue(ca.oid))) {
      if (!protectedCommand) return { sw: SW.securityStatus };
      this.caOid = ca.oid;
      return { sw: SW.ok };
    }
    // Any protocol this chip does not run: reference data not found.
    return { sw: 0x6a88 };
  }

  /** GENERAL AUTHENTICATE for Chip Authentication: 7C { 80 terminal ephemeral public key }; the chip answers 7C 00, then re-keys. */
  private generalAuthenticate(c: DecodedCommandApdu): Answer {
    const ca = this.image.ca;
    if (!ca || this.caOid === undefined) return { sw: SW.conditions };
    if (c.p1 !== 0 || c.p2 !== 0) return { sw: SW.wrongP1P2 };
    let key: Uint8Array | undefined;
    try {
      const [template] = decodeTlv(c.data);
      key = template?.tag === 0x7c ? template.children?.find((n) => n.tag === 0x80)?.value : undefined;
    } catch {
      return { sw: SW.wrongData };
    }
    if (!key) return { sw: SW.wrongData };
    const algorithm = caCipher(this.caOid);
    this.caOid = undefined;
    return this.rekeyAfterChipAuthentication(key, algorithm, Uint8Array.of(0x7c, 0x00));
  }

  /** MSE:Set KAT (CA v1, 3DES only): the key agreement happens in this one command. */
  private setKeyAgreementTemplate(c: DecodedCommandApdu, protectedCommand: boolean): Answer {
    const ca = this.image.ca;
    if (!protectedCommand) return { sw: SW.securityStatus };
    if (!ca || caCipher(ca.oid) !== '3DES') return { sw: 0x6a88 };
    let key: Uint8Array | undefined;
    try {
      key = decodeTlv(c.data).find((n) => n.tag === 0x91)?.value;
    } catch {
      return { sw: SW.wrongData };
    }
    if (!key) return { sw: SW.wrongData };
    return this.rekeyAfterChipAuthentication(key, '3DES', undefined);
  }

  /** Key agreement with the chip's static CA key (ECDH, or DH), then secure messaging under the derived keys with SSC 0. */
  private rekeyAfterChipAuthentication(terminalKey: Uint8Array, algorithm: '3DES' | 'AES128', data: Uint8Array | undefined): Answer {
    const ca = this.image.ca!;
    let shared: Uint8Array;
    try {
      shared = ca.dh ? dhSecret(ca.dh, terminalKey) : ecdhSecret(ca.privateKey!, terminalKey);
    } catch {
      return { sw: SW.wrongData };
    }
    return {
      ...(data ? { data } : {}),
      sw: SW.ok,
      after: () => {
        this.sm = new CardSecureMessaging({
          algorithm,
          ksEnc: deriveKey(shared, 1, algorithm),
          ksMac: deriveKey(shared, 2, algorithm),
          ssc: new Uint8Array(algorithm === '3DES' ? 8 : 16),
        });
      },
    };
  }
}

/**
 * Document number, birth and expiry dates as the MRZ prints them (TD1: line 1 and 2; TD2, TD3,
 * MRV: line 2). Check digits are recomputed from them, as the issuer did when personalising the
 * chip, so a misprinted check digit does not change the BAC key.
 */
export function bacInputFromMrz(lines: readonly string[]): BacMrzInput {
  if (lines.length === 3) return { documentNumber: lines[0].slice(5, 14), birthDate: lines[1].slice(0, 6), expiryDate: lines[1].slice(8, 14) };
  const l2 = lines[1] ?? '';
  return { documentNumber: l2.slice(0, 9), birthDate: l2.slice(13, 19), expiryDate: l2.slice(21, 27) };
}

/** The CA protocol's cipher: id-CA-*-3DES-CBC-CBC ends in '.1', the AES-128 one in '.2'. */
function caCipher(oid: string): '3DES' | 'AES128' {
  return oid.endsWith('.1') ? '3DES' : 'AES128';
}

function ecdhSecret(privateKey: KeyObject, terminalKey: Uint8Array): Uint8Array {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
  return new Uint8Array(ecdh.computeSecret(terminalKey));
}

/** The DH shared secret, left-padded to the prime's length as BSI TR-03110-3 asks; 1 < y < p − 1 is required of the terminal's value. */
function dhSecret(key: DhChipKey, terminalKey: Uint8Array): Uint8Array {
  const p = BigInt(`0x${Buffer.from(key.prime).toString('hex')}`);
  const y = BigInt(`0x${Buffer.from(terminalKey).toString('hex') || '0'}`);
  if (y <= 1n || y >= p - 1n) throw new TesseraError('EMRTD_CA_KEY_INVALID', 'The terminal DH value is outside 2 … p − 2.');
  const dh = createDiffieHellman(Buffer.from(key.prime), Buffer.from(key.generator));
  dh.setPrivateKey(Buffer.from(key.privateValue));
  const secret = new Uint8Array(dh.computeSecret(Buffer.from(terminalKey)));
  const out = new Uint8Array(key.prime.length);
  out.set(secret, out.length - secret.length);
  return out;
}

/**
 * ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery, as ICAO Doc 9303
 * part 11 §6.1 has chips sign: F = '6A' || M1 || SHA-1(M1 || challenge) || 'BC', where M1 is a
 * fresh chip nonce filling the modulus, and σ = min(F^d, n − F^d) mod n.
 */
export function signIso9796Scheme1(key: KeyObject, challenge: Uint8Array): Uint8Array {
  const n = BigInt(`0x${Buffer.from(key.export({ format: 'jwk' }).n!, 'base64url').toString('hex')}`);
  const modulusBytes = Math.ceil(n.toString(2).length / 8);
  const representativeBytes = Math.ceil((n.toString(2).length - 1) / 8);
  const m1 = randomBytes(representativeBytes - 1 - 20 - 1);
  const hash = createHash('sha1').update(m1).update(challenge).digest();
  const f = new Uint8Array(modulusBytes);
  f.set([0x6a, ...m1, ...hash, 0xbc], modulusBytes - representativeBytes);
  const raw = BigInt(`0x${privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, f).toString('hex')}`);
  const sigma = raw < n - raw ? raw : n - raw;
  return Uint8Array.from(Buffer.from(sigma.toString(16).padStart(modulusBytes * 2, '0'), 'hex'));
}

function status(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

