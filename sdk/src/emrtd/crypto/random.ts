/**
 * The default randomness source for protocol nonces and key material. Protocol functions take
 * randomness as a parameter instead of calling this directly, so tests and trace replays can
 * inject fixed bytes; production callers pass this.
 */

import { randomBytes } from 'node:crypto';
import { cryptoInputError } from './algorithms.js';

export type RandomSource = (length: number) => Uint8Array;

/** Cryptographically secure random bytes from the operating system. */
export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

/** Draws `length` bytes from an injected source and checks it kept its side of the bargain. */
export function drawRandom(random: RandomSource, length: number, what: string): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw cryptoInputError(`The random source returned ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes} for ${what}; ${length} bytes were asked for`);
  }
  return bytes.slice();
}
