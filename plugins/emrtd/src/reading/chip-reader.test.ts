// readChip against a small scripted chip: BAC, secure messaging, the large-read → 6700 →
// short-read fallback, progress, a broken MAC, a wrong MRZ and a mute chip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesEqual } from '@tessera/sdk/emrtd';
import { readChip, type ReadProgress } from './chip-reader.js';
import { TestChip, buildOpaqueFile, buildTestDg1, buildTestEfCom } from './test-chip.js';

const MRZ = { documentNumber: 'L898902C3', birthDate: '740812', expiryDate: '120415' };
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function files(dg2Size = 20_000): Map<number, Uint8Array> {
  return new Map([
    [0x011e, buildTestEfCom([1, 2])],
    [0x011d, buildOpaqueFile(0x77, 1200)],
    [0x0101, buildTestDg1(TD3)],
    [0x0102, buildOpaqueFile(0x75, dg2Size)],
  ]);
}

test('BAC, then EF.COM, EF.SOD, DG1 and DG2 are read whole', async () => {
  const f = files();
  const chip = new TestChip({ mrz: MRZ, files: f });
  const steps: ReadProgress[] = [];
  const r = await readChip(chip, { mrz: MRZ, onProgress: (p) => steps.push(p) });
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.is(r.access?.protocol, 'BAC');
  assert.equal([...r.files.keys()], ['EF.COM', 'EF.SOD', 'DG1', 'DG2']);
  assert.ok(bytesEqual(r.files.get('DG2')!, f.get(0x0102)!));
  assert.ok(bytesEqual(r.dataGroups.get(1)!, f.get(0x0101)!));
  assert.equal(r.dg1Mrz?.lines, TD3);
  assert.ok(r.apduCount > 90, `${r.apduCount} APDUs`);
  assert.ok(r.bytesRead > 20_000);
  // DG2 reads are large (0xDF) under short-length SM.
  const reads = chip.log.filter((c) => c.ins === 0xb0).map((c) => c.ne);
  assert.ok(reads.includes(0xdf));
  // Progress rises to 1 and never goes back.
  assert.ok(steps.length > 10);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i]!.fraction >= steps[i - 1]!.fraction - 1e-9, `${steps[i - 1]!.step} → ${steps[i]!.step}`);
  assert.is(steps.at(-1)!.fraction, 1);
  assert.ok(steps.some((s) => s.step === 'bac') && steps.some((s) => s.step === 'DG2'));
});

test('a chip that refuses large reads with 6700 is read in 0xA0 pieces from then on', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files(), maxRead: 0xa0 });
  const r = await readChip(chip, { mrz: MRZ });
  assert.ok(r.ok, JSON.stringify(r.error));
  assert.is(r.files.get('DG2')!.length, files().get(0x0102)!.length);
  assert.ok(r.errors.some((e) => e.code === 'EMRTD_READ_FALLBACK'));
  const reads = chip.log.filter((c) => c.ins === 0xb0).map((c) => c.ne);
  // Exactly one refused large read; every later read is at most A0.
  assert.is(reads.filter((n) => n > 0xa0).length, 1);
});

test('extended-length links read DG2 in a few large pieces', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files(), maxCommandLength: 65544, maxResponseLength: 65538 });
  const r = await readChip(chip, { mrz: MRZ });
  assert.ok(r.ok, JSON.stringify(r.error));
  const reads = chip.log.filter((c) => c.ins === 0xb0);
  assert.ok(reads.length < 10, `${reads.length} reads`);
});

test('a wrong MRZ ends with BAC refused', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files() });
  const r = await readChip(chip, { mrz: { ...MRZ, birthDate: '740813' } });
  assert.not.ok(r.ok);
  assert.is(r.error?.code, 'EMRTD_BAC_FAILED');
  assert.is(r.access, undefined);
});

test('a response MAC that does not verify stops the session with EMRTD_SM_MAC_INVALID', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files(), badMacOnResponse: 6 });
  const r = await readChip(chip, { mrz: MRZ });
  assert.not.ok(r.ok);
  assert.is(r.error?.code, 'EMRTD_SM_MAC_INVALID');
  const count = chip.log.length;
  assert.ok(count < 12, `${count} commands`);
});

test('a mute chip ends within the per-APDU timeout with EMRTD_CHIP_NOT_ANSWERING', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files(), mute: true });
  const t0 = Date.now();
  const r = await readChip(chip, { mrz: MRZ, apduTimeoutMs: 200, readTimeoutMs: 1000 });
  assert.not.ok(r.ok);
  assert.is(r.error?.code, 'EMRTD_CHIP_NOT_ANSWERING');
  assert.ok(Date.now() - t0 < 1000);
});

test('the overall limit ends a read that keeps going with EMRTD_READ_TIMEOUT', async () => {
  const chip = new TestChip({ mrz: MRZ, files: files(60_000) });
  const slow = Object.assign(Object.create(chip) as TestChip, {
    transmit: async (c: Uint8Array, o?: { signal?: AbortSignal }) => {
      await new Promise((r) => setTimeout(r, 5));
      return chip.transmit(c, o);
    },
  });
  const t0 = Date.now();
  const r = await readChip(slow, { mrz: MRZ, apduTimeoutMs: 200, readTimeoutMs: 300 });
  assert.not.ok(r.ok);
  assert.is(r.error?.code, 'EMRTD_READ_TIMEOUT');
  assert.ok(Date.now() - t0 < 800);
});

test('a file shorter than its TLV length is reported as truncated, the read goes on', async () => {
  const f = files();
  const dg2 = f.get(0x0102)!;
  f.set(0x0102, dg2.subarray(0, dg2.length - 500));
  const chip = new TestChip({ mrz: MRZ, files: f });
  const r = await readChip(chip, { mrz: MRZ });
  assert.ok(r.ok);
  assert.ok(r.errors.some((e) => e.code === 'EMRTD_FILE_TRUNCATED' && e.file === 'DG2'), JSON.stringify(r.errors));
  assert.not.ok(r.files.has('DG2'));
});

test.run();
