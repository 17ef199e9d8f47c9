/**
 * Chip Authentication (ICAO Doc 9303 part 11 §6.2, BSI TR-03110): the chip proves it holds the
 * private key of the static key pair in DG14 by agreeing a new secure-messaging session with an
 * ephemeral key of the terminal. Only the genuine chip can compute the shared secret, so a session
 * that works afterwards proves the chip is not a copy — provided Passive Authentication showed that
 * DG14 is the issuer's (the checks enforce that).
 *
 *   CA v1 with 3DES: MSE:Set KAT (00 22 41 A6, DO'91' ephemeral key [DO'84' key id]).
 *   AES (and v2): MSE:Set AT (00 22 41 A4, DO'80' protocol OID [DO'84' key id]), then
 *                 GENERAL AUTHENTICATE (7C { 80 ephemeral key }).
 * New keys KS_enc / KS_MAC = KDF(shared secret, 1 / 2) for the protocol's cipher, SSC 0, and the
 * channel switches to them; reading the first bytes of DG1 proves the new session.
 * Key agreement: ECDH on the named curves node:crypto knows (the DG14 key's curve), and DH
 * (id-CA-DH-*) on the key's own X9.42 group or a standardized one (RFC 5114, parameter ids 0–2);
 * the DH public values and the shared secret are the prime's length.
 */
import { createDiffieHellman, createECDH } from 'node:crypto';
import { TesseraError, isTesseraError } from '@tessera/sdk';
import { TerminalSecureMessaging, concatBytes, decodeTlv, deriveKey, encodeTlv, fromHex, standardizedDomainParameters, toHex, type ApduChannel, type SymmetricAlgorithm } from '@tessera/sdk/emrtd';
import type { SecurityInfo, SecurityInfosFile } from './sdk-lds.js';

export interface ChipAuthResult {
  valid: boolean;
  /** E.g. 'CA v1 ECDH brainpoolP224r1, 3DES'. */
  protocol: string;
  detail: string;
  code?: string;
  keyId?: number;
  /** How the chip proved its key: Chip Authentication with DG14 (the default), or PACE-CAM with EF.CardSecurity. */
  via?: 'CA' | 'PACE-CAM';
  /** PACE-CAM: whether EF.CardSecurity, which publishes the key, is the issuer's (signature and chain). */
  keyAuthentication?: { verdict: 'valid' | 'invalid' | 'unknown'; detail: string };
}

const ID_CA = '0.4.0.127.0.7.2.2.3';
const CURVE_BY_OID: Record<string, string> = {
  '1.2.840.10045.3.1.1': 'prime192v1',
  '1.3.132.0.33': 'secp224r1',
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.36.3.3.2.8.1.1.1': 'brainpoolP160r1',
  '1.3.36.3.3.2.8.1.1.3': 'brainpoolP192r1',
  '1.3.36.3.3.2.8.1.1.5': 'brainpoolP224r1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.9': 'brainpoolP320r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};
const CIPHER_ARC: Record<SymmetricAlgorithm, number> = { '3DES': 1, AES128: 2, AES192: 3, AES256: 4 };

type CaInfo = Extract<SecurityInfo, { kind: 'ChipAuthenticationInfo' }>;
type CaKey = Extract<SecurityInfo, { kind: 'ChipAuthenticationPublicKeyInfo' }>;

/** DER contents of an OBJECT IDENTIFIER (no tag or length), for DO'80'. */
export function oidContents(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const push = (value: bigint) => {
    const bytes = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) bytes.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...bytes);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return Uint8Array.from(out);
}

function keyIdObject(keyId: number | undefined): Uint8Array {
  if (keyId === undefined) return new Uint8Array(0);
  const bytes: number[] = [];
  for (let v = keyId; ; v = Math.floor(v / 256)) {
    bytes.unshift(v & 0xff);
    if (v < 256) break;
  }
  return encodeTlv(0x84, Uint8Array.from(bytes));
}

/** The CA info and key to use: matching key ids, else the first of each. */
export function chooseChipAuthentication(dg14: SecurityInfosFile): { info: CaInfo | undefined; key: CaKey } | undefined {
  const keys = dg14.securityInfos.filter((i): i is CaKey => i.kind === 'ChipAuthenticationPublicKeyInfo');
  const infos = dg14.securityInfos.filter((i): i is CaInfo => i.kind === 'ChipAuthenticationInfo');
  if (keys.length === 0) return undefined;
  for (const info of infos) {
    const key = keys.find((k) => k.keyId === info.keyId && k.keyAgreement === info.keyAgreement) ?? (info.keyId === undefined ? keys.find((k) => k.keyAgreement === info.keyAgreement) : undefined);
    if (key) return { info, key };
  }
  return { info: infos[0], key: keys[0]! };
}

interface Agreement {
  ephemeralPublicKey: Uint8Array;
  sharedSecret: Uint8Array;
  name: string;
}

/** id-PK's standardizedDomainParameters (BSI TR-03110-3 A.2.1.1): the key's group is given by a parameter id. */
const STANDARDIZED_DOMAIN_PARAMETERS = '0.4.0.127.0.7.1.2';
/** node:crypto's names for the NIST curves among the standardized parameters. */
const NODE_CURVE_ALIAS: Record<string, string> = { secp192r1: 'prime192v1', secp256r1: 'prime256v1' };

type KeyMaterial =
  | { kind: 'ECDH'; curve: string | undefined; curveLabel: string; point: Uint8Array }
  | { kind: 'DH'; prime: Uint8Array; generator: Uint8Array; publicValue: Uint8Array };

const unsupported = (what: string) =>
  new TesseraError('EMRTD_CA_CURVE_UNSUPPORTED', `The chip's Chip Authentication key uses ${what}, which this system does not support`, { hint: 'Chip Authentication cannot be run for this document.' });
const malformedKey = (what: string, cause?: unknown) =>
  new TesseraError('EMRTD_CA_KEY_INVALID', `The chip's Chip Authentication public key is malformed: ${what}`, { hint: 'DG14 is corrupt or was tampered with.', ...(cause === undefined ? {} : { cause }) });

/** The key's group and public value, from named/explicit parameters or a standardized parameter id. */
function keyMaterial(key: CaKey): KeyMaterial {
  const pk = key.publicKey;
  if (pk.ec) {
    const curveOid = pk.ec.curveOid;
    return { kind: 'ECDH', curve: curveOid ? CURVE_BY_OID[curveOid] : undefined, curveLabel: curveOid ?? 'explicit parameters of an unknown curve', point: pk.ec.publicPoint };
  }
  if (pk.dh) return { kind: 'DH', prime: pk.dh.prime, generator: pk.dh.generator, publicValue: pk.dh.publicValue };
  if (pk.algorithmOid !== STANDARDIZED_DOMAIN_PARAMETERS) throw unsupported(`the key algorithm ${pk.algorithmOid}`);
  // SubjectPublicKeyInfo { AlgorithmIdentifier { id, INTEGER parameterId }, BIT STRING }.
  let parameterId: number;
  let bits: Uint8Array;
  try {
    const [algorithm, bitString] = decodeTlv(pk.key)[0]!.children!;
    const id = algorithm!.children![1]!;
    if (id.tag !== 0x02 || id.length < 1 || id.length > 2 || bitString!.tag !== 0x03) throw new Error('not { id, INTEGER } and a BIT STRING');
    parameterId = id.value.reduce((n, b) => n * 256 + b, 0);
    bits = bitString!.value.subarray(1);
  } catch (e) {
    throw malformedKey(`its standardized domain parameters cannot be read (${e instanceof Error ? e.message : String(e)})`, e);
  }
  const parameters = standardizedDomainParameters(parameterId);
  if (!parameters) throw unsupported(`standardized domain parameters ${parameterId}, which do not exist`);
  if (parameters.type === 'DH') {
    // For DH the BIT STRING holds the public value as an INTEGER (TR-03110-3 D.3.2).
    let publicValue: Uint8Array;
    try {
      const y = decodeTlv(bits)[0]!;
      if (y.tag !== 0x02) throw new Error(`tag ${y.tag.toString(16)} instead of INTEGER`);
      publicValue = y.value[0] === 0 ? y.value.subarray(1) : y.value;
    } catch (e) {
      throw malformedKey(`the DH public value is not an INTEGER (${e instanceof Error ? e.message : String(e)})`, e);
    }
    return { kind: 'DH', prime: fromHex(parameters.p), generator: fromHex(parameters.g), publicValue };
  }
  const named = /brainpoolP\d+r1|secp\d+r1/.exec(parameters.name)?.[0];
  return { kind: 'ECDH', curve: named ? NODE_CURVE_ALIAS[named] ?? named : undefined, curveLabel: parameters.name, point: bits };
}

/** Left-pads to `length` bytes: DH public values and secrets have the prime's length (TR-03110-3). */
function padTo(bytes: Uint8Array, length: number): Uint8Array {
  return bytes.length >= length ? bytes : concatBytes(new Uint8Array(length - bytes.length), bytes);
}

function agree(key: CaKey): Agreement {
  if (key.keyAgreement !== 'ECDH' && key.keyAgreement !== 'DH') throw unsupported(`key agreement ${String(key.keyAgreement)}`);
  const material = keyMaterial(key);
  if (material.kind !== key.keyAgreement) throw malformedKey(`DG14 declares ${key.keyAgreement} but the key is for ${material.kind}`);
  if (material.kind === 'ECDH') {
    if (!material.curve) throw unsupported(`a curve (${material.curveLabel})`);
    const ecdh = createECDH(material.curve);
    const ephemeralPublicKey = new Uint8Array(ecdh.generateKeys());
    let sharedSecret: Uint8Array;
    try {
      sharedSecret = new Uint8Array(ecdh.computeSecret(Buffer.from(material.point)));
    } catch (e) {
      throw new TesseraError('EMRTD_CA_KEY_INVALID', `The chip's Chip Authentication public key is not a point on ${material.curve}`, { hint: 'DG14 is corrupt or was tampered with.', cause: e });
    }
    return { ephemeralPublicKey, sharedSecret, name: `ECDH ${material.curve}` };
  }
  const { prime, generator, publicValue } = material;
  const p = BigInt(`0x${toHex(prime) || '0'}`);
  const y = BigInt(`0x${toHex(publicValue) || '0'}`);
  // 1 < y < p − 1: anything else would force a known shared secret.
  if (y <= 1n || y >= p - 1n) throw malformedKey(`the DH public value is outside 2 … p − 2`);
  const dh = createDiffieHellman(Buffer.from(prime), Buffer.from(generator));
  const ephemeralPublicKey = padTo(new Uint8Array(dh.generateKeys()), prime.length);
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(dh.computeSecret(Buffer.from(publicValue)));
  } catch (e) {
    throw malformedKey(`the DH public value is not usable (${e instanceof Error ? e.message : String(e)})`, e);
  }
  return { ephemeralPublicKey, sharedSecret: padTo(secret, prime.length), name: `DH ${prime.length * 8}` };
}

export interface ChipAuthOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** File whose first bytes are read to prove the new session (default DG1, 0101). */
  proofFileId?: number;
}

/**
 * Runs Chip Authentication on an open session and switches the channel to the new keys. A chip
 * that cannot compute the secret fails the proof read (its MAC, or a plain error). Link failures
 * (timeout, abort) are thrown; a protocol failure is returned with valid false.
 */
export async function performChipAuthentication(channel: Pick<ApduChannel, 'send' | 'secureMessaging' | 'selectFile' | 'readBinary'>, dg14: SecurityInfosFile, options: ChipAuthOptions = {}): Promise<ChipAuthResult> {
  const chosen = chooseChipAuthentication(dg14);
  if (!chosen) return { valid: false, protocol: 'none', detail: 'DG14 holds no Chip Authentication public key.', code: 'EMRTD_CA_NOT_SUPPORTED' };
  const { info, key } = chosen;
  const cipher = (info?.cipher ?? '3DES') as SymmetricAlgorithm;
  const version = info?.version ?? 1;
  const keyId = info?.keyId ?? key.keyId;
  const send = { signal: options.signal, timeoutMs: options.timeoutMs };
  let agreement: Agreement;
  try {
    agreement = agree(key);
  } catch (e) {
    return { valid: false, protocol: `CA ${key.keyAgreement}`, detail: e instanceof Error ? e.message : String(e), code: isTesseraError(e) ? e.code : 'EMRTD_CA_FAILED' };
  }
  const protocol = `CA v${version} ${agreement.name}, ${cipher}${keyId !== undefined ? `, key ${keyId}` : ''}`;
  const fail = (code: string, detail: string): ChipAuthResult => ({ valid: false, protocol, detail, code, ...(keyId !== undefined ? { keyId } : {}) });

  if (cipher === '3DES') {
    const r = await channel.send({ cla: 0x00, ins: 0x22, p1: 0x41, p2: 0xa6, data: concatBytes(encodeTlv(0x91, agreement.ephemeralPublicKey), keyIdObject(keyId)) }, send);
    if (!r.ok) return fail('EMRTD_CA_REFUSED', `The chip refused MSE:Set KAT (SW ${r.sw.toString(16).toUpperCase()}).`);
  } else {
    const oid = info?.protocol ?? `${ID_CA}.${key.keyAgreement === 'DH' ? 1 : 2}.${CIPHER_ARC[cipher]}`;
    const mse = await channel.send({ cla: 0x00, ins: 0x22, p1: 0x41, p2: 0xa4, data: concatBytes(encodeTlv(0x80, oidContents(oid)), keyIdObject(keyId)) }, send);
    if (!mse.ok) return fail('EMRTD_CA_REFUSED', `The chip refused MSE:Set AT for Chip Authentication (SW ${mse.sw.toString(16).toUpperCase()}).`);
    const ga = await channel.send({ cla: 0x00, ins: 0x86, p1: 0x00, p2: 0x00, data: encodeTlv(0x7c, encodeTlv(0x80, agreement.ephemeralPublicKey)), ne: 256 }, send);
    if (!ga.ok) return fail('EMRTD_CA_REFUSED', `The chip refused GENERAL AUTHENTICATE for Chip Authentication (SW ${ga.sw.toString(16).toUpperCase()}).`);
  }
  // The chip answered under the old keys; from now on both ends use the new ones.
  channel.secureMessaging = new TerminalSecureMessaging({
    algorithm: cipher,
    ksEnc: deriveKey(agreement.sharedSecret, 1, cipher),
    ksMac: deriveKey(agreement.sharedSecret, 2, cipher),
  });
  try {
    await channel.selectFile(options.proofFileId ?? 0x0101, send);
    await channel.readBinary(0, 4, send);
  } catch (e) {
    const code = isTesseraError(e) ? e.code : 'EMRTD_CA_FAILED';
    if (code === 'EMRTD_CHIP_NOT_ANSWERING' || code === 'EMRTD_ABORTED' || code === 'EMRTD_TRANSPORT_FAILED') throw e;
    return fail('EMRTD_CA_FAILED', `The chip could not continue with the new session keys (${code}): it does not hold the Chip Authentication private key.`);
  }
  return { valid: true, protocol, detail: 'The chip proved it holds the Chip Authentication private key of DG14: the session continues with the new keys.', ...(keyId !== undefined ? { keyId } : {}) };
}
