// The simulator's devices with a chip: the 'chip' setting, scans returning a virtual chip, visas without one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApduChannel, decodeTlvObject } from '@tessera/sdk/emrtd';
import { SimulatorDriver } from '../simulator-driver.js';
import { SpecimenStore } from '../specimens/specimen-store.js';
import { DocumentIssuer } from './document-issuer.js';
import { dgFileId } from './lds-files.js';
import { readWholeFile } from './test-terminal.js';
import { bacInputFromMrz } from './virtual-chip.js';
import { performBac, secureRandom } from '@tessera/sdk/emrtd';

const store = new SpecimenStore({ cacheDir: null });
const options = { devices: 1, defaultDocument: 'genuine-td3', scanDelayMs: 0, readsMrz: true };
const id = 'simulator:fpr-1';

test('devices have an antenna and a chip setting with every profile', async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  const [device] = await driver.listDevices();
  assert.is(device.capabilities.chip, true);
  const setting = (await driver.getSettings(id)).find((s) => s.id === 'chip')!;
  assert.is(setting.value, 'genuine');
  assert.is(setting.choices.length, 14);
  await driver.changeSetting(id, 'chip', 'cloned');
  assert.is((await driver.getSettings(id)).find((s) => s.id === 'chip')!.value, 'cloned');
  try {
    await driver.changeSetting(id, 'chip', 'sparkly');
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'TSR_REQUEST_INVALID');
  }
});

test('a scan returns the chip of the document on the glass; BAC with the scanned MRZ reads DG1', async () => {
  const driver = new SimulatorDriver(store, options, new DocumentIssuer({ dataDir: null }));
  const result = await driver.scan(id, { lights: ['white'] });
  assert.ok(result.chip, 'chip present');
  assert.is(result.metadata?.chipProfile, 'genuine');
  const channel = new ApduChannel(result.chip!);
  await channel.selectEmrtdApplication();
  await performBac(channel, bacInputFromMrz(result.mrz!.lines), secureRandom);
  const dg1 = await readWholeFile(channel, dgFileId(1));
  assert.is(new TextDecoder().decode(decodeTlvObject(dg1).children![0].value), result.mrz!.lines.join(''));
  await result.chip!.close();
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
