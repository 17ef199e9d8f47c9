// The driver's view of the bus: which devices it lists and how (ids, names, status and why), the
// contract's errors on scan, one chip read per device, hot-plug, and a workstation with no USB at all
// (including this machine's real `usb` module, which sees no readers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReaderDeviceInfo } from '@tessera/sdk';
import { UsbCcidDriver } from './ccid-driver.js';
import { EMRTD_AID, SimulatedCcidReader, SimulatedUsbBus } from './simulated-ccid-device.js';
import type { UsbBackend } from './usb-backend.js';

const SELECT_EMRTD = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, EMRTD_AID.length, ...EMRTD_AID]);

async function rejection(work: Promise<unknown>): Promise<{ code?: string; hint?: string; message: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; hint?: string; message: string };
  }
  throw new Error('expected a rejection');
}

function driverFor(...readers: SimulatedCcidReader[]) {
  const bus = new SimulatedUsbBus(readers);
  return { bus, driver: new UsbCcidDriver({ usb: bus }) };
}

test('a CCID reader is listed by bus and port, with its USB strings, as a chip-only device; ids are stable', async () => {
  const { driver } = driverFor(new SimulatedCcidReader({ busNumber: 3, portNumbers: [1, 4], manufacturer: 'ACME', product: 'Contactless 9', serialNumber: 'X1' }));
  const first = await driver.listDevices();
  assert.equal(first, [
    {
      id: 'usb-ccid:3-1.4',
      vendor: 'ACME',
      model: 'Contactless 9',
      serialNumber: 'X1',
      capabilities: { lights: [], mrz: false, chip: true },
      status: 'ready',
    },
  ]);
  assert.equal((await driver.listDevices()).map((d) => d.id), ['usb-ccid:3-1.4']);
  await driver.close();
});

test('other USB devices are ignored; the allowList keeps only the readers named by vendor:product', async () => {
  const reader = new SimulatedCcidReader({ vendorId: 0x072f, productId: 0x2200 });
  const keyboard = new SimulatedCcidReader({ interfaceClass: 0x03, portNumbers: [3] });
  assert.equal((await driverFor(reader, keyboard).driver.listDevices()).map((d) => d.id), ['usb-ccid:1-2']);
  const allowed = new UsbCcidDriver({ usb: new SimulatedUsbBus([reader]), allowList: ['072f:2200'] });
  assert.is((await allowed.listDevices()).length, 1);
  const other = new UsbCcidDriver({ usb: new SimulatedUsbBus([reader]), allowList: ['04E6:5591'] });
  assert.equal(await other.listDevices(), []);
});

test('a reader without names is listed by its USB ids; a multi-slot reader once per slot', async () => {
  const nameless = new SimulatedCcidReader({ manufacturer: '', product: '', serialNumber: '', vendorId: 0x072f, productId: 0x2200 });
  const [d] = await driverFor(nameless).driver.listDevices();
  assert.is(d!.vendor, 'USB vendor 072F');
  assert.is(d!.model, 'CCID reader 072F:2200');
  assert.is(d!.serialNumber, undefined);
  const dual = new SimulatedCcidReader({ slotCount: 2 });
  const devices = await driverFor(dual).driver.listDevices();
  assert.equal(devices.map((x) => x.id), ['usb-ccid:1-2:0.0', 'usb-ccid:1-2:0.1']);
  // Both slots carry the names: their overlapping reads share the device's one handle instead of closing it under each other.
  assert.equal(devices.map((x) => `${x.vendor} / ${x.model}`), ['Tessera / Simulated CCID contactless reader (slot 0)', 'Tessera / Simulated CCID contactless reader (slot 1)']);
});

test('a first listing that overlaps a scan does not close the device under the new chip session', async () => {
  const { driver } = driverFor(new SimulatedCcidReader());
  const [, result] = await Promise.all([driver.listDevices(), driver.scan('usb-ccid:1-2')]);
  assert.equal([...(await result.chip!.transmit(SELECT_EMRTD))], [0x90, 0x00]);
  await result.chip!.close();
});

test('a TPDU-level reader is listed with status error saying why, and scanning it says the same', async () => {
  const { driver } = driverFor(new SimulatedCcidReader({ exchangeLevel: 'tpdu' }));
  const [d] = await driver.listDevices();
  assert.is(d!.status, 'error');
  assert.match(d!.statusMessage!, /TPDU level/);
  assert.match(d!.statusMessage!, /APDU/);
  assert.is((await rejection(driver.scan(d!.id))).code, 'CCID_EXCHANGE_LEVEL_UNSUPPORTED');
  const [c] = await driverFor(new SimulatedCcidReader({ exchangeLevel: 'character' })).driver.listDevices();
  assert.match(c!.statusMessage!, /character level/);
});

test('a reader whose class descriptor follows its endpoints is usable; one without any is listed in error', async () => {
  const late = driverFor(new SimulatedCcidReader({ classDescriptor: 'endpoint' })).driver;
  assert.is((await late.listDevices())[0]!.status, 'ready');
  const { chip } = await late.scan('usb-ccid:1-2');
  await chip!.close();
  const [d] = await driverFor(new SimulatedCcidReader({ classDescriptor: 'missing' })).driver.listDevices();
  assert.is(d!.status, 'error');
  assert.match(d!.statusMessage!, /no CCID class descriptor/);
});

test('a reader the OS will not open is listed in error with what to do; scanning it is CCID_USB_ACCESS_DENIED', async () => {
  const { driver } = driverFor(new SimulatedCcidReader({ denyAccess: true, vendorId: 0x072f, productId: 0x2200 }));
  const [d] = await driver.listDevices();
  assert.is(d!.status, 'error');
  assert.match(d!.statusMessage!, /udev rule/);
  assert.is(d!.vendor, 'USB vendor 072F');
  assert.is((await rejection(driver.scan(d!.id))).code, 'CCID_USB_ACCESS_DENIED');
});

test('a reader held by pcscd: CCID_INTERFACE_IN_USE naming pcscd, and the device is not left busy', async () => {
  const reader = new SimulatedCcidReader({ heldByAnotherProgram: true });
  const { driver } = driverFor(reader);
  const e = await rejection(driver.scan('usb-ccid:1-2'));
  assert.is(e.code, 'CCID_INTERFACE_IN_USE');
  assert.match(e.hint!, /pcscd/);
  assert.is((await driver.listDevices())[0]!.status, 'ready');
  assert.not.ok(reader.isOpen);
});

test('no card on the reader: TSR_READER_NO_DOCUMENT with a hint, and the reader is released', async () => {
  const reader = new SimulatedCcidReader({ card: null });
  const { driver } = driverFor(reader);
  const e = await rejection(driver.scan('usb-ccid:1-2'));
  assert.is(e.code, 'TSR_READER_NO_DOCUMENT');
  assert.match(e.hint!, /Place the document/);
  assert.not.ok(reader.isOpen);
  assert.is((await driver.listDevices())[0]!.status, 'ready');
  reader.insertCard();
  const { chip } = await driver.scan('usb-ccid:1-2');
  assert.ok(chip);
  await chip!.close();
});

test('the contract errors: unknown device, cancelled before start, lights asked of a chip-only reader', async () => {
  const { driver } = driverFor(new SimulatedCcidReader());
  assert.is((await rejection(driver.scan('usb-ccid:9-9'))).code, 'TSR_READER_DEVICE_NOT_FOUND');
  assert.is((await rejection(driver.scan('usb-ccid:1-2', { signal: AbortSignal.abort() }))).code, 'TSR_READER_ABORTED');
  assert.is((await rejection(driver.scan('usb-ccid:1-2', { lights: ['white'] }))).code, 'TSR_REQUEST_INVALID');
  assert.is((await driver.listDevices())[0]!.status, 'ready');
});

test('one chip read per device: busy while a session is open, with a status message; ready again after close', async () => {
  const { driver } = driverFor(new SimulatedCcidReader());
  const progress: string[] = [];
  const result = await driver.scan('usb-ccid:1-2', { onProgress: (p) => progress.push(`${p.step}:${p.fraction}`) });
  assert.equal(progress, ['power-on:0', 'power-on:1']);
  assert.equal(result.pages, []);
  const [busy] = await driver.listDevices();
  assert.is(busy!.status, 'busy');
  assert.ok(busy!.statusMessage);
  assert.is((await rejection(driver.scan('usb-ccid:1-2'))).code, 'TSR_READER_BUSY');
  await result.chip!.close();
  assert.is((await driver.listDevices())[0]!.status, 'ready');
  const again = await driver.scan('usb-ccid:1-2');
  await again.chip!.close();
});

test('two slots of one reader share its interface: both sessions work, the interface is released after the last', async () => {
  const reader = new SimulatedCcidReader({ slotCount: 2 });
  reader.insertCard(undefined, 1);
  const { driver } = driverFor(reader);
  const a = await driver.scan('usb-ccid:1-2:0.0');
  const b = await driver.scan('usb-ccid:1-2:0.1');
  const [ra, rb] = await Promise.all([a.chip!.transmit(SELECT_EMRTD), b.chip!.transmit(SELECT_EMRTD)]);
  assert.equal([...ra, ...rb], [0x90, 0x00, 0x90, 0x00]);
  await a.chip!.close();
  assert.ok(reader.isClaimed, 'slot 1 still uses the interface');
  await b.chip!.close();
  assert.not.ok(reader.isClaimed);
});

test('close() ends open chip sessions and releases every reader', async () => {
  const reader = new SimulatedCcidReader();
  const { driver } = driverFor(reader);
  const { chip } = await driver.scan('usb-ccid:1-2');
  await driver.close();
  assert.not.ok(reader.isOpen);
  assert.is((await rejection(chip!.transmit(SELECT_EMRTD))).code, 'CCID_TRANSPORT_CLOSED');
  assert.equal(await driver.listDevices(), []);
});

test('hot-plug: attach and detach reach onDevicesChanged; the bus is only watched while someone listens', async () => {
  const bus = new SimulatedUsbBus([]);
  const driver = new UsbCcidDriver({ usb: bus });
  const seen: ReaderDeviceInfo[][] = [];
  let wake: () => void = () => undefined;
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  const statuses = () => seen.at(-1)!.map((d) => `${d.id} ${d.status}`);
  assert.is(bus.listenerCount('attach'), 0);
  const subscription = driver.onDevicesChanged((devices) => {
    seen.push(devices);
    wake();
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(bus.listenerCount('attach'), 1);
  assert.is(bus.listenerCount('detach'), 1);

  const reader = new SimulatedCcidReader();
  let arrived = next();
  bus.attach(reader);
  await arrived;
  assert.equal(statuses(), ['usb-ccid:1-2 ready']);

  // A device that is not a reader changes nothing the officer sees, so nobody is told.
  bus.attach(new SimulatedCcidReader({ interfaceClass: 0x03, portNumbers: [7] }));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(seen.length, 1);

  // A chip session starting and ending is a status change too.
  arrived = next();
  const first = await driver.scan('usb-ccid:1-2');
  await arrived;
  assert.equal(statuses(), ['usb-ccid:1-2 busy']);
  arrived = next();
  await first.chip!.close();
  await arrived;
  assert.equal(statuses(), ['usb-ccid:1-2 ready']);

  // Unplugged during a chip session: the session fails fast and the list empties.
  arrived = next();
  const { chip } = await driver.scan('usb-ccid:1-2');
  await arrived;
  arrived = next();
  bus.detach(reader);
  await arrived;
  assert.equal(seen.at(-1), []);
  assert.is((await rejection(chip!.transmit(SELECT_EMRTD))).code, 'CCID_DEVICE_DISCONNECTED');
  await chip!.close();

  subscription.dispose();
  assert.is(bus.listenerCount('attach'), 0);
  assert.is(bus.listenerCount('detach'), 0);
  await driver.close();
});

test('no USB: a backend that cannot load or cannot enumerate gives an empty list and remembers why', async () => {
  const warnings: unknown[] = [];
  const logger = { warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, ...fields }), debug: () => undefined };
  const missing = new UsbCcidDriver({ usb: async () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')), logger });
  assert.equal(await missing.listDevices(), []);
  assert.equal(await missing.listDevices(), []);
  assert.is(missing.usbStatus.available, false);
  assert.match(missing.usbStatus.reason!, /libusb-1\.0\.so\.0/);
  assert.is(warnings.length, 1, 'warned once, not on every listing');
  assert.is((await rejection(missing.scan('usb-ccid:1-2'))).code, 'TSR_READER_DEVICE_NOT_FOUND');

  const broken: UsbBackend = {
    getDeviceList: () => {
      throw new Error('LIBUSB_ERROR_OTHER');
    },
  };
  const failing = new UsbCcidDriver({ usb: broken });
  assert.equal(await failing.listDevices(), []);
  assert.match(failing.usbStatus.reason!, /LIBUSB_ERROR_OTHER/);
  // A backend without hot-plug support simply never reports changes.
  failing.onDevicesChanged(() => undefined).dispose();
});

test("this machine's real usb module: no readers, listDevices() resolves [] without throwing", async () => {
  const driver = new UsbCcidDriver();
  const devices = await driver.listDevices();
  assert.equal(devices, []);
  assert.is((await rejection(driver.scan('usb-ccid:1-2'))).code, 'TSR_READER_DEVICE_NOT_FOUND');
  await driver.close();
});

test('scan after scan on one reader adds no listener to its interrupt endpoint (one permanent error guard stays)', async () => {
  const reader = new SimulatedCcidReader();
  const { driver } = driverFor(reader);
  const [device] = await driver.listDevices();
  for (let i = 0; i < 15; i++) {
    const scan = await driver.scan(device!.id);
    await scan.chip!.close();
  }
  reader.open();
  const interrupt = reader.interface(0).endpoint(0x83) as unknown as { listenerCount(event: string): number };
  assert.is(interrupt.listenerCount('error'), 1);
  assert.is(interrupt.listenerCount('data'), 0);
  reader.close();
  await driver.close();
});

test.run();
