/**
 * MRZ parse + validate throughput on one core, over a mixed set of valid documents of every
 * format. `node --import tsx scripts/bench-mrz.ts` prints the figures; scripts/bench.ts and
 * CI can import benchMrz() instead. The target is ≥ 200,000 documents per second.
 */

import { pathToFileURL } from 'node:url';
import { parseMrz } from '../sdk/src/mrz/index.js';
import { ALL_FORMATS, randomMrz, seededRandom } from '../sdk/src/mrz/sample-documents.js';

const DOCUMENTS_PER_FORMAT = 500;
const WARM_UP_MS = 500;
const MEASURE_MS = 2000;

export async function benchMrz(): Promise<{ docsPerSecond: number; formats: Record<string, number> }> {
  const rand = seededRandom(9303);
  const docs: string[][] = [];
  const formats: Record<string, number> = {};
  for (let i = 0; i < DOCUMENTS_PER_FORMAT; i++) {
    for (const format of ALL_FORMATS) {
      docs.push(randomMrz(rand, format));
      formats[format] = (formats[format] ?? 0) + 1;
    }
  }
  // A fixed reference date keeps every document valid, so the numbers do not drift over time.
  const options = { referenceDate: new Date('2026-11-25T00:00:00Z') };
  let invalid = 0;
  const pass = (): void => {
    for (let i = 0; i < docs.length; i++) if (!parseMrz(docs[i], options).valid) invalid++;
  };

  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) pass();
  if (invalid > 0) throw new Error(`benchmark set holds ${invalid} invalid documents`);

  let parsed = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    pass();
    parsed += docs.length;
    elapsed = performance.now() - start;
  }
  // Yield once so callers running several benchmarks keep their event loop responsive.
  await new Promise((resolve) => setImmediate(resolve));
  return { docsPerSecond: Math.round((parsed * 1000) / elapsed), formats };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { docsPerSecond, formats } = await benchMrz();
  const mix = Object.entries(formats).map(([f, n]) => `${f} ${n}`).join(', ');
  console.log(`MRZ parse + validate: ${docsPerSecond.toLocaleString('en-US')} documents/s on one core (set: ${mix})`);
  console.log(docsPerSecond >= 200_000 ? 'target ≥ 200,000 documents/s: met' : 'target ≥ 200,000 documents/s: NOT met');
}
