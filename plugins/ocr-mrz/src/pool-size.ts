/** How many tesseract workers the machine can keep warm: one per core, capped (each holds ~200 MiB). */
import { availableParallelism } from 'node:os';

export function defaultPoolSize(cap = 4): number {
  return Math.max(1, Math.min(cap, availableParallelism()));
}
