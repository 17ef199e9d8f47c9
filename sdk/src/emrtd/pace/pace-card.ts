/**
 * PaceCard: the chip side of PACE v2 for the reader simulator's virtual chips. It answers
 * MSE:Set AT and the four chained GENERAL AUTHENTICATE commands for every mapping (GM, IM,
 * CAM) over DH and ECDH, and hands back a CardSecureMessaging session (SSC 0) once the
 * terminal's token verifies.
 *
 * It never throws on what the terminal sends: bad input is answered with the status word a chip
 * uses (6A80 bad data, 6A86 wrong P1-P2, 6A87 DO'84' missing when required, 6A88 password or
 * parameters not available, 6985 out of order, 6883 chaining wrong, 6300 wrong token) and the
 * protocol starts over. Randomness is drawn per run in a fixed order: the nonce s, then the
 * mapping private key (GM, CAM), then the ephemeral private key.
 */

import { decodeTlv, encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import type { CommandApdu } from '../codec/apdu.js';
import { blockSize } from '../crypto/algorithms.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { drawRandom, type RandomSource } from '../crypto/random.js';
import { CardSecureMessaging } from '../sm/secure-messaging.js';
import { isTesseraError, TesseraError } from '../../errors.js';
import type { BacMrzInput } from '../bac/mrz-information.js';
import { bytesToBigInt, paceGroup, type GroupElement, type PaceGroup } from './groups.js';
import {
  authenticationToken,
  chipAuthenticationData,
  derivePasswordKey,
  deriveSessionKeys,
  encodePassword,
  encryptChipAuthenticationData,
  encryptNonce,
  genericMapping,
  integratedMapping,
  integratedMappingNonceLengths,
  PASSWORD_REFERENCE,
  scalarFromBytes,
  type EncodedPassword,
} from './pace-crypto.js';
import { paceError } from './pace-errors.js';
import { decodeOidValue, resolvePaceInfo, type PaceInfo, type ResolvedPaceInfo } from './protocols.js';

export interface PaceCardOptions {
  /** The PACEInfos the chip offers (its EF.CardAccess). */
  paceInfos: readonly PaceInfo[];
  /** The MRZ password the chip knows (the fields or MRZ_information). */
  mrz?: string | BacMrzInput;
  /** The Card Access Number the chip knows. */
  can?: string;
  /** Source of the nonce s and the chip's private keys. */
  random: RandomSource;
  /** PACE-CAM static private keys (big-endian), by key id = the CAM PACEInfo's parameterId. */
  chipAuthenticationKeys?: Readonly<Record<number, Uint8Array>>;
  /** Whether MSE:Set AT must carry DO'84'. Default: when more than one PACEInfo is offered. */
  requireParameterId?: boolean;
  /** Certification Authority References to return in step 4 (DO'87', then DO'88'). */
  certificationAuthorityReferences?: readonly string[];
}

export interface PaceCardResponse {
  data: Uint8Array;
  sw: number;
  /** Present on the answer to the last GENERAL AUTHENTICATE when PACE succeeded: protect everything after it. */
  secureMessaging?: CardSecureMessaging;
}

/** What a finished run agreed, for simulator traces and tests. */
export interface PaceCardSession {
  protocol: ResolvedPaceInfo;
  passwordType: EncodedPassword['type'];
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
}

interface Selected {
  resolved: ResolvedPaceInfo;
  group: PaceGroup;
  password: EncodedPassword;
  kPi: Uint8Array;
}
interface Mapped extends Selected {
  s: Uint8Array;
  mapped?: GroupElement;
  mappingSecret?: bigint;
}
interface Agreed extends Mapped {
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  terminalEphemeral: Uint8Array;
  chipEphemeral: Uint8Array;
}

type State =
  | { phase: 'idle' }
  | { phase: 'selected'; run: Selected }
  | { phase: 'nonce-sent'; run: Mapped }
  | { phase: 'mapped'; run: Mapped }
  | { phase: 'agreed'; run: Agreed };

const OK = 0x9000;
const SW_WRONG_DATA = 0x6a80;
const SW_WRONG_P1P2 = 0x6a86;
const SW_LC_INCONSISTENT = 0x6a87;
const SW_NOT_FOUND = 0x6a88;
const SW_CONDITIONS = 0x6985;
const SW_LAST_EXPECTED = 0x6883;
const SW_AUTH_FAILED = 0x6300;
const NONE = new Uint8Array(0);

class CardRefusal extends Error {
  constructor(readonly sw: number, message: string) {
    super(message);
  }
}

function configError(message: string, cause?: unknown): TesseraError {
  return paceError('EMRTD_PACE_CARD_CONFIG_INVALID', message, undefined, cause);
}

export class PaceCard {
  private readonly infos: readonly ResolvedPaceInfo[];
  private readonly passwords = new Map<number, EncodedPassword>();
  private readonly random: RandomSource;
  private readonly camKeys = new Map<number, bigint>();
  private readonly requireParameterId: boolean;
  private readonly cars: readonly string[];
  private state: State = { phase: 'idle' };
  /** The last successful run, until the next MSE:Set AT. */
  lastSession: PaceCardSession | undefined;
  /** Why the last command was refused (for simulator logs). */
  lastRefusal: string | undefined;

  constructor(options: PaceCardOptions) {
    if (!options || !Array.isArray(options.paceInfos) || options.paceInfos.length === 0) throw configError('A PaceCard needs at least one PACEInfo');
    this.infos = options.paceInfos.map((info) => {
      try {
        return resolvePaceInfo(info);
      } catch (error) {
        throw configError(`PACEInfo ${String(info?.protocol)}/${String(info?.parameterId)} cannot be served: ${isTesseraError(error) ? error.message : String(error)}`, error);
      }
    });
    try {
      if (options.mrz !== undefined) this.passwords.set(PASSWORD_REFERENCE.MRZ, encodePassword({ mrz: options.mrz }));
      if (options.can !== undefined) this.passwords.set(PASSWORD_REFERENCE.CAN, encodePassword({ can: options.can }));
    } catch (error) {
      throw configError(`A PaceCard password is unusable: ${isTesseraError(error) ? error.message : String(error)}`, error);
    }
    if (this.passwords.size === 0) throw configError('A PaceCard needs an MRZ or a CAN password');
    if (typeof options.random !== 'function') throw configError('A PaceCard needs a random source');
    this.random = options.random;
    for (const resolved of this.infos) {
      if (resolved.protocol.mapping !== 'CAM' || this.camKeys.has(resolved.parameterId)) continue;
      const key = options.chipAuthenticationKeys?.[resolved.parameterId];
      if (!(key instanceof Uint8Array)) throw configError(`${resolved.protocol.name} on parameters ${resolved.parameterId} needs chipAuthenticationKeys[${resolved.parameterId}]`);
      const d = bytesToBigInt(key);
      if (d <= 0n || d >= paceGroup(resolved.parameterId).order) throw configError(`chipAuthenticationKeys[${resolved.parameterId}] is not in 1..n-1`);
      this.camKeys.set(resolved.parameterId, d);
    }
    this.requireParameterId = options.requireParameterId ?? this.infos.length > 1;
    this.cars = options.certificationAuthorityReferences ?? [];
  }

  /** The static Chip Authentication public key (uncompressed point) for a CAM key id, as EF.CardSecurity would publish it. */
  chipAuthenticationPublicKey(keyId: number): Uint8Array {
    const d = this.camKeys.get(keyId);
    if (d === undefined) throw configError(`No chip authentication key with id ${keyId}`);
    const group = paceGroup(keyId);
    return group.encode(group.multiply(group.generator, d));
  }

  /** Whether a command is one PACE uses: MSE:Set AT (INS 22, P1-P2 C1A4) or GENERAL AUTHENTICATE (INS 86). */
  static handles(command: Pick<CommandApdu, 'ins' | 'p1' | 'p2'>): boolean {
    return (command.ins === 0x22 && command.p1 === 0xc1 && command.p2 === 0xa4) || command.ins === 0x86;
  }

  /** The protocol step the chip expects next. */
  get phase(): State['phase'] {
    return this.state.phase;
  }

  /** Forgets any run in progress (as on a reset or a new selection). */
  reset(): void {
    this.state = { phase: 'idle' };
  }

  /** Answers one plain command. Never throws for what the terminal sends; the random source's errors do propagate. */
  respond(command: CommandApdu): PaceCardResponse {
    this.lastRefusal = undefined;
    try {
      if (command.ins === 0x22) return this.manageSecurityEnvironment(command);
      if (command.ins === 0x86) return this.generalAuthenticate(command);
      throw new CardRefusal(0x6d00, 'not a PACE command');
    } catch (error) {
      if (error instanceof CardRefusal) {
        this.state = { phase: 'idle' };
        this.lastRefusal = error.message;
        return { data: NONE, sw: error.sw };
      }
      if (isTesseraError(error) && error.code.startsWith('EMRTD_PACE_')) {
        // Bad data from the terminal (an invalid key, a wrong-length nonce): the protocol step fails.
        this.state = { phase: 'idle' };
        this.lastRefusal = error.message;
        return { data: NONE, sw: SW_WRONG_DATA };
      }
      this.state = { phase: 'idle' };
      throw error;
    }
  }

  private manageSecurityEnvironment(command: CommandApdu): PaceCardResponse {
    if (command.p1 !== 0xc1 || command.p2 !== 0xa4) throw new CardRefusal(SW_WRONG_P1P2, 'MSE with P1-P2 other than C1A4');
    this.state = { phase: 'idle' };
    this.lastSession = undefined;
    const objects = this.parseObjects(command.data ?? NONE);
    const oid = objects.get(0x80);
    const passwordRef = objects.get(0x83);
    if (!oid || !passwordRef || passwordRef.length !== 1) throw new CardRefusal(SW_WRONG_DATA, "MSE:Set AT needs DO'80' and a one-byte DO'83'");
    let protocolOid: string;
    try {
      protocolOid = decodeOidValue(oid.value);
    } catch {
      throw new CardRefusal(SW_WRONG_DATA, "DO'80' is not an object identifier");
    }
    const candidates = this.infos.filter((resolved) => resolved.protocol.oid === protocolOid);
    if (candidates.length === 0) throw new CardRefusal(SW_WRONG_DATA, `protocol ${protocolOid} is not offered`);
    const password = this.passwords.get(passwordRef.value[0]);
    if (!password) throw new CardRefusal(SW_NOT_FOUND, `password reference ${passwordRef.value[0]} is not available`);
    const parameterRef = objects.get(0x84);
    let resolved: ResolvedPaceInfo | undefined;
    if (parameterRef) {
      if (parameterRef.length < 1 || parameterRef.length > 2) throw new CardRefusal(SW_WRONG_DATA, "DO'84' is not a small integer");
      const id = parameterRef.value.reduce((acc, byte) => acc * 256 + byte, 0);
      resolved = candidates.find((candidate) => candidate.parameterId === id);
      if (!resolved) throw new CardRefusal(SW_NOT_FOUND, `domain parameters ${id} are not offered with ${protocolOid}`);
    } else {
      if (this.requireParameterId) throw new CardRefusal(SW_LC_INCONSISTENT, "DO'84' (domain parameter id) is required: more than one PACEInfo is offered");
      resolved = candidates[0];
    }
    const group = paceGroup(resolved.parameterId);
    this.state = { phase: 'selected', run: { resolved, group, password, kPi: derivePasswordKey(password, resolved.protocol.cipher) } };
    return { data: NONE, sw: OK };
  }

  private generalAuthenticate(command: CommandApdu): PaceCardResponse {
    if (command.p1 !== 0 || command.p2 !== 0) throw new CardRefusal(SW_WRONG_P1P2, 'GENERAL AUTHENTICATE with P1-P2 other than 0000');
    const state = this.state;
    if (state.phase === 'idle') throw new CardRefusal(SW_CONDITIONS, 'GENERAL AUTHENTICATE without MSE:Set AT');
    const last = state.phase === 'agreed';
    const chained = (command.cla & 0x10) !== 0;
    if (last && chained) throw new CardRefusal(SW_LAST_EXPECTED, 'the token step must end the command chain');
    if (!last && !chained) throw new CardRefusal(SW_CONDITIONS, 'GENERAL AUTHENTICATE steps 1-3 must use command chaining');
    const data = command.data ?? NONE;
    const objects = this.parseObjects(data, true);
    const run = state.run;
    const { protocol } = run.resolved;
    const { group } = run;
    const cipher = protocol.cipher;

    switch (state.phase) {
      case 'selected': {
        if (objects.size !== 0) throw new CardRefusal(SW_WRONG_DATA, 'step 1 carries no data objects');
        const length = protocol.mapping === 'IM' ? integratedMappingNonceLengths(cipher).s : blockSize(cipher);
        const s = drawRandom(this.random, length, 'PACE nonce s');
        const z = encryptNonce(cipher, run.kPi, s);
        this.state = { phase: 'nonce-sent', run: { ...run, s } };
        return { data: encodeTlv(0x7c, encodeTlv(0x80, z)), sw: OK };
      }
      case 'nonce-sent': {
        const mappingData = this.need(objects, 0x81, 'mapping data');
        const current = state.run;
        if (protocol.mapping === 'IM') {
          const mapped = integratedMapping(group, cipher, current.s, mappingData);
          this.state = { phase: 'mapped', run: { ...current, mapped } };
          return { data: encodeTlv(0x7c, encodeTlv(0x82, NONE)), sw: OK };
        }
        const terminalKey = group.decode(mappingData, "the terminal's mapping public key");
        const mappingSecret = scalarFromBytes(drawRandom(this.random, group.scalarLength, 'PACE chip mapping private key'), group);
        const chipKey = group.multiply(group.generator, mappingSecret);
        if (group.equals(chipKey, terminalKey)) throw new CardRefusal(SW_WRONG_DATA, 'the terminal reflected the mapping key');
        const mapped = genericMapping(group, current.s, group.multiply(terminalKey, mappingSecret));
        this.state = { phase: 'mapped', run: { ...current, mapped, mappingSecret } };
        return { data: encodeTlv(0x7c, encodeTlv(0x82, group.encode(chipKey))), sw: OK };
      }
      case 'mapped': {
        const terminalEphemeral = this.need(objects, 0x83, 'ephemeral public key');
        const current = state.run;
        const terminalKey = group.decode(terminalEphemeral, "the terminal's ephemeral public key");
        const secret = scalarFromBytes(drawRandom(this.random, group.scalarLength, 'PACE chip ephemeral private key'), group);
        const chipKey = group.multiply(current.mapped as GroupElement, secret);
        if (group.equals(chipKey, terminalKey)) throw new CardRefusal(SW_WRONG_DATA, 'the terminal reflected the ephemeral key');
        const { ksEnc, ksMac } = deriveSessionKeys(group.sharedSecret(group.multiply(terminalKey, secret)), cipher);
        const chipEphemeral = group.encode(chipKey);
        this.state = { phase: 'agreed', run: { ...current, ksEnc, ksMac, terminalEphemeral: terminalEphemeral.slice(), chipEphemeral } };
        return { data: encodeTlv(0x7c, encodeTlv(0x84, chipEphemeral)), sw: OK };
      }
      case 'agreed': {
        const token = this.need(objects, 0x85, 'authentication token');
        const current = state.run;
        const expected = authenticationToken(cipher, current.ksMac, protocol.oid, protocol.keyAgreement, current.chipEphemeral);
        if (!constantTimeEqual(token, expected)) throw new CardRefusal(SW_AUTH_FAILED, "the terminal's authentication token does not verify");
        const parts = [encodeTlv(0x86, authenticationToken(cipher, current.ksMac, protocol.oid, protocol.keyAgreement, current.terminalEphemeral))];
        this.cars.slice(0, 2).forEach((car, i) => parts.push(encodeTlv(0x87 + i, Uint8Array.from(car, (c) => c.charCodeAt(0) & 0xff))));
        if (protocol.mapping === 'CAM') {
          const ca = chipAuthenticationData(group, this.camKeys.get(run.resolved.parameterId) as bigint, current.mappingSecret as bigint);
          parts.push(encodeTlv(0x8a, encryptChipAuthenticationData(cipher, current.ksEnc, ca)));
        }
        this.state = { phase: 'idle' };
        this.lastSession = { protocol: run.resolved, passwordType: run.password.type, ksEnc: current.ksEnc, ksMac: current.ksMac };
        return { data: encodeTlv(0x7c, parts), sw: OK, secureMessaging: new CardSecureMessaging({ algorithm: cipher, ksEnc: current.ksEnc, ksMac: current.ksMac }) };
      }
    }
  }

  /** Top-level data objects of MSE data, or the children of a GENERAL AUTHENTICATE '7C'. */
  private parseObjects(data: Uint8Array, dynamic = false): Map<number, TlvNode> {
    let nodes: TlvNode[];
    try {
      nodes = decodeTlv(data, { maxDepth: 2 });
    } catch {
      throw new CardRefusal(SW_WRONG_DATA, 'the command data is not BER-TLV');
    }
    if (dynamic) {
      if (nodes.length !== 1 || nodes[0].tag !== 0x7c) throw new CardRefusal(SW_WRONG_DATA, "GENERAL AUTHENTICATE data is not one '7C' object");
      nodes = nodes[0].children ?? [];
    }
    const objects = new Map<number, TlvNode>();
    for (const node of nodes) {
      if (objects.has(node.tag)) throw new CardRefusal(SW_WRONG_DATA, 'a data object is repeated');
      objects.set(node.tag, node);
    }
    return objects;
  }

  private need(objects: Map<number, TlvNode>, tag: number, what: string): Uint8Array {
    const node = objects.get(tag);
    if (!node) throw new CardRefusal(SW_WRONG_DATA, `the ${what} is missing`);
    return node.value;
  }
}
