/**
 * Constant-time comparison for MACs and authentication tokens, so a chip or terminal cannot
 * learn how many leading bytes of a forged MAC were right from response timing.
 */

import { timingSafeEqual } from 'node:crypto';

/** True when both arrays hold the same bytes. The length is not secret, so a mismatch returns early. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
