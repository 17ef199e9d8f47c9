/**
 * ISO/IEC 9797-1 padding method 2 (a '80' byte, then '00' up to the block boundary; always at
 * least one byte added), which ICAO Doc 9303 uses before every encryption and MAC.
 */

import { TesseraError } from '../../errors.js';
import { cryptoInputError } from './algorithms.js';

export function pad(data: Uint8Array, blockSize: number): Uint8Array {
  if (blockSize !== 8 && blockSize !== 16) throw cryptoInputError(`Padding block size must be 8 or 16, got ${String(blockSize)}`);
  const out = new Uint8Array(data.length + blockSize - (data.length % blockSize));
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * Removes method-2 padding. Rejects input that is not whole blocks, whose trailing zeros run
 * into the previous block or that has no '80' marker, since decrypted data with bad padding
 * means the wrong key or tampering.
 */
export function unpad(data: Uint8Array, blockSize: number): Uint8Array {
  if (blockSize !== 8 && blockSize !== 16) throw cryptoInputError(`Padding block size must be 8 or 16, got ${String(blockSize)}`);
  const bad = (why: string): TesseraError =>
    new TesseraError('EMRTD_CRYPTO_PADDING_INVALID', `Invalid ISO/IEC 9797-1 method 2 padding: ${why}`, {
      hint: 'The data was decrypted with the wrong key or was altered.',
    });
  if (data.length === 0 || data.length % blockSize !== 0) throw bad(`${data.length} bytes is not a whole number of ${blockSize}-byte blocks`);
  let i = data.length - 1;
  const limit = data.length - blockSize;
  while (i >= limit && data[i] === 0x00) i--;
  if (i < limit) throw bad('the last block is all zeros');
  if (data[i] !== 0x80) throw bad(`expected '80' before the trailing zeros, found '${data[i].toString(16).padStart(2, '0').toUpperCase()}'`);
  return data.subarray(0, i);
}
