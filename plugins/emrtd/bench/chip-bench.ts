/**
 * The chip figures of `npm run bench` (scripts/bench-chip.ts runs them in a process of their own):
 *  - a whole verified chip read on the terminal side over a zero-latency link: BAC, secure
 *    messaging, EF.COM, EF.SOD, DG1 and a 20 KB DG2, then Passive Authentication (data-group
 *    hashes, the SOD signature, the DSC → CSCA chain) — process CPU time, the scripted card's own
 *    share measured and subtracted, median after warm-up; with the number of APDUs, for short and
 *    for extended-length links;
 *  - a CMS master list of 600 CSCA certificates loaded into the trust store (signature, signer
 *    chain, parsing and indexing), in CPU time (wall time too: on a busy machine it mostly measures
 *    the neighbours), the first load in the process and the median of later ones;
 *    and, for comparison, the Netherlands' published list (306 CSCAs) from the shared data.
 * The document, its PKI and the master list come from the SDK's test issuer; the master list takes
 * seconds to generate, so it is cached in the folder the caller names.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildDg1, buildDg2, buildEfCom } from '@tessera/sdk/emrtd';
import { buildMasterList, createDocumentSigner, createMasterListSigner, createTestCsca, signSod, type TestKeyAlgorithm } from '@tessera/sdk/emrtd/issuer';
import { readChip } from '../src/reading/chip-reader.js';
import { TestChip } from '../src/reading/test-chip.js';
import { verifyPassiveAuthentication } from '../src/passive-auth/index.js';
import { TrustStore } from '../src/trust/index.js';

const MRZ = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const DG2_BYTES = 20_000;

export interface ChipReadFigure {
  link: 'short' | 'extended';
  apdus: number;
  bytesRead: number;
  runs: number;
  /** Medians, in ms of CPU time on the terminal side (the card's share subtracted). */
  readCpuMs: number;
  passiveAuthCpuMs: number;
  totalCpuMs: number;
  /** The scripted card's own CPU in the same runs (not part of the figure). */
  cardCpuMs: number;
  wallMs: number;
}

export interface MasterListFigure {
  certificates: number;
  bytes: number;
  /** CPU time. */
  firstLoadMs: number;
  medianLaterMs: number;
  /** Wall-clock time of the same loads. */
  firstLoadWallMs: number;
  medianLaterWallMs: number;
  laterRuns: number;
  generatedMs: number | null;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A JPEG-framed blob: DG2's face image is carried, hashed and parsed as a record, never decoded here. */
function faceJpeg(size: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 131 + 7) & 0xff;
  data.set([0xff, 0xd8, 0xff, 0xe0], 0);
  data.set([0xff, 0xd9], size - 2);
  return data;
}

interface BenchDocument {
  files: Map<number, Uint8Array>;
  trust: TrustStore;
}

/** One document of the Utopia test state: CSCA → DSC → EF.SOD over DG1 and a DG2 of ~20 KB. */
async function benchDocument(): Promise<BenchDocument> {
  const csca = await createTestCsca({ country: 'UT' });
  const dsc = await createDocumentSigner(csca);
  const dg1 = buildDg1(TD3);
  const dg2 = buildDg2({ mediaType: 'image/jpeg', data: faceJpeg(DG2_BYTES - 120), width: 480, height: 640 });
  const sod = await signSod({ dsc, dataGroups: new Map([[1, dg1], [2, dg2]]) });
  const trust = new TrustStore();
  trust.addCertificates(csca.der, { source: 'bench CSCA' });
  return {
    files: new Map([
      [0x011e, buildEfCom({ dataGroups: [1, 2] })],
      [0x011d, sod],
      [0x0101, dg1],
      [0x0102, dg2],
    ]),
    trust,
  };
}

async function verifiedReadOnce(doc: BenchDocument, link: 'short' | 'extended') {
  const chip = new TestChip({ mrz: MRZ, files: doc.files, ...(link === 'extended' ? { maxCommandLength: 65_544, maxResponseLength: 65_538 } : {}) });
  // The card's share in CPU time too (a clock would also count time the process was not running,
  // and subtract too much on a busy machine); the counter's own cost, ~one read per APDU, stays in
  // the terminal's figure, which errs on the high side.
  let cardCpu = 0;
  const transmit = chip.transmit.bind(chip);
  chip.transmit = async (command, options) => {
    const t = process.cpuUsage();
    const response = await transmit(command, options);
    cardCpu += cpuMs(process.cpuUsage(t));
    return response;
  };
  const wall = performance.now();
  const start = process.cpuUsage();
  const read = await readChip(chip, { mrz: MRZ, preferPace: false });
  const afterRead = process.cpuUsage();
  const pa = verifyPassiveAuthentication({ sod: read.files.get('EF.SOD')!, dataGroups: read.dataGroups, trustStore: doc.trust, issuingState: 'UTO' });
  const paCpu = cpuMs(process.cpuUsage(afterRead));
  const readCpu = cpuMs(afterRead) - cpuMs(start) - cardCpu;
  if (!read.ok) throw new Error(`the bench read failed: ${JSON.stringify(read.error)}`);
  if (read.dataGroups.get(2)?.length !== doc.files.get(0x0102)!.length) throw new Error('the bench read did not return DG2 whole');
  if (pa.verdict !== 'valid' || pa.hashes.length !== 2) throw new Error(`Passive Authentication did not pass: ${JSON.stringify(pa.errors)}`);
  return { readCpu, paCpu, cardCpu, wall: performance.now() - wall, apdus: read.apduCount, bytesRead: read.bytesRead };
}

/** The verified read on both link kinds; `runs` measured after `warmUp` unmeasured ones. */
export async function benchVerifiedChipRead(options: { runs?: number; warmUp?: number } = {}): Promise<ChipReadFigure[]> {
  const runs = options.runs ?? 21;
  const warmUp = options.warmUp ?? 5;
  const doc = await benchDocument();
  const figures: ChipReadFigure[] = [];
  for (const link of ['short', 'extended'] as const) {
    for (let i = 0; i < warmUp; i++) await verifiedReadOnce(doc, link);
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await verifiedReadOnce(doc, link));
    figures.push({
      link,
      apdus: samples[0]!.apdus,
      bytesRead: samples[0]!.bytesRead,
      runs,
      readCpuMs: median(samples.map((s) => s.readCpu)),
      passiveAuthCpuMs: median(samples.map((s) => s.paCpu)),
      totalCpuMs: median(samples.map((s) => s.readCpu + s.paCpu)),
      cardCpuMs: median(samples.map((s) => s.cardCpu)),
      wallMs: median(samples.map((s) => s.wall)),
    });
  }
  return figures;
}

// ── The master list ─────────────────────────────────────────────────────────────────────────────

/** Bump when the generated list changes shape, so stale caches are not measured. */
const MASTER_LIST_CACHE_VERSION = 2;

/**
 * Mostly EC P-256 CSCAs, some P-384 and one in sixty RSA-2048, over made-up states: a list of the
 * size the ICAO PKD's has (~600 CSCAs). Real lists hold more RSA keys; they are few here because
 * generating one takes up to a second on a busy machine.
 */
function keyFor(index: number): TestKeyAlgorithm {
  if (index % 60 === 0) return 'RSA-2048';
  return index % 7 === 0 ? 'ECDSA-P384' : 'ECDSA-P256';
}

function countryFor(index: number): string {
  const letter = (n: number) => String.fromCharCode(0x41 + (n % 26));
  return letter(index) + letter(Math.floor(index / 26) + 3);
}

async function generateMasterList(certificates: number): Promise<Uint8Array> {
  const cscas = [];
  for (let i = 0; i < certificates; i++) cscas.push(await createTestCsca({ country: countryFor(i), keyAlgorithm: keyFor(i), commonName: `CSCA ${countryFor(i)} ${i}` }));
  const signer = await createMasterListSigner(cscas[0]!);
  return buildMasterList({ signerCert: signer, cscas, extraCertificates: [cscas[0]!] });
}

/** The list from `cacheDir`, generated and written there first when it is missing. */
export async function cachedMasterList(cacheDir: string, certificates = 600): Promise<{ bytes: Uint8Array; generatedMs: number | null }> {
  const file = path.join(cacheDir, `masterlist-${certificates}-v${MASTER_LIST_CACHE_VERSION}.ml`);
  if (existsSync(file)) return { bytes: new Uint8Array(await readFile(file)), generatedMs: null };
  const t0 = performance.now();
  const bytes = await generateMasterList(certificates);
  const generatedMs = performance.now() - t0;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(file, bytes);
  return { bytes, generatedMs };
}

/** Load a list into fresh trust stores: the first load, then `laterRuns` more; every certificate must be taken. */
function timeMasterListLoads(bytes: Uint8Array, expected: number, laterRuns: number): Omit<MasterListFigure, 'generatedMs'> {
  const load = () => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const report = new TrustStore().addMasterList(bytes, { source: 'bench master list' });
    const sample = { cpu: cpuMs(process.cpuUsage(cpu)), wall: performance.now() - wall };
    if (report.added !== expected) throw new Error(`the master list loaded ${report.added} of ${expected} certificates: ${JSON.stringify(report.skipped.slice(0, 3))}`);
    return sample;
  };
  const first = load();
  const later = Array.from({ length: laterRuns }, load);
  return {
    certificates: expected,
    bytes: bytes.length,
    firstLoadMs: first.cpu,
    medianLaterMs: median(later.map((s) => s.cpu)),
    firstLoadWallMs: first.wall,
    medianLaterWallMs: median(later.map((s) => s.wall)),
    laterRuns,
  };
}

/** The generated 600-certificate list (call this first in a process, so its first load is cold). */
export async function benchMasterListLoad(cacheDir: string, options: { certificates?: number; laterRuns?: number } = {}): Promise<MasterListFigure> {
  const certificates = options.certificates ?? 600;
  const { bytes, generatedMs } = await cachedMasterList(cacheDir, certificates);
  return { ...timeMasterListLoads(bytes, certificates, options.laterRuns ?? 6), generatedMs };
}

/** A real published list for comparison: the Netherlands' of December 2021 (306 CSCAs), from the shared reference data. */
export async function benchRealMasterListLoad(sharedDataDir: string, laterRuns = 6): Promise<MasterListFigure | undefined> {
  const file = path.join(sharedDataDir, 'trust', 'NL_MASTERLIST_20211207.mls');
  if (!existsSync(file)) return undefined;
  return { ...timeMasterListLoads(new Uint8Array(await readFile(file)), 306, laterRuns), generatedMs: null };
}
