/**
 * A block cipher keyed once and used for many messages: the OpenSSL contexts are created on first
 * use and then kept, so a secure-messaging session (two or three cipher operations per APDU, over a
 * hundred APDUs per chip read) does not pay Node's cipher set-up every time — that set-up cost more
 * than the encryption of a short APDU itself.
 *
 * A CBC context that is never finalised carries its chaining value from one `update` to the next.
 * Each message still gets its own IV: the first block going in is XORed with the previous message's
 * last ciphertext block and the wanted IV, which cancels the carried chain (encryption), or the
 * first block coming out is (decryption). Inputs must be whole blocks (padding is the caller's, as
 * everywhere in ICAO Doc 9303), so OpenSSL never holds bytes back between messages.
 */

import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { cryptoInputError } from './algorithms.js';

export type BlockCipherName = '3DES' | 'AES';

export class KeyedBlockCipher {
  readonly blockSize: number;
  private readonly cbcName: string;
  private readonly ecbName: string;
  private readonly key: Uint8Array;
  private encryptor: Cipher | undefined;
  private decryptor: Decipher | undefined;
  private ecb: Cipher | undefined;
  /** The chaining value each CBC context carries: the last ciphertext block it produced or took. */
  private encryptChain: Uint8Array;
  private decryptChain: Uint8Array;

  /** Two-key 3DES (16 bytes; K1 = K2 gives single DES) or AES-128/192/256. */
  constructor(cipher: BlockCipherName, key: Uint8Array) {
    if (!(key instanceof Uint8Array)) throw cryptoInputError(`A ${cipher} key must be bytes, got ${typeof key}`);
    if (cipher === '3DES') {
      if (key.length !== 16) throw cryptoInputError(`A two-key 3DES key has 16 bytes, got ${key.length}`);
      this.blockSize = 8;
      this.cbcName = 'des-ede-cbc';
      this.ecbName = 'des-ede-ecb';
    } else {
      if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw cryptoInputError(`An AES key has 16, 24 or 32 bytes, got ${key.length}`);
      this.blockSize = 16;
      this.cbcName = `aes-${key.length * 8}-cbc`;
      this.ecbName = `aes-${key.length * 8}-ecb`;
    }
    this.key = key.slice();
    this.encryptChain = new Uint8Array(this.blockSize);
    this.decryptChain = new Uint8Array(this.blockSize);
  }

  /** CBC encryption of whole blocks; the IV defaults to zero. */
  encryptCbc(data: Uint8Array, iv?: Uint8Array): Uint8Array {
    this.checkBlocks(data, 'CBC encryption');
    if (data.length === 0) return new Uint8Array(0);
    this.encryptor ??= createCipheriv(this.cbcName, this.key, this.encryptChain).setAutoPadding(false);
    const input = data.slice();
    this.xorIntoFirstBlock(input, this.encryptChain, this.checkIv(iv));
    const out = new Uint8Array(this.encryptor.update(input));
    this.encryptChain = out.slice(out.length - this.blockSize);
    return out;
  }

  /** CBC decryption of whole blocks, padding left in place; the IV defaults to zero. */
  decryptCbc(data: Uint8Array, iv?: Uint8Array): Uint8Array {
    this.checkBlocks(data, 'CBC decryption');
    if (data.length === 0) return new Uint8Array(0);
    this.decryptor ??= createDecipheriv(this.cbcName, this.key, this.decryptChain).setAutoPadding(false);
    const out = new Uint8Array(this.decryptor.update(data));
    if (out.length !== data.length) throw cryptoInputError(`CBC decryption returned ${out.length} of ${data.length} bytes`);
    this.xorIntoFirstBlock(out, this.decryptChain, this.checkIv(iv));
    this.decryptChain = data.slice(data.length - this.blockSize);
    return out;
  }

  /** The cipher applied to each block on its own (ECB). */
  encryptBlocks(data: Uint8Array): Uint8Array {
    this.checkBlocks(data, 'block encryption');
    this.ecb ??= createCipheriv(this.ecbName, this.key, null).setAutoPadding(false);
    return new Uint8Array(this.ecb.update(data));
  }

  private xorIntoFirstBlock(block: Uint8Array, chain: Uint8Array, iv: Uint8Array | undefined): void {
    for (let i = 0; i < this.blockSize; i++) block[i] ^= chain[i] ^ (iv ? iv[i] : 0);
  }

  private checkBlocks(data: Uint8Array, what: string): void {
    if (data.length % this.blockSize !== 0) throw cryptoInputError(`${what}: ${data.length} bytes is not a whole number of ${this.blockSize}-byte blocks (pad first)`);
  }

  private checkIv(iv: Uint8Array | undefined): Uint8Array | undefined {
    if (iv !== undefined && iv.length !== this.blockSize) throw cryptoInputError(`The IV must have ${this.blockSize} bytes, got ${iv.length}`);
    return iv;
  }
}
