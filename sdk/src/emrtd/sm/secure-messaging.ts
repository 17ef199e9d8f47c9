/**
 * Secure messaging as ICAO Doc 9303 part 11 §9.8 defines it for BAC (3DES) and PACE (AES),
 * for both ends of the link: the terminal (the eMRTD plugin reading a real chip) protects
 * commands and checks responses; the card (the reader simulator's virtual chip) checks commands
 * and protects responses.
 *
 * Each protect or unprotect first increments the send sequence counter (SSC), so terminal and
 * chip stay in step: command n uses SSC+2n-1, its response SSC+2n. Any failure after that point
 * closes the session for good, because a chip aborts its session on an SM error too and the two
 * counters can no longer be trusted to agree.
 */

import { TesseraError, isTesseraError } from '../../errors.js';
import { decodeCommandApdu, encodeCommandApdu, needsExtendedLength, type CommandApdu, type DecodedCommandApdu } from '../codec/apdu.js';
import { decodeTlv, encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes, toHex } from '../codec/bytes.js';
import { describeStatusWord, SW_SM_DATA_OBJECTS_INCORRECT, SW_SM_DATA_OBJECTS_MISSING } from '../codec/status-words.js';
import { AesCmac } from '../crypto/aes.js';
import { blockSize, keyLength, type SymmetricAlgorithm } from '../crypto/algorithms.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { RetailMac } from '../crypto/des.js';
import { KeyedBlockCipher } from '../crypto/keyed-cipher.js';
import { pad, unpad } from '../crypto/padding.js';

export interface SecureMessagingKeys {
  algorithm: SymmetricAlgorithm;
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  /** Initial send sequence counter (8 bytes for 3DES, 16 for AES). BAC derives it from the nonces; PACE starts at zero, the default. */
  ssc?: Uint8Array;
}

export interface ProtectCommandOptions {
  /** Use extended length in the protected command (and a two-byte DO'97'), even if short would fit. */
  extended?: boolean;
}

/** SM data object tags (ISO/IEC 7816-4 §10): odd tags are covered by the MAC. */
const DO_CRYPTOGRAM_BER = 0x85;
const DO_CRYPTOGRAM_PADDED = 0x87;
const DO_LE = 0x97;
const DO_STATUS = 0x99;
const DO_MAC = 0x8e;
/** Padding-content indicator in DO'87': '01' = ISO/IEC 9797-1 method 2. */
const PADDING_INDICATOR = 0x01;
const MAC_LENGTH = 8;
const SM_CLA_BITS = 0x0c;
/** Plain data whose protected form (cryptogram DO with up to a block of padding, DO'97', DO'8E') still fits an extended Lc. */
const MAX_PROTECTABLE_DATA = 65535 - (1 + 3 + 1 + 16) - 4 - (2 + MAC_LENGTH);

const SM_HINT = 'The secure channel to the chip is broken; start again with BAC or PACE.';

function smError(code: string, message: string, options: { sw?: number; cause?: unknown } = {}): TesseraError {
  return new TesseraError(code, message, {
    hint: SM_HINT,
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    // The card side answers these with a plain status word: 6987 for missing DOs, 6988 for incorrect ones.
    ...(options.sw === undefined ? {} : { details: { sw: options.sw } }),
  });
}

/** State and primitives shared by both ends: keys, SSC, encryption and MAC per algorithm. */
export abstract class SecureMessaging {
  readonly algorithm: SymmetricAlgorithm;
  protected readonly ksEnc: Uint8Array;
  protected readonly ksMac: Uint8Array;
  protected readonly block: number;
  private readonly counter: Uint8Array;
  /** Keyed once per session: setting up a cipher cost more than a short APDU's encryption. */
  private readonly cipher: KeyedBlockCipher;
  private readonly macKey: RetailMac | AesCmac;
  private closedBecause: string | undefined;

  constructor(keys: SecureMessagingKeys) {
    const alg = keys.algorithm;
    const expectedKey = keyLength(alg); // throws on an unknown algorithm
    this.algorithm = alg;
    this.block = blockSize(alg);
    for (const [name, key] of [['ksEnc', keys.ksEnc], ['ksMac', keys.ksMac]] as const) {
      if (!(key instanceof Uint8Array) || key.length !== expectedKey) {
        throw new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', `${name} for ${alg} must be ${expectedKey} bytes`, { hint: 'Pass the session keys derived by BAC or PACE.' });
      }
    }
    if (keys.ssc !== undefined && keys.ssc.length !== this.block) {
      throw new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', `The SSC for ${alg} must be ${this.block} bytes, got ${keys.ssc.length}`);
    }
    this.ksEnc = keys.ksEnc.slice();
    this.ksMac = keys.ksMac.slice();
    this.counter = keys.ssc ? keys.ssc.slice() : new Uint8Array(this.block);
    this.cipher = new KeyedBlockCipher(alg === '3DES' ? '3DES' : 'AES', this.ksEnc);
    this.macKey = alg === '3DES' ? new RetailMac(this.ksMac) : new AesCmac(this.ksMac);
  }

  /** The current send sequence counter (a copy), for tests and traces. */
  get ssc(): Uint8Array {
    return this.counter.slice();
  }

  /**
   * The session keys KS_enc and KS_MAC (copies), read-only: for tools that must show or log them
   * (`tessera chip replay --keys`) without deriving them a second time.
   */
  sessionKeys(): { ksEnc: Uint8Array; ksMac: Uint8Array } {
    return { ksEnc: this.ksEnc.slice(), ksMac: this.ksMac.slice() };
  }

  get closed(): boolean {
    return this.closedBecause !== undefined;
  }

  /** Ends the session; every later call throws EMRTD_SM_SESSION_CLOSED. */
  close(reason = 'closed by the caller'): void {
    if (this.closedBecause === undefined) this.closedBecause = reason;
  }

  /** Runs one protect/unprotect step; any error inside closes the session. */
  protected step<T>(run: () => T): T {
    if (this.closedBecause !== undefined) {
      throw new TesseraError('EMRTD_SM_SESSION_CLOSED', `The secure messaging session is closed (${this.closedBecause})`, { hint: SM_HINT });
    }
    try {
      return run();
    } catch (error) {
      this.close(isTesseraError(error) ? error.code : 'internal error');
      throw error;
    }
  }

  protected incrementSsc(): void {
    for (let i = this.counter.length - 1; i >= 0; i--) {
      this.counter[i] = (this.counter[i] + 1) & 0xff;
      if (this.counter[i] !== 0) break;
    }
  }

  /** Pads and encrypts; AES uses IV = E(KSenc, SSC) (§9.8.6.2), 3DES a zero IV. */
  protected encrypt(plain: Uint8Array): Uint8Array {
    return this.cipher.encryptCbc(pad(plain, this.block), this.iv());
  }

  /** Zero for 3DES; E(KSenc, SSC) for AES. */
  private iv(): Uint8Array | undefined {
    return this.algorithm === '3DES' ? undefined : this.cipher.encryptBlocks(this.counter);
  }

  protected decrypt(cryptogram: Uint8Array, malformedCode: string): Uint8Array {
    if (cryptogram.length === 0 || cryptogram.length % this.block !== 0) {
      throw smError(malformedCode, `Cryptogram of ${cryptogram.length} bytes is not a whole number of ${this.block}-byte blocks`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
    }
    const padded = this.cipher.decryptCbc(cryptogram, this.iv());
    try {
      return unpad(padded, this.block);
    } catch (error) {
      throw smError(malformedCode, 'The decrypted data has invalid padding', { sw: SW_SM_DATA_OBJECTS_INCORRECT, cause: error });
    }
  }

  /** MAC over pad(SSC || input): retail MAC for 3DES, AES-CMAC cut to 8 bytes for AES. */
  protected mac(input: Uint8Array): Uint8Array {
    const padded = pad(concatBytes(this.counter, input), this.block);
    return this.macKey instanceof RetailMac ? this.macKey.compute(padded) : this.macKey.compute(padded, MAC_LENGTH);
  }

  /** The command header with CLA marked as SM, padded to the block size (the MAC covers it). */
  protected paddedHeader(cla: number, ins: number, p1: number, p2: number): Uint8Array {
    return pad(Uint8Array.of(cla, ins, p1, p2), this.block);
  }

  /**
   * Splits an SM body into its data objects, checking order and uniqueness: at most one
   * cryptogram, then the optional others, DO'8E' last and required. Returns the objects and the
   * bytes the MAC covers (everything before DO'8E').
   */
  protected splitDataObjects(body: Uint8Array, allowed: readonly number[], required: readonly number[], malformedCode: string): { objects: Map<number, TlvNode>; macInput: Uint8Array; mac: Uint8Array } {
    let nodes: TlvNode[];
    try {
      nodes = decodeTlv(body, { maxDepth: 1 });
    } catch (error) {
      throw smError(malformedCode, `The SM data objects are not valid BER-TLV (${isTesseraError(error) ? error.message : String(error)})`, { sw: SW_SM_DATA_OBJECTS_INCORRECT, cause: error });
    }
    const objects = new Map<number, TlvNode>();
    let lastRank = -1;
    for (const node of nodes) {
      const rank = node.tag === DO_MAC ? Number.MAX_SAFE_INTEGER : allowed.indexOf(node.tag);
      if (rank < 0) throw smError(malformedCode, `Unexpected SM data object '${node.tag.toString(16).toUpperCase()}'`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      if (objects.has(node.tag) || rank <= lastRank) throw smError(malformedCode, `SM data object '${node.tag.toString(16).toUpperCase()}' is repeated or out of order`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      objects.set(node.tag, node);
      lastRank = rank;
    }
    // '85' and '87' are alternatives for the same slot.
    if (objects.has(DO_CRYPTOGRAM_BER) && objects.has(DO_CRYPTOGRAM_PADDED)) throw smError(malformedCode, "Both DO'85' and DO'87' are present", { sw: SW_SM_DATA_OBJECTS_INCORRECT });
    for (const tag of [...required, DO_MAC]) {
      if (!objects.has(tag)) throw smError(malformedCode, `SM data object '${tag.toString(16).toUpperCase()}' is missing`, { sw: SW_SM_DATA_OBJECTS_MISSING });
    }
    const macNode = objects.get(DO_MAC) as TlvNode;
    if (macNode.length !== MAC_LENGTH) throw smError(malformedCode, `DO'8E' holds ${macNode.length} bytes instead of ${MAC_LENGTH}`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
    return { objects, macInput: body.subarray(0, macNode.offset), mac: macNode.value };
  }

  /** Decrypts the data of a DO'87' (indicator byte then cryptogram) or DO'85' (cryptogram only). */
  protected openCryptogram(objects: Map<number, TlvNode>, malformedCode: string): Uint8Array {
    const padded = objects.get(DO_CRYPTOGRAM_PADDED);
    if (padded) {
      if (padded.length < 1 || padded.value[0] !== PADDING_INDICATOR) {
        throw smError(malformedCode, "DO'87' does not start with padding-content indicator '01'", { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      }
      return this.decrypt(padded.value.subarray(1), malformedCode);
    }
    const ber = objects.get(DO_CRYPTOGRAM_BER);
    return ber ? this.decrypt(ber.value, malformedCode) : new Uint8Array(0);
  }

  /** DO'87' for even INS, DO'85' (no indicator byte) for odd INS, whose data is BER-TLV (§9.8.6). */
  protected cryptogramObject(data: Uint8Array, oddIns: boolean): Uint8Array {
    const cryptogram = this.encrypt(data);
    return oddIns ? encodeTlv(DO_CRYPTOGRAM_BER, cryptogram) : encodeTlv(DO_CRYPTOGRAM_PADDED, concatBytes(Uint8Array.of(PADDING_INDICATOR), cryptogram));
  }

  /** Length a protected response carrying `ne` plain bytes can reach: cryptogram DO + DO'99' + DO'8E'. */
  protected protectedResponseLength(ne: number): number {
    const statusAndMac = 4 + 2 + MAC_LENGTH;
    if (ne === 0) return statusAndMac;
    const cryptogram = ne + this.block - (ne % this.block) + 1;
    const lengthField = cryptogram < 0x80 ? 1 : cryptogram < 0x100 ? 2 : 3;
    return 1 + lengthField + cryptogram + statusAndMac;
  }
}

/** The terminal end: protects commands to the chip and checks its responses. */
export class TerminalSecureMessaging extends SecureMessaging {
  /** Wraps a plain command into the bytes to send (CLA | '0C', DO'87'/'85', DO'97', DO'8E', Le '00' or '0000'). */
  protectCommand(command: CommandApdu, options: ProtectCommandOptions = {}): Uint8Array {
    // Checked before the session is touched: a caller's bad command must not cost the session.
    const plainExtended = options.extended === true || needsExtendedLength(command);
    if ((command.cla & SM_CLA_BITS) === SM_CLA_BITS) {
      throw new TesseraError('EMRTD_APDU_INVALID', `Command CLA ${command.cla.toString(16).padStart(2, '0')} already marks secure messaging`, { hint: 'Pass the plain command; protectCommand sets the SM bits.' });
    }
    if ((command.data?.length ?? 0) > MAX_PROTECTABLE_DATA) {
      throw new TesseraError('EMRTD_APDU_INVALID', `Command data of ${command.data?.length} bytes is too long to protect (at most ${MAX_PROTECTABLE_DATA})`, { hint: 'Split the data over several commands (command chaining).' });
    }
    return this.step(() => {
      this.incrementSsc();
      const cla = command.cla | SM_CLA_BITS;
      const data = command.data ?? new Uint8Array(0);
      const ne = command.ne ?? 0;
      const objects: Uint8Array[] = [];
      if (data.length > 0) objects.push(this.cryptogramObject(data, (command.ins & 1) === 1));
      if (ne > 0) {
        const le = plainExtended ? Uint8Array.of((ne >> 8) & 0xff, ne & 0xff) : Uint8Array.of(ne & 0xff);
        objects.push(encodeTlv(DO_LE, le));
      }
      const dataObjects = concatBytes(...objects);
      const mac = this.mac(concatBytes(this.paddedHeader(cla, command.ins, command.p1, command.p2), dataObjects));
      const body = concatBytes(dataObjects, encodeTlv(DO_MAC, mac));
      const wireExtended = plainExtended || body.length > 255 || this.protectedResponseLength(ne) > 256;
      return encodeCommandApdu({ cla, ins: command.ins, p1: command.p1, p2: command.p2, data: body, ne: wireExtended ? 65536 : 256 }, { extended: wireExtended });
    });
  }

  /** Checks and decrypts a protected response; returns the plain response bytes (data + SW from DO'99'). */
  unprotectResponse(wire: Uint8Array): Uint8Array {
    return this.step(() => {
      this.incrementSsc();
      const code = 'EMRTD_SM_RESPONSE_MALFORMED';
      if (!(wire instanceof Uint8Array) || wire.length < 2) throw smError(code, 'The response has no status word');
      const sw = (wire[wire.length - 2] << 8) | wire[wire.length - 1];
      const body = wire.subarray(0, wire.length - 2);
      if (body.length === 0) {
        if (sw === SW_SM_DATA_OBJECTS_MISSING || sw === SW_SM_DATA_OBJECTS_INCORRECT) {
          throw new TesseraError('EMRTD_SM_REJECTED_BY_CHIP', `The chip rejected the secure messaging of the command: ${describeStatusWord(sw)}`, {
            hint: 'The chip has ended its secure session; start again with BAC or PACE.',
            details: { sw },
          });
        }
        throw smError(code, `The chip answered without secure messaging: ${describeStatusWord(sw)}`, { sw });
      }
      const { objects, macInput, mac } = this.splitDataObjects(body, [DO_CRYPTOGRAM_BER, DO_CRYPTOGRAM_PADDED, DO_STATUS], [DO_STATUS], code);
      // The MAC is checked before anything is decrypted, so tampered data never reaches the decryption.
      if (!constantTimeEqual(mac, this.mac(macInput))) {
        throw smError('EMRTD_SM_MAC_INVALID', `The MAC of the chip's response does not verify (SSC ${toHex(this.ssc)})`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      }
      const status = objects.get(DO_STATUS) as TlvNode;
      if (status.length !== 2) throw smError(code, `DO'99' holds ${status.length} bytes instead of 2`);
      return concatBytes(this.openCryptogram(objects, code), status.value);
    });
  }
}

/** The chip end (virtual chips in the simulator): checks terminal commands and protects responses. */
export class CardSecureMessaging extends SecureMessaging {
  private lastInsOdd = false;

  /**
   * Checks and decrypts a protected command. `extended` in the result is true when the terminal
   * sent extended length (so it accepts an extended response) or the plain command needs it.
   * Failures carry `details.sw` (6987 or 6988): the status word a chip answers in plain before
   * dropping its session.
   */
  unprotectCommand(wire: Uint8Array): DecodedCommandApdu {
    return this.step(() => {
      this.incrementSsc();
      const code = 'EMRTD_SM_COMMAND_MALFORMED';
      let decoded: DecodedCommandApdu;
      try {
        decoded = decodeCommandApdu(wire);
      } catch (error) {
        throw smError(code, `The protected command is not a valid APDU (${isTesseraError(error) ? error.message : String(error)})`, { sw: SW_SM_DATA_OBJECTS_INCORRECT, cause: error });
      }
      if ((decoded.cla & SM_CLA_BITS) !== SM_CLA_BITS) throw smError(code, `CLA ${decoded.cla.toString(16).padStart(2, '0')} does not indicate secure messaging`, { sw: SW_SM_DATA_OBJECTS_MISSING });
      if (decoded.data.length === 0) throw smError(code, 'The protected command has no SM data objects', { sw: SW_SM_DATA_OBJECTS_MISSING });
      const { objects, macInput, mac } = this.splitDataObjects(decoded.data, [DO_CRYPTOGRAM_BER, DO_CRYPTOGRAM_PADDED, DO_LE], [], code);
      const expected = this.mac(concatBytes(this.paddedHeader(decoded.cla, decoded.ins, decoded.p1, decoded.p2), macInput));
      if (!constantTimeEqual(mac, expected)) throw smError('EMRTD_SM_MAC_INVALID', `The MAC of the terminal's command does not verify (SSC ${toHex(this.ssc)})`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      const data = this.openCryptogram(objects, code);
      let ne = 0;
      let extended = decoded.extended;
      const le = objects.get(DO_LE);
      if (le) {
        if (le.length === 1) ne = le.value[0] === 0 ? 256 : le.value[0];
        else if (le.length === 2) {
          const word = (le.value[0] << 8) | le.value[1];
          ne = word === 0 ? 65536 : word;
          extended = true;
        } else throw smError(code, `DO'97' holds ${le.length} bytes instead of 1 or 2`, { sw: SW_SM_DATA_OBJECTS_INCORRECT });
      }
      this.lastInsOdd = (decoded.ins & 1) === 1;
      return { cla: decoded.cla & ~SM_CLA_BITS & 0xff, ins: decoded.ins, p1: decoded.p1, p2: decoded.p2, data, ne, extended: extended || data.length > 255 };
    });
  }

  /** Protects a response: DO'87' (DO'85' after an odd-INS command) when there is data, DO'99', DO'8E', then SW. */
  protectResponse(plainData: Uint8Array, sw: number): Uint8Array {
    if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new TesseraError('EMRTD_APDU_INVALID', `Status word must be 0..FFFF, got ${String(sw)}`);
    return this.step(() => {
      this.incrementSsc();
      const swBytes = Uint8Array.of(sw >> 8, sw & 0xff);
      const dataObjects = concatBytes(plainData.length > 0 ? this.cryptogramObject(plainData, this.lastInsOdd) : new Uint8Array(0), encodeTlv(DO_STATUS, swBytes));
      return concatBytes(dataObjects, encodeTlv(DO_MAC, this.mac(dataObjects)), swBytes);
    });
  }
}
