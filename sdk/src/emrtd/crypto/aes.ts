/**
 * AES for PACE secure messaging: CBC without padding (ICAO Doc 9303 part 11 §9.8.6.2, where
 * the IV is the SSC encrypted under KSenc), single-block encryption to make that IV, and
 * AES-CMAC (NIST SP 800-38B / RFC 4493), which Doc 9303 truncates to 8 bytes.
 *
 * The functions key a cipher per call; secure messaging keeps an `AesCmac` (and a
 * `KeyedBlockCipher`) for its whole session instead.
 */

import { cryptoInputError } from './algorithms.js';
import { KeyedBlockCipher } from './keyed-cipher.js';

const ZERO_BLOCK = new Uint8Array(16);

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new KeyedBlockCipher('AES', key).encryptCbc(data, iv);
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  return new KeyedBlockCipher('AES', key).decryptCbc(data, iv);
}

/** AES applied to one 16-byte block (ECB). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  if (block.length !== 16) throw cryptoInputError(`AES block must be 16 bytes, got ${block.length}`);
  return new KeyedBlockCipher('AES', key).encryptBlocks(block);
}

/** Doubling in GF(2^128) with the SP 800-38B constant R128 = 0x87. */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 15; i++) out[i] = ((block[i] << 1) | (block[i + 1] >> 7)) & 0xff;
  out[15] = (block[15] << 1) & 0xff;
  if (block[0] & 0x80) out[15] ^= 0x87;
  return out;
}

/** AES-CMAC under one key, with its subkeys derived once for many messages. */
export class AesCmac {
  private readonly cipher: KeyedBlockCipher;
  private readonly k1: Uint8Array;
  private readonly k2: Uint8Array;

  constructor(key: Uint8Array) {
    this.cipher = new KeyedBlockCipher('AES', key);
    this.k1 = double(this.cipher.encryptBlocks(ZERO_BLOCK));
    this.k2 = double(this.k1);
  }

  /** The CMAC of any number of bytes; `macLength` keeps the leftmost bytes (Doc 9303 uses 8). */
  compute(message: Uint8Array, macLength = 16): Uint8Array {
    if (!Number.isInteger(macLength) || macLength < 1 || macLength > 16) throw cryptoInputError(`CMAC length must be 1..16, got ${String(macLength)}`);
    const blocks = Math.max(1, Math.ceil(message.length / 16));
    const complete = message.length > 0 && message.length % 16 === 0;
    // Rewrite the last block (complete: XOR K1; partial: 10* padding then XOR K2), then one CBC pass.
    const input = new Uint8Array(blocks * 16);
    input.set(message);
    const lastStart = (blocks - 1) * 16;
    if (!complete) input[message.length] = 0x80;
    const subkey = complete ? this.k1 : this.k2;
    for (let i = 0; i < 16; i++) input[lastStart + i] ^= subkey[i];
    const encrypted = this.cipher.encryptCbc(input);
    return encrypted.slice(lastStart, lastStart + macLength);
  }
}

/** AES-CMAC over any number of bytes; `macLength` keeps the leftmost bytes (Doc 9303 uses 8). */
export function aesCmac(key: Uint8Array, message: Uint8Array, macLength = 16): Uint8Array {
  return new AesCmac(key).compute(message, macLength);
}
