// The simulator's devices with a chip: the 'chip' setting, scans returning a virtual chip, visas without one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApduChannel, decodeTlvObject } from '@tessera/sdk/emrtd';
import { SimulatorDriver } from '../simulator-driver.js';
import { SpecimenStore } from '../specimens/specimen-store.js';
import { DocumentIssuer } from './document-issuer.js';
import { dataGroupFileId } from '@tessera/sdk/emrtd';
import { readWholeFile } from './test-terminal.js';
import { bacInputFromMrz, type VirtualChip } from './virtual-chip.js';
import { CHIP_ACCESS, CHIP_PROFILES } from './chip-profiles.js';
import { parseCardAccess, performBac, secureRandom } from '@tessera/sdk/emrtd';

const store = new SpecimenStore({ cacheDir: null });
const options = { devices: 1, defaultDocument: 'genuine-td3', scanDelayMs: 0, readsMrz: true };
const id = 'simulator:fpr-1';

async function rejectsAsInvalid(pending: Promise<unknown>): Promise<void> {
  try {
    await pending;
    assert.unreachable('should have been refused');
  } catch (error) {
    assert.is((error as { code?: string }).code, 'TSR_REQUEST_INVALID');
  }
}

test('devices have an antenna and a chip setting with every profile', async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  const [device] = await driver.listDevices();
  assert.is(device.capabilities.chip, true);
  const setting = (await driver.getSettings(id)).find((s) => s.id === 'chip')!;
  assert.is(setting.value, 'genuine');
  assert.is(setting.choices.length, CHIP_PROFILES.length);
  await driver.changeSetting(id, 'chip', 'cloned');
  assert.is((await driver.getSettings(id)).find((s) => s.id === 'chip')!.value, 'cloned');
  await rejectsAsInvalid(driver.changeSetting(id, 'chip', 'sparkly'));
});

test('a scan returns the chip of the document on the glass; BAC with the scanned MRZ reads DG1', async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  const result = await driver.scan(id, { lights: ['white'] });
  assert.ok(result.chip, 'chip present');
  assert.is(result.metadata?.chipProfile, 'genuine');
  const channel = new ApduChannel(result.chip!);
  await channel.selectEmrtdApplication();
  await performBac(channel, bacInputFromMrz(result.mrz!.lines), secureRandom);
  const dg1 = await readWholeFile(channel, dataGroupFileId(1)!);
  assert.is(new TextDecoder().decode(decodeTlvObject(dg1).children![0].value), result.mrz!.lines.join(''));
  await result.chip!.close();
});

test("chip-access 'pace' makes any profile's chip offer PACE; an unknown access is refused", async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  const setting = (await driver.getSettings(id)).find((s) => s.id === 'chip-access')!;
  assert.is(setting.value, 'profile');
  assert.equal(setting.choices.map((c) => c.value), CHIP_ACCESS.map((a) => a.id));
  await driver.changeSetting(id, 'chip', 'wrong-dg-hash');
  const viaProfile = await driver.scan(id, { lights: ['white'] });
  assert.is((viaProfile.chip as VirtualChip).image.cardAccess, undefined);
  await viaProfile.chip!.close();
  await driver.changeSetting(id, 'chip-access', 'pace');
  const viaPace = await driver.scan(id, { lights: ['white'] });
  const chip = viaPace.chip as VirtualChip;
  assert.ok(chip.paceSupported, 'PACE runs');
  assert.is(parseCardAccess(chip.image.cardAccess!).securityInfos.filter((i) => i.kind === 'PACEInfo').length, 2);
  await chip.close();
  await rejectsAsInvalid(driver.changeSetting(id, 'chip-access', 'telepathy'));
});

test('no chip: the no-chip profile, a visa, or a driver without an issuer', async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  await driver.changeSetting(id, 'chip', 'no-chip');
  assert.is((await driver.scan(id, { lights: ['white'] })).chip, undefined);
  await driver.changeSetting(id, 'chip', 'cloned');
  await driver.changeSetting(id, 'document', 'genuine-mrva');
  const visa = await driver.scan(id, { lights: ['white'] });
  assert.is(visa.chip, undefined);
  assert.is(visa.metadata?.chipProfile, 'no-chip');
  const plain = new SimulatorDriver(store, options);
  assert.is((await plain.listDevices())[0].capabilities.chip, false);
  assert.is((await plain.scan(id, { lights: ['white'] })).chip, undefined);
  assert.not.ok((await plain.getSettings(id)).some((s) => s.id === 'chip'));
});

test.run();
