/**
 * AES for PACE secure messaging: CBC without padding (ICAO Doc 9303 part 11 §9.8.6.2, where
 * the IV is the SSC encrypted under KSenc), single-block encryption to make that IV, and
 * AES-CMAC (NIST SP 800-38B / RFC 4493), which Doc 9303 truncates to 8 bytes.
 */

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { cryptoInputError } from './algorithms.js';

const ZERO_BLOCK = new Uint8Array(16);

function mode(key: Uint8Array, m: 'cbc' | 'ecb'): string {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
    throw cryptoInputError(`An AES key has 16, 24 or 32 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
  return `aes-${key.length * 8}-${m}`;
}

function checkBlocks(data: Uint8Array, what: string): void {
  if (data.length % 16 !== 0) throw cryptoInputError(`${what}: ${data.length} bytes is not a whole number of 16-byte blocks (pad first)`);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw cryptoInputError(`An AES IV has 16 bytes, got ${iv.length}`);
}

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_BLOCK): Uint8Array {
  const name = mode(key, 'cbc');
  checkIv(iv);
  checkBlocks(data, 'AES-CBC encryption');
  const cipher = createCipheriv(name, key, iv).setAutoPadding(false);
  return join(cipher.update(data), cipher.final());
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO_BLOCK): Uint8Array {
  const name = mode(key, 'cbc');
  checkIv(iv);
  checkBlocks(data, 'AES-CBC decryption');
  const decipher = createDecipheriv(name, key, iv).setAutoPadding(false);
  return join(decipher.update(data), decipher.final());
}

/** AES applied to one 16-byte block (ECB). */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const name = mode(key, 'ecb');
  if (block.length !== 16) throw cryptoInputError(`AES block must be 16 bytes, got ${block.length}`);
  const cipher = createCipheriv(name, key, null).setAutoPadding(false);
  return join(cipher.update(block), cipher.final());
}

/** Doubling in GF(2^128) with the SP 800-38B constant R128 = 0x87. */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 15; i++) out[i] = ((block[i] << 1) | (block[i + 1] >> 7)) & 0xff;
  out[15] = (block[15] << 1) & 0xff;
  if (block[0] & 0x80) out[15] ^= 0x87;
  return out;
}

/** AES-CMAC over any number of bytes; `macLength` keeps the leftmost bytes (Doc 9303 uses 8). */
export function aesCmac(key: Uint8Array, message: Uint8Array, macLength = 16): Uint8Array {
  if (!Number.isInteger(macLength) || macLength < 1 || macLength > 16) throw cryptoInputError(`CMAC length must be 1..16, got ${String(macLength)}`);
  const k1 = double(aesEncryptBlock(key, ZERO_BLOCK));
  const k2 = double(k1);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  // Rewrite the last block (complete: XOR K1; partial: 10* padding then XOR K2), then one CBC pass.
  const input = new Uint8Array(blocks * 16);
  input.set(message);
  const lastStart = (blocks - 1) * 16;
  if (!complete) input[message.length] = 0x80;
  const subkey = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) input[lastStart + i] ^= subkey[i];
  const encrypted = aesCbcEncrypt(key, input);
  return encrypted.slice(encrypted.length - 16, encrypted.length - 16 + macLength);
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
