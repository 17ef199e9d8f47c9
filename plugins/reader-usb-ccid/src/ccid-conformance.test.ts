// The SDK's ReaderDriver conformance suite, run unchanged against the driver with a simulated reader
// holding a card — exactly what a vendor runs against their own driver.
import { readerDriverConformance } from '@tessera/sdk/testing';
import { UsbCcidDriver } from './ccid-driver.js';
import { SimulatedCcidReader, SimulatedUsbBus } from './simulated-ccid-device.js';

readerDriverConformance({
  name: 'usb-ccid with a simulated reader and a card',
  create: () => new UsbCcidDriver({ usb: new SimulatedUsbBus([new SimulatedCcidReader()]) }),
}).run();
