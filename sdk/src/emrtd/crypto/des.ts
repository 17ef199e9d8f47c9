/**
 * Two-key triple DES for BAC: CBC encryption with a zero IV (ICAO Doc 9303 part 11 §9.8.6.1)
 * and the ISO/IEC 9797-1 MAC algorithm 3 "retail MAC" (single-DES CBC-MAC with a final
 * 3DES step). Node only ships EDE variants in its default OpenSSL provider, so single DES is
 * run as EDE with K1 = K2, which is the same function.
 *
 * The functions key a cipher per call; secure messaging keeps a `RetailMac` (and a
 * `KeyedBlockCipher`) for its whole session instead.
 */

import { cryptoInputError } from './algorithms.js';
import { KeyedBlockCipher } from './keyed-cipher.js';

/** 3DES-CBC encryption without padding (callers pad with ISO/IEC 9797-1 method 2). */
export function tripleDesEncrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new KeyedBlockCipher('3DES', key).encryptCbc(data, iv);
}

/** 3DES-CBC decryption without padding removal. */
export function tripleDesDecrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new KeyedBlockCipher('3DES', key).decryptCbc(data, iv);
}

/** ISO/IEC 9797-1 MAC algorithm 3 under one two-key 3DES key, keyed once for many messages. */
export class RetailMac {
  /** Single DES under Ka (EDE with Ka = Kb), for the CBC chain. */
  private readonly chain: KeyedBlockCipher;
  /** 3DES under Ka‖Kb, for the last block. */
  private readonly final: KeyedBlockCipher;

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== 16) throw cryptoInputError(`A two-key 3DES key has 16 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
    const ka = key.subarray(0, 8);
    const single = new Uint8Array(16);
    single.set(ka);
    single.set(ka, 8);
    this.chain = new KeyedBlockCipher('3DES', single);
    this.final = new KeyedBlockCipher('3DES', key);
  }

  /** The 8-byte MAC of data that is already padded (Doc 9303 pads explicitly before MACing). */
  compute(paddedData: Uint8Array): Uint8Array {
    if (paddedData.length % 8 !== 0) throw cryptoInputError(`Retail MAC: ${paddedData.length} bytes is not a whole number of 8-byte blocks (pad first)`);
    if (paddedData.length === 0) throw cryptoInputError('Retail MAC needs at least one block');
    const lastStart = paddedData.length - 8;
    const x = paddedData.slice(lastStart);
    if (lastStart > 0) {
      const out = this.chain.encryptCbc(paddedData.subarray(0, lastStart));
      for (let i = 0; i < 8; i++) x[i] ^= out[lastStart - 8 + i];
    }
    // E_Ka(D_Kb(E_Ka(x))) is exactly the last CBC step under Ka followed by the output transformation.
    return this.final.encryptBlocks(x);
  }
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 with DES over data that is already padded (Doc 9303 always
 * pads explicitly, so the MAC input appears in its worked examples as it is MACed). 8 bytes out.
 */
export function retailMac(key: Uint8Array, paddedData: Uint8Array): Uint8Array {
  return new RetailMac(key).compute(paddedData);
}
