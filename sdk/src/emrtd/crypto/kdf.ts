/**
 * The ICAO Doc 9303 part 11 §9.7.1 key derivation function: KDF(K, c) = H(K || c) with c a
 * 32-bit big-endian counter (1 for encryption, 2 for MAC, 3 for the PACE password key), cut to
 * the key length. SHA-1 serves 3DES and AES-128, SHA-256 serves AES-192 and AES-256.
 */

import { createHash } from 'node:crypto';
import { cryptoInputError, unknownAlgorithm, type SymmetricAlgorithm } from './algorithms.js';

export const KDF_COUNTER_ENC = 1;
export const KDF_COUNTER_MAC = 2;
export const KDF_COUNTER_PACE = 3;

export function deriveKey(keySeed: Uint8Array, counter: 1 | 2 | 3, alg: SymmetricAlgorithm): Uint8Array {
  if (!(keySeed instanceof Uint8Array) || keySeed.length === 0) throw cryptoInputError('The key seed must be a non-empty byte array');
  if (counter !== 1 && counter !== 2 && counter !== 3) throw cryptoInputError(`KDF counter must be 1, 2 or 3, got ${String(counter)}`);
  const input = new Uint8Array(keySeed.length + 4);
  input.set(keySeed);
  input[input.length - 1] = counter;
  switch (alg) {
    case '3DES':
      // Ka || Kb from the first 16 bytes of the SHA-1 hash, each byte given odd parity as DES keys require.
      return adjustDesParity(sha('sha1', input).subarray(0, 16));
    case 'AES128':
      return sha('sha1', input).subarray(0, 16);
    case 'AES192':
      return sha('sha256', input).subarray(0, 24);
    case 'AES256':
      return sha('sha256', input);
    default:
      throw unknownAlgorithm(alg);
  }
}

function sha(name: 'sha1' | 'sha256', input: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(name).update(input).digest());
}

/** Returns a copy with the low bit of each byte set so that every byte has an odd number of 1 bits. */
export function adjustDesParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const high = key[i] & 0xfe;
    let ones = 0;
    for (let b = high; b !== 0; b >>= 1) ones += b & 1;
    out[i] = high | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}
