/**
 * CPU time of a chip read on the terminal side: BAC + secure messaging + EF.COM, EF.SOD, DG1 and a
 * ~20 KB DG2 over a zero-latency scripted chip. The card's own work (its half of BAC and SM) is
 * measured separately and subtracted.
 *   node --import tsx plugins/emrtd/src/reading/bench-read.ts [runs]
 */
import { readChip } from './chip-reader.js';
import { TestChip, buildOpaqueFile, buildTestDg1, buildTestEfCom } from './test-chip.js';

const MRZ = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const runs = Number(process.argv[2] ?? 20);

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function once(extended: boolean) {
  const chip = new TestChip({
    mrz: MRZ,
    files: new Map([
      [0x011e, buildTestEfCom([1, 2])],
      [0x011d, buildOpaqueFile(0x77, 1500)],
      [0x0101, buildTestDg1(TD3)],
      [0x0102, buildOpaqueFile(0x75, 20_000)],
    ]),
    ...(extended ? { maxCommandLength: 65544, maxResponseLength: 65538 } : {}),
  });
  let cardCpu = 0;
  const transmit = chip.transmit.bind(chip);
  chip.transmit = async (c, o) => {
    const t = process.cpuUsage();
    const r = await transmit(c, o);
    cardCpu += cpuMs(process.cpuUsage(t));
    return r;
  };
  const start = process.cpuUsage();
  const wall = performance.now();
  const r = await readChip(chip, { mrz: MRZ });
  const total = cpuMs(process.cpuUsage(start));
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { total, card: cardCpu, terminal: total - cardCpu, wall: performance.now() - wall, apdus: r.apduCount, bytes: r.bytesRead };
}

for (const extended of [false, true]) {
  for (let i = 0; i < 3; i++) await once(extended); // warm-up (JIT, crypto init)
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(extended));
  const median = (k: 'total' | 'card' | 'terminal' | 'wall') => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)]!.toFixed(2);
  console.log(
    `${extended ? 'extended-length link' : 'short APDUs (0xDF reads)'}: ${results[0]!.apdus} APDUs, ${results[0]!.bytes} bytes; median of ${runs}: ` +
      `terminal CPU ${median('terminal')} ms, card CPU ${median('card')} ms, total CPU ${median('total')} ms, wall ${median('wall')} ms`,
  );
}
