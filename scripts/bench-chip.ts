/**
 * The eMRTD chip benchmarks (plugins/emrtd/bench/chip-bench.ts) in a process of their own, so the
 * master list's first load is a real first load and the CPU figures hold no other bench's work.
 *   node --import tsx scripts/bench-chip.ts          prints the figures
 *   node --import tsx scripts/bench-chip.ts --json   one JSON line, as scripts/bench.ts reads it
 * The generated 600-certificate master list is cached in .bench/.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { benchMasterListLoad, benchRealMasterListLoad, benchVerifiedChipRead, type ChipReadFigure, type MasterListFigure } from '../plugins/emrtd/bench/chip-bench.js';

export interface ChipBenchResult {
  masterList: MasterListFigure;
  /** Absent when the shared reference data is not beside the repository. */
  realMasterList?: MasterListFigure;
  reads: ChipReadFigure[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHIP_BENCH_SCRIPT = fileURLToPath(import.meta.url);

async function run(): Promise<ChipBenchResult> {
  // The master list first: its first load is then the process's first use of the certificate code.
  const masterList = await benchMasterListLoad(path.join(ROOT, '.bench'));
  const realMasterList = await benchRealMasterListLoad(path.join(ROOT, '..', 'shared', 'data'));
  const reads = await benchVerifiedChipRead();
  return { masterList, ...(realMasterList ? { realMasterList } : {}), reads };
}

if (process.argv[1] && path.resolve(process.argv[1]) === CHIP_BENCH_SCRIPT) {
  const result = await run();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const m = result.masterList;
    const nl = result.realMasterList;
    console.log(
      `master list: ${m.certificates} certificates, ${(m.bytes / 1024).toFixed(0)} KiB — first load ${m.firstLoadMs.toFixed(1)} ms CPU (${m.firstLoadWallMs.toFixed(1)} ms wall), median of next ${m.laterRuns} ${m.medianLaterMs.toFixed(1)} ms CPU` +
        (m.generatedMs === null ? ' (cached list)' : ` (generated in ${(m.generatedMs / 1000).toFixed(1)} s)`),
    );
    if (nl) console.log(`NL master list (real): ${nl.certificates} certificates, ${(nl.bytes / 1024).toFixed(0)} KiB — first load ${nl.firstLoadMs.toFixed(1)} ms CPU, median of next ${nl.laterRuns} ${nl.medianLaterMs.toFixed(1)} ms CPU`);
    for (const r of result.reads) {
      console.log(
        `${r.link} APDUs: ${r.apdus} APDUs, ${r.bytesRead} bytes; median of ${r.runs}: read ${r.readCpuMs.toFixed(2)} ms + PA ${r.passiveAuthCpuMs.toFixed(2)} ms = ${r.totalCpuMs.toFixed(2)} ms terminal CPU (card ${r.cardCpuMs.toFixed(2)} ms, wall ${r.wallMs.toFixed(2)} ms)`,
      );
    }
  }
}
