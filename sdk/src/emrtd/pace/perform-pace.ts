/**
 * performPace: the terminal side of PACE v2 (ICAO Doc 9303 part 11 §4.4) over an ApduChannel.
 * MSE:Set AT selects the protocol, password and (when the chip offers more than one PACEInfo)
 * the domain parameters; four chained GENERAL AUTHENTICATE commands then carry the encrypted
 * nonce, the mapping, the key agreement and the authentication tokens. The result holds the new
 * secure-messaging session (SSC 0) and, for PACE-CAM, what verifyPaceCam needs once the chip's
 * static key has been read from EF.CardSecurity.
 *
 * Randomness is injected and drawn in a fixed order so a recorded trace replays exactly: the
 * mapping private key (GM, CAM; for IM the nonce t instead), then the ephemeral private key,
 * each exactly the group order's length in bytes and used directly (reduced modulo the order)
 * as the scalar or exponent.
 */

import type { ApduChannel } from '../codec/apdu-channel.js';
import type { CommandApdu, ResponseApdu } from '../codec/apdu.js';
import { decodeTlv, encodeTlv, tagToHex, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes } from '../codec/bytes.js';
import { describeStatusWord } from '../codec/status-words.js';
import type { SymmetricAlgorithm } from '../crypto/algorithms.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { drawRandom, type RandomSource } from '../crypto/random.js';
import { TerminalSecureMessaging } from '../sm/secure-messaging.js';
import { isTesseraError } from '../../errors.js';
import { paceGroup, type GroupElement, type PaceGroup } from './groups.js';
import {
  authenticationToken,
  checkChipAuthenticationData,
  decryptChipAuthenticationData,
  decryptNonce,
  derivePasswordKey,
  deriveSessionKeys,
  encodePassword,
  genericMapping,
  integratedMapping,
  integratedMappingNonceLengths,
  scalarFromBytes,
  type PacePassword,
  type PasswordType,
} from './pace-crypto.js';
import { paceError } from './pace-errors.js';
import { encodeOidValue, resolvePaceInfo, selectPaceInfo, type PaceInfo, type PaceProtocol, type ResolvedPaceInfo } from './protocols.js';

export interface PerformPaceOptions {
  password: PacePassword;
  /** The PACEInfo to run. When absent, one is chosen from `paceInfos` (see selectPaceInfo). */
  paceInfo?: PaceInfo;
  /** Every PACEInfo the chip offers in EF.CardAccess; decides whether DO'84' is needed. */
  paceInfos?: readonly PaceInfo[];
  /** Source of the terminal's private keys (and IM nonce t); pass secureRandom in production. */
  random: RandomSource;
  /**
   * DO'84' (domain parameter id) in MSE:Set AT: 'auto' (default) sends it when the chip offers
   * more than one PACEInfo, as Doc 9303 requires when the domain parameters are ambiguous
   * (chips answer 6A87 or 6A88 without it); 'always' and 'never' override.
   */
  parameterIdReference?: 'auto' | 'always' | 'never';
  /** PACE-CAM: the chip's static public key (uncompressed point from EF.CardSecurity), to check right away. */
  chipAuthenticationPublicKey?: Uint8Array;
  /**
   * Install the new session on the channel so later commands are protected. Default true; a
   * session already on the channel is then closed first, since the chip drops it at the first
   * plain command.
   */
  useOnChannel?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface PaceResult {
  secureMessaging: TerminalSecureMessaging;
  protocol: PaceProtocol;
  paceInfo: PaceInfo;
  parameterId: number;
  passwordType: PasswordType;
  /** Whether MSE:Set AT carried DO'84'. */
  parameterIdSent: boolean;
  /** Ephemeral public keys as exchanged (DO'83' / DO'84'); the chip's is ID_PICC input for Terminal Authentication. */
  terminalEphemeralPublicKey: Uint8Array;
  chipEphemeralPublicKey: Uint8Array;
  /** The chip's mapping public key PK_Map,IC (GM and CAM). */
  chipMappingPublicKey?: Uint8Array;
  /** PACE-CAM: the decrypted chip authentication data CA_IC. */
  chipAuthenticationData?: Uint8Array;
  /** PACE-CAM: true once CA_IC has been checked against a static public key (here or by verifyPaceCam). */
  chipAuthenticated: boolean;
  /** Certification Authority References (DO'87', DO'88') the chip returned, for Terminal Authentication. */
  certificationAuthorityReferences: string[];
}

const GA_INS = 0x86;
const CHAINING_CLA = 0x10;

/** Parses the dynamic authentication data '7C' of a GENERAL AUTHENTICATE response into its data objects. */
function dynamicData(response: ResponseApdu, step: string): Map<number, TlvNode> {
  let nodes: TlvNode[];
  try {
    nodes = decodeTlv(response.data, { maxDepth: 2 });
  } catch (error) {
    throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', `The chip's answer to ${step} is not BER-TLV (${isTesseraError(error) ? error.message : String(error)})`, { step }, error);
  }
  if (nodes.length !== 1 || nodes[0].tag !== 0x7c) {
    throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', `The chip's answer to ${step} is not one dynamic authentication data object '7C'`, { step });
  }
  const objects = new Map<number, TlvNode>();
  for (const child of nodes[0].children ?? []) {
    if (objects.has(child.tag)) throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', `The chip's answer to ${step} repeats data object '${tagToHex(child.tag)}'`, { step });
    objects.set(child.tag, child);
  }
  return objects;
}

function required(objects: Map<number, TlvNode>, tag: number, what: string, step: string): Uint8Array {
  const node = objects.get(tag);
  if (!node) throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', `The chip's answer to ${step} has no ${what} (data object '${tagToHex(tag)}')`, { step, tag });
  return node.value.slice();
}

function refused(step: string, sw: number): never {
  let why = '';
  if (step === 'MSE:Set AT') {
    if (sw === 0x6a87 || sw === 0x6a80) why = ' (the chip may need the domain parameter id in DO\'84\', or does not support this protocol)';
    else if (sw === 0x6a88) why = ' (the password type or domain parameters are not available on this chip)';
  }
  throw paceError('EMRTD_PACE_REFUSED', `The chip refused ${step}: ${describeStatusWord(sw)}${why}`, { step, sw });
}

/** Decides whether MSE:Set AT carries DO'84'. */
function sendsParameterId(options: PerformPaceOptions): boolean {
  const mode = options.parameterIdReference ?? 'auto';
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return (options.paceInfos?.length ?? 1) > 1;
}

/** MSE:Set AT for PACE: DO'80' protocol OID, DO'83' password reference, optional DO'84' parameter id. */
export function mseSetAtCommand(protocolOid: string, passwordReference: number, parameterId?: number): CommandApdu {
  const parts = [encodeTlv(0x80, encodeOidValue(protocolOid)), encodeTlv(0x83, Uint8Array.of(passwordReference))];
  if (parameterId !== undefined) parts.push(encodeTlv(0x84, Uint8Array.of(parameterId)));
  return { cla: 0x00, ins: 0x22, p1: 0xc1, p2: 0xa4, data: concatBytes(...parts) };
}

/** One GENERAL AUTHENTICATE step: CLA '10' (chaining) on all but the last, data '7C' wrapping `objects`. */
export function generalAuthenticateCommand(objects: Uint8Array, last: boolean, ne = 256): CommandApdu {
  return { cla: last ? 0x00 : CHAINING_CLA, ins: GA_INS, p1: 0x00, p2: 0x00, data: encodeTlv(0x7c, objects), ne };
}

function choose(options: PerformPaceOptions): ResolvedPaceInfo {
  if (options.paceInfo) return resolvePaceInfo(options.paceInfo);
  if (options.paceInfos) return selectPaceInfo(options.paceInfos);
  throw paceError('EMRTD_PACE_INFO_INVALID', 'Pass paceInfo or paceInfos (from EF.CardAccess)');
}

/** Runs PACE with the chip and returns the secure-messaging session and what was agreed. */
export async function performPace(channel: Pick<ApduChannel, 'send' | 'secureMessaging'>, options: PerformPaceOptions): Promise<PaceResult> {
  const { info, protocol, parameterId } = choose(options);
  const group = paceGroup(parameterId);
  const cipher: SymmetricAlgorithm = protocol.cipher;
  const password = encodePassword(options.password);
  const kPi = derivePasswordKey(password, cipher);
  const random = options.random;
  if (typeof random !== 'function') throw paceError('EMRTD_PACE_INFO_INVALID', 'performPace needs a random source (pass secureRandom)');
  const sendOptions = { plain: true, signal: options.signal, timeoutMs: options.timeoutMs };
  // A GENERAL AUTHENTICATE answer carries at most one public key in '7C'; 2048-bit DH keys need an extended Le.
  const publicKeyLength = group.keyAgreement === 'ECDH' ? 1 + 2 * group.fieldLength : group.fieldLength;
  const ne = publicKeyLength + 8 > 256 ? 65536 : 256;

  if (options.useOnChannel !== false && channel.secureMessaging) {
    // PACE runs in plain, and a plain command ends the chip's current secure messaging session (§9.8.3).
    channel.secureMessaging.close?.('PACE started again');
    channel.secureMessaging = undefined;
  }
  const parameterIdSent = sendsParameterId(options);
  const mse = await channel.send(mseSetAtCommand(protocol.oid, password.reference, parameterIdSent ? parameterId : undefined), sendOptions);
  if (!mse.ok) refused('MSE:Set AT', mse.sw);

  const step = async (name: string, objects: Uint8Array, last = false): Promise<{ objects: Map<number, TlvNode>; response: ResponseApdu }> => {
    const response = await channel.send(generalAuthenticateCommand(objects, last, ne), sendOptions);
    if (!response.ok) {
      if (last && response.sw1 === 0x63) {
        const triesLeft = (response.sw2 & 0xf0) === 0xc0 ? response.sw2 & 0x0f : undefined;
        throw paceError(
          'EMRTD_PACE_PASSWORD_REJECTED',
          `The chip rejected the terminal's authentication token (${describeStatusWord(response.sw)}): the ${password.type} does not match the one on the chip`,
          { step: name, sw: response.sw, passwordType: password.type, ...(triesLeft === undefined ? {} : { triesLeft }) },
        );
      }
      refused(name, response.sw);
    }
    return { objects: dynamicData(response, name), response };
  };

  // Step 1: encrypted nonce.
  const first = await step('GENERAL AUTHENTICATE (encrypted nonce)', new Uint8Array(0));
  const z = required(first.objects, 0x80, 'encrypted nonce', 'GENERAL AUTHENTICATE (encrypted nonce)');
  const s = decryptNonce(cipher, kPi, z);

  // Step 2: mapping.
  let mapped: GroupElement;
  let chipMappingPublicKey: Uint8Array | undefined;
  if (protocol.mapping === 'IM') {
    const lengths = integratedMappingNonceLengths(cipher);
    if (s.length !== lengths.s) {
      throw paceError('EMRTD_PACE_NONCE_INVALID', `The integrated mapping needs a ${lengths.s}-byte nonce, the chip sent ${s.length} bytes`, { length: s.length });
    }
    const t = drawRandom(random, lengths.t, 'PACE integrated mapping nonce t');
    const answer = await step('GENERAL AUTHENTICATE (map nonce)', encodeTlv(0x81, t));
    const empty = answer.objects.get(0x82);
    if (empty && empty.length !== 0) throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', "The chip's mapping data '82' must be empty for the integrated mapping", { step: 'map nonce' });
    mapped = integratedMapping(group, cipher, s, t);
  } else {
    const secret = scalarFromBytes(drawRandom(random, group.scalarLength, 'PACE mapping private key'), group);
    const terminalMappingKey = group.multiply(group.generator, secret);
    const answer = await step('GENERAL AUTHENTICATE (map nonce)', encodeTlv(0x81, group.encode(terminalMappingKey)));
    chipMappingPublicKey = required(answer.objects, 0x82, 'mapping public key', 'GENERAL AUTHENTICATE (map nonce)');
    const chipKey = group.decode(chipMappingPublicKey, "The chip's mapping public key");
    if (group.equals(chipKey, terminalMappingKey)) {
      throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', "The chip's mapping public key is the terminal's own key sent back", { what: 'mapping public key' });
    }
    mapped = genericMapping(group, s, group.multiply(chipKey, secret));
  }

  // Step 3: key agreement on the mapped generator.
  const ephemeralSecret = scalarFromBytes(drawRandom(random, group.scalarLength, 'PACE ephemeral private key'), group);
  const terminalEphemeral = group.multiply(mapped, ephemeralSecret);
  const terminalEphemeralPublicKey = group.encode(terminalEphemeral);
  const third = await step('GENERAL AUTHENTICATE (key agreement)', encodeTlv(0x83, terminalEphemeralPublicKey));
  const chipEphemeralPublicKey = required(third.objects, 0x84, 'ephemeral public key', 'GENERAL AUTHENTICATE (key agreement)');
  const chipEphemeral = group.decode(chipEphemeralPublicKey, "The chip's ephemeral public key");
  if (group.equals(chipEphemeral, terminalEphemeral)) {
    throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', "The chip's ephemeral public key equals the terminal's (Doc 9303 requires them to differ)", { what: 'ephemeral public key' });
  }
  const sharedSecret = group.sharedSecret(group.multiply(chipEphemeral, ephemeralSecret));
  const { ksEnc, ksMac } = deriveSessionKeys(sharedSecret, cipher);

  // Step 4: mutual authentication.
  const terminalToken = authenticationToken(cipher, ksMac, protocol.oid, protocol.keyAgreement, chipEphemeralPublicKey);
  const fourth = await step('GENERAL AUTHENTICATE (mutual authentication)', encodeTlv(0x85, terminalToken), true);
  const chipToken = required(fourth.objects, 0x86, 'authentication token', 'GENERAL AUTHENTICATE (mutual authentication)');
  const expected = authenticationToken(cipher, ksMac, protocol.oid, protocol.keyAgreement, terminalEphemeralPublicKey);
  if (!constantTimeEqual(chipToken, expected)) {
    throw paceError('EMRTD_PACE_TOKEN_INVALID', `The chip's authentication token ${chipToken.length === 8 ? 'does not verify' : `has ${chipToken.length} bytes instead of 8`}`, {
      step: 'mutual authentication',
    });
  }
  const certificationAuthorityReferences = [0x87, 0x88].flatMap((tag) => {
    const node = fourth.objects.get(tag);
    return node ? [String.fromCharCode(...node.value)] : [];
  });

  let chipAuthenticationData: Uint8Array | undefined;
  if (protocol.mapping === 'CAM') {
    const encrypted = fourth.objects.get(0x8a);
    if (!encrypted) throw paceError('EMRTD_PACE_CAM_INVALID', "The chip's answer has no encrypted chip authentication data (DO'8A'), which PACE-CAM requires");
    chipAuthenticationData = decryptChipAuthenticationData(cipher, ksEnc, encrypted.value);
  }

  const secureMessaging = new TerminalSecureMessaging({ algorithm: cipher, ksEnc, ksMac });
  const result: PaceResult = {
    secureMessaging,
    protocol,
    paceInfo: info,
    parameterId,
    passwordType: password.type,
    parameterIdSent,
    terminalEphemeralPublicKey,
    chipEphemeralPublicKey,
    ...(chipMappingPublicKey ? { chipMappingPublicKey } : {}),
    ...(chipAuthenticationData ? { chipAuthenticationData } : {}),
    chipAuthenticated: false,
    certificationAuthorityReferences,
  };
  if (options.chipAuthenticationPublicKey && protocol.mapping === 'CAM') verifyPaceCam(result, options.chipAuthenticationPublicKey);
  if (options.useOnChannel !== false) channel.secureMessaging = secureMessaging;
  return result;
}

/**
 * The PACE-CAM chip authentication (Doc 9303 part 11 §4.4.3.5.2): checks that the chip
 * authentication data of a PACE-CAM run turns the chip's static public key PK_IC (from the
 * ChipAuthenticationPublicKeyInfo in EF.CardSecurity whose keyId is the PACEInfo's parameterId)
 * into its mapping key: CA_IC · PK_IC = PK_Map,IC. Marks `result.chipAuthenticated`. The chip is
 * genuine only once Passive Authentication has also verified EF.CardSecurity's signature over
 * that key. Throws EMRTD_PACE_CAM_INVALID (or EMRTD_PACE_PUBLIC_KEY_INVALID for a malformed key).
 */
export function verifyPaceCam(result: Pick<PaceResult, 'protocol' | 'parameterId' | 'chipAuthenticationData' | 'chipMappingPublicKey' | 'chipAuthenticated'>, chipStaticPublicKey: Uint8Array): void {
  if (result.protocol.mapping !== 'CAM' || !result.chipAuthenticationData || !result.chipMappingPublicKey) {
    throw paceError('EMRTD_PACE_CAM_INVALID', `This PACE run used ${result.protocol.name}, not Chip Authentication Mapping: there is no chip authentication data to check`);
  }
  const group: PaceGroup = paceGroup(result.parameterId);
  checkChipAuthenticationData(group, result.chipAuthenticationData, chipStaticPublicKey, result.chipMappingPublicKey);
  result.chipAuthenticated = true;
}
