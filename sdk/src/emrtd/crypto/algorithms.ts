/**
 * The symmetric algorithms ICAO Doc 9303 part 11 pairs with BAC and PACE secure messaging,
 * and the sizes that follow from each choice.
 */

import { TesseraError } from '../../errors.js';

export type SymmetricAlgorithm = '3DES' | 'AES128' | 'AES192' | 'AES256';

export const SYMMETRIC_ALGORITHMS: readonly SymmetricAlgorithm[] = Object.freeze(['3DES', 'AES128', 'AES192', 'AES256']);

/** Key length in bytes: two-key 3DES is 16 (K1 || K2). */
export function keyLength(alg: SymmetricAlgorithm): number {
  switch (alg) {
    case '3DES':
    case 'AES128':
      return 16;
    case 'AES192':
      return 24;
    case 'AES256':
      return 32;
    default:
      throw unknownAlgorithm(alg);
  }
}

/** Cipher block size in bytes, which is also the padding block and the SSC length in secure messaging. */
export function blockSize(alg: SymmetricAlgorithm): number {
  if (alg === '3DES') return 8;
  if (alg === 'AES128' || alg === 'AES192' || alg === 'AES256') return 16;
  throw unknownAlgorithm(alg);
}

export function unknownAlgorithm(alg: unknown): TesseraError {
  return new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', `Unknown algorithm ${JSON.stringify(alg)}`, {
    hint: `Use one of ${SYMMETRIC_ALGORITHMS.join(', ')}.`,
  });
}

export function cryptoInputError(message: string): TesseraError {
  return new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', message, { hint: 'This is a programming error in the caller (wrong key or block length).' });
}
