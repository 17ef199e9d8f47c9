/**
 * Two-key triple DES for BAC: CBC encryption with a zero IV (ICAO Doc 9303 part 11 §9.8.6.1)
 * and the ISO/IEC 9797-1 MAC algorithm 3 "retail MAC" (single-DES CBC-MAC with a final
 * 3DES step). Node only ships EDE variants in its default OpenSSL provider, so single DES is
 * run as EDE with K1 = K2, which is the same function.
 */

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { cryptoInputError } from './algorithms.js';

const ZERO_IV = new Uint8Array(8);

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 16) throw cryptoInputError(`A two-key 3DES key has 16 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
}

function checkBlocks(data: Uint8Array, what: string): void {
  if (data.length % 8 !== 0) throw cryptoInputError(`${what}: ${data.length} bytes is not a whole number of 8-byte blocks (pad first)`);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 8) throw cryptoInputError(`A 3DES IV has 8 bytes, got ${iv.length}`);
}

/** 3DES-CBC encryption without padding (callers pad with ISO/IEC 9797-1 method 2). */
export function tripleDesEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  checkKey(key);
  checkIv(iv);
  checkBlocks(data, '3DES encryption');
  const cipher = createCipheriv('des-ede-cbc', key, iv).setAutoPadding(false);
  return concat(cipher.update(data), cipher.final());
}

/** 3DES-CBC decryption without padding removal. */
export function tripleDesDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  checkKey(key);
  checkIv(iv);
  checkBlocks(data, '3DES decryption');
  const decipher = createDecipheriv('des-ede-cbc', key, iv).setAutoPadding(false);
  return concat(decipher.update(data), decipher.final());
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 with DES over data that is already padded (Doc 9303 always
 * pads explicitly, so the MAC input appears in its worked examples as it is MACed). 8 bytes out.
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  checkKey(key);
  checkBlocks(paddedData, 'Retail MAC');
  if (paddedData.length === 0) throw cryptoInputError('Retail MAC needs at least one block');
  const ka = key.subarray(0, 8);
  const lastStart = paddedData.length - 8;
  let chain: Uint8Array = ZERO_IV;
  if (lastStart > 0) {
    const single = createCipheriv('des-ede-cbc', concat(ka, ka), ZERO_IV).setAutoPadding(false);
    const out = single.update(paddedData.subarray(0, lastStart));
    chain = out.subarray(out.length - 8);
  }
  const x = new Uint8Array(8);
  for (let i = 0; i < 8; i++) x[i] = chain[i] ^ paddedData[lastStart + i];
  // E_Ka(D_Kb(E_Ka(x))) is exactly the last CBC step under Ka followed by the output transformation.
  const final = createCipheriv('des-ede-ecb', key, null).setAutoPadding(false);
  return concat(final.update(x), final.final());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
