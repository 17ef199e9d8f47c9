/**
 * The cryptographic steps of PACE v2 (ICAO Doc 9303 part 11 §4.4.3, BSI TR-03110 part 2/3) as
 * pure functions shared by the terminal and the virtual chip: the password key K_π, the nonce
 * encryption, the generic and integrated mappings, session keys, authentication tokens and the
 * chip authentication data of PACE-CAM. Worked examples: Appendices G (GM), H (IM), I (CAM).
 */

import { createHash } from 'node:crypto';
import { encodeTlv } from '../codec/ber-tlv.js';
import { concatBytes, fromHex } from '../codec/bytes.js';
import { aesCbcDecrypt, aesCbcEncrypt, aesCmac, aesEncryptBlock } from '../crypto/aes.js';
import { blockSize, keyLength, type SymmetricAlgorithm } from '../crypto/algorithms.js';
import { retailMac, tripleDesDecrypt, tripleDesEncrypt } from '../crypto/des.js';
import { deriveKey } from '../crypto/kdf.js';
import { pad, unpad } from '../crypto/padding.js';
import { isTesseraError, TesseraError } from '../../errors.js';
import { mrzInformation, type BacMrzInput } from '../bac/mrz-information.js';
import { bigIntToBytes, bytesToBigInt, mod, modInversePrime, type GroupElement, type PaceGroup } from './groups.js';
import { paceError } from './pace-errors.js';
import { encodeOidValue } from './protocols.js';

/** The shared secret PACE starts from: the MRZ fields (or MRZ_information), or the Card Access Number. */
export type PacePassword = { readonly mrz: string | BacMrzInput } | { readonly can: string };

/** MSE:Set AT DO'83' password references (Doc 9303 part 11 §4.4.4.1). */
export const PASSWORD_REFERENCE = Object.freeze({ MRZ: 0x01, CAN: 0x02 });
export type PasswordType = keyof typeof PASSWORD_REFERENCE;

export interface EncodedPassword {
  type: PasswordType;
  /** DO'83' value. */
  reference: number;
  /** f(π): SHA-1(MRZ_information), or the CAN in ISO/IEC 8859-1 (Doc 9303 part 11 Table 14). */
  encoding: Uint8Array;
}

/** Encodes a password per Table 14 and names its DO'83' reference. Throws EMRTD_PACE_PASSWORD_INVALID. */
export function encodePassword(password: PacePassword): EncodedPassword {
  if (password && typeof password === 'object' && 'mrz' in password) {
    let info: string;
    try {
      info = typeof password.mrz === 'string' ? password.mrz.trim().toUpperCase() : mrzInformation(password.mrz);
    } catch (error) {
      throw paceError('EMRTD_PACE_PASSWORD_INVALID', `The MRZ password is unusable: ${isTesseraError(error) ? error.message : String(error)}`, undefined, error);
    }
    if (!/^[A-Z0-9<]{24,}$/.test(info)) {
      throw paceError('EMRTD_PACE_PASSWORD_INVALID', 'MRZ_information must be at least 24 MRZ characters (document number, date of birth, date of expiry, each with its check digit)');
    }
    return { type: 'MRZ', reference: PASSWORD_REFERENCE.MRZ, encoding: new Uint8Array(createHash('sha1').update(info, 'latin1').digest()) };
  }
  if (password && typeof password === 'object' && 'can' in password) {
    const can = typeof password.can === 'string' ? password.can.trim() : '';
    // ISO/IEC 8859-1: every character must be one byte. CANs are 6 digits in practice; any Latin-1 string is accepted.
    if (can.length === 0 || !/^[\u0020-\u007e\u00a0-\u00ff]+$/.test(can)) {
      throw paceError('EMRTD_PACE_PASSWORD_INVALID', 'The CAN must be a non-empty string of ISO/IEC 8859-1 characters (usually 6 digits)');
    }
    return { type: 'CAN', reference: PASSWORD_REFERENCE.CAN, encoding: Uint8Array.from(can, (c) => c.charCodeAt(0)) };
  }
  throw paceError('EMRTD_PACE_PASSWORD_INVALID', 'The password must be { mrz } or { can }');
}

/** K_π = KDF(f(π), 3) with the cipher's key length. */
export function derivePasswordKey(password: PacePassword | EncodedPassword, cipher: SymmetricAlgorithm): Uint8Array {
  const encoded = 'encoding' in password ? password : encodePassword(password);
  return deriveKey(encoded.encoding, 3, cipher);
}

/** CBC with a zero IV and no padding, in the given cipher (the mode of the nonce and of R_p). */
export function cbcEncrypt(cipher: SymmetricAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return cipher === '3DES' ? tripleDesEncrypt(key, data) : aesCbcEncrypt(key, data);
}

export function cbcDecrypt(cipher: SymmetricAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return cipher === '3DES' ? tripleDesDecrypt(key, data) : aesCbcDecrypt(key, data);
}

/** z = E(K_π, s), CBC with zero IV (§4.4.3.3). */
export function encryptNonce(cipher: SymmetricAlgorithm, kPi: Uint8Array, s: Uint8Array): Uint8Array {
  return cbcEncrypt(cipher, kPi, s);
}

/** s = D(K_π, z). Throws EMRTD_PACE_NONCE_INVALID unless z is one or more whole blocks. */
export function decryptNonce(cipher: SymmetricAlgorithm, kPi: Uint8Array, z: Uint8Array): Uint8Array {
  const block = blockSize(cipher);
  if (z.length === 0 || z.length % block !== 0) {
    throw paceError('EMRTD_PACE_NONCE_INVALID', `The encrypted nonce has ${z.length} bytes; it must be a non-zero multiple of the ${block}-byte ${cipher} block`, { length: z.length });
  }
  return cbcDecrypt(cipher, kPi, z);
}

/**
 * Length in bytes of the nonces for the integrated mapping (§4.4.3.3): t is k bits (the key
 * size; 128 for 3DES), s is l bits, the smallest multiple of the block size with l ≥ k.
 */
export function integratedMappingNonceLengths(cipher: SymmetricAlgorithm): { s: number; t: number } {
  const k = keyLength(cipher);
  const block = blockSize(cipher);
  return { s: Math.ceil(k / block) * block, t: k };
}

/** Generic mapping (§4.4.3.3.1): G̃ = s·G + H (ECDH) or g̃ = g^s · h (DH). */
export function genericMapping(group: PaceGroup, s: Uint8Array, h: GroupElement): GroupElement {
  if (group.isIdentity(h)) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The mapping key agreement gave the identity element');
  const mapped = group.add(group.multiply(group.generator, bytesToBigInt(s)), h);
  if (group.isIdentity(mapped)) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The generic mapping gave the identity element');
  return mapped;
}

/** The constants c0, c1 of the integrated mapping's pseudo-random function (§4.4.3.3.2). */
const PRF_CONSTANTS = {
  128: [
    fromHex('a668892a7c41e3ca739f40b057d85904'),
    fromHex('a4e136ac725f738b01c1f60217c188ad'),
  ],
  256: [
    fromHex('d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676'),
    fromHex('54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517'),
  ],
} as const;

/**
 * The integrated mapping's pseudo-random function before the reduction: x_1 || … || x_n, where
 * k_0 = E(t, s) and, for each i, x_{i+1} = E(k_i, c1) and k_{i+1} = E(k_i, c0), every E in CBC
 * mode with a zero IV and keys cut to the cipher's key size; n is the smallest number with
 * n·l ≥ log2(p) + 64. Checked against Doc 9303 part 11 App. H (both examples).
 */
export function integratedMappingPrfBytes(cipher: SymmetricAlgorithm, s: Uint8Array, t: Uint8Array, prime: bigint): Uint8Array {
  const keySize = keyLength(cipher);
  const lengths = integratedMappingNonceLengths(cipher);
  if (t.length !== lengths.t) throw paceError('EMRTD_PACE_RESPONSE_MALFORMED', `The integrated mapping nonce t has ${t.length} bytes instead of ${lengths.t}`);
  if (s.length !== lengths.s) throw paceError('EMRTD_PACE_NONCE_INVALID', `The integrated mapping needs a ${lengths.s}-byte nonce s, got ${s.length} bytes`, { length: s.length });
  const l = s.length * 8;
  const [c0, c1] = l === 128 ? PRF_CONSTANTS[128] : PRF_CONSTANTS[256];
  const n = Math.ceil((prime.toString(2).length + 64) / l);
  const cut = (key: Uint8Array): Uint8Array => key.subarray(0, keySize);
  let key = cut(cbcEncrypt(cipher, t, s));
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    blocks.push(cbcEncrypt(cipher, key, c1));
    key = cut(cbcEncrypt(cipher, key, c0));
  }
  return concatBytes(...blocks);
}

/** R_p(s, t) = int(x_1 || … || x_n) mod p. */
export function integratedMappingPrf(cipher: SymmetricAlgorithm, s: Uint8Array, t: Uint8Array, prime: bigint): bigint {
  return mod(bytesToBigInt(integratedMappingPrfBytes(cipher, s, t, prime)), prime);
}

/** Integrated mapping (§4.4.3.3.2): G̃ = f_G(R_p(s, t)). */
export function integratedMapping(group: PaceGroup, cipher: SymmetricAlgorithm, s: Uint8Array, t: Uint8Array): GroupElement {
  return group.integratedMap(integratedMappingPrf(cipher, s, t, group.prime));
}

/** KS_enc = KDF(K, 1) and KS_mac = KDF(K, 2) with the cipher's key length (§9.7.4). */
export function deriveSessionKeys(sharedSecret: Uint8Array, cipher: SymmetricAlgorithm): { ksEnc: Uint8Array; ksMac: Uint8Array } {
  return { ksEnc: deriveKey(sharedSecret, 1, cipher), ksMac: deriveKey(sharedSecret, 2, cipher) };
}

/**
 * The public key data object the tokens are computed over (§4.4.3.4, §9.4): 7F49 { 06 protocol
 * OID, 86 point (ECDH) or 84 value (DH) }, with the ephemeral public key as it was exchanged.
 */
export function publicKeyDataObject(protocolOid: string, keyAgreement: 'DH' | 'ECDH', encodedPublicKey: Uint8Array): Uint8Array {
  return encodeTlv(0x7f49, [encodeTlv(0x06, encodeOidValue(protocolOid)), encodeTlv(keyAgreement === 'ECDH' ? 0x86 : 0x84, encodedPublicKey)]);
}

/**
 * An authentication token T = MAC(KS_mac, public key data object): AES-CMAC cut to 8 bytes, or the
 * ISO/IEC 9797-1 retail MAC over method-2 padded data for 3DES. T_IFD covers the chip's
 * ephemeral key, T_IC the terminal's.
 */
export function authenticationToken(cipher: SymmetricAlgorithm, ksMac: Uint8Array, protocolOid: string, keyAgreement: 'DH' | 'ECDH', encodedPublicKey: Uint8Array): Uint8Array {
  const data = publicKeyDataObject(protocolOid, keyAgreement, encodedPublicKey);
  return cipher === '3DES' ? retailMac(ksMac, pad(data, 8)) : aesCmac(ksMac, data, 8);
}

/** CA_IC = SK_IC⁻¹ · SK_Map,IC mod n (§4.4.3.5.1), as FE2OS: as many bytes as the group order. */
export function chipAuthenticationData(group: PaceGroup, staticPrivateKey: bigint, mappingPrivateKey: bigint): Uint8Array {
  const ca = mod(modInversePrime(staticPrivateKey, group.order) * mappingPrivateKey, group.order);
  return bigIntToBytes(ca, group.scalarLength);
}

/** IV = E(KS_enc, -1): the all-ones block encrypted under KS_enc (§4.4.3.5.4). */
export function chipAuthenticationIv(ksEnc: Uint8Array): Uint8Array {
  return aesEncryptBlock(ksEnc, new Uint8Array(16).fill(0xff));
}

function checkAes(cipher: SymmetricAlgorithm): void {
  if (cipher === '3DES') throw paceError('EMRTD_PACE_UNSUPPORTED', 'PACE-CAM is defined with AES only');
}

/** A_IC = E(KS_enc, pad(CA_IC)), AES-CBC with IV = E(KS_enc, -1). */
export function encryptChipAuthenticationData(cipher: SymmetricAlgorithm, ksEnc: Uint8Array, caIc: Uint8Array): Uint8Array {
  checkAes(cipher);
  return aesCbcEncrypt(ksEnc, pad(caIc, 16), chipAuthenticationIv(ksEnc));
}

/** CA_IC from A_IC. Throws EMRTD_PACE_CAM_INVALID when it is not whole blocks or the padding is wrong. */
export function decryptChipAuthenticationData(cipher: SymmetricAlgorithm, ksEnc: Uint8Array, aIc: Uint8Array): Uint8Array {
  checkAes(cipher);
  if (aIc.length === 0 || aIc.length % 16 !== 0) {
    throw paceError('EMRTD_PACE_CAM_INVALID', `The encrypted chip authentication data has ${aIc.length} bytes, not a non-zero multiple of 16`);
  }
  try {
    return unpad(aesCbcDecrypt(ksEnc, aIc, chipAuthenticationIv(ksEnc)), 16).slice();
  } catch (error) {
    throw paceError('EMRTD_PACE_CAM_INVALID', 'The chip authentication data does not decrypt to validly padded data', undefined, error);
  }
}

/**
 * The terminal's PACE-CAM check (§4.4.3.5.2): PK_Map,IC = KA(CA_IC, PK_IC), i.e. CA_IC · PK_IC
 * must be the mapping public key the chip sent. Throws EMRTD_PACE_CAM_INVALID (or
 * EMRTD_PACE_PUBLIC_KEY_INVALID when the static key is not a valid point).
 */
export function checkChipAuthenticationData(group: PaceGroup, caIc: Uint8Array, chipStaticPublicKey: Uint8Array, chipMappingPublicKey: Uint8Array): void {
  const ca = bytesToBigInt(caIc);
  if (caIc.length > group.scalarLength || ca <= 0n || ca >= group.order) {
    throw paceError('EMRTD_PACE_CAM_INVALID', 'The chip authentication data is not a number in 1..n-1');
  }
  const staticKey = group.decode(chipStaticPublicKey, "the chip's static Chip Authentication public key");
  const mappingKey = group.decode(chipMappingPublicKey, "the chip's mapping public key");
  if (!group.equals(group.multiply(staticKey, ca), mappingKey)) {
    throw paceError('EMRTD_PACE_CAM_INVALID', "CA_IC · PK_IC is not the chip's mapping public key: the chip does not hold the private key of the static public key given");
  }
}

/** Reads a private key or nonce drawn as bytes as an integer, rejecting a zero. */
export function scalarFromBytes(bytes: Uint8Array, group: PaceGroup): bigint {
  const k = mod(bytesToBigInt(bytes), group.order);
  if (k === 0n) {
    throw new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', 'The random source returned a PACE private key that is zero modulo the group order', {
      hint: 'The random source is broken; pass secureRandom.',
    });
  }
  return k;
}
