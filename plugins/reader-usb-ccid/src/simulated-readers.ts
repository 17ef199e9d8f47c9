/**
 * Simulated CCID readers configured on the plugin (`simulatedReaders`): each is a SimulatedCcidReader
 * on a simulated USB bus whose card is another reader's chip, and the bus is listed beside the real
 * one. The simulated bus is bus 0, which libusb never numbers, so its device ids (usb-ccid:0-1, …)
 * cannot clash with a real reader's.
 */
import type { Logger, ReaderDriver } from '@tessera/sdk';
import type { ExchangeLevel } from './ccid-protocol.js';
import { ChipBridgeCard, type ChipSource } from './chip-bridge-card.js';
import { SimulatedCcidReader, SimulatedUsbBus } from './simulated-ccid-device.js';
import type { UsbBackend, UsbDeviceLike, UsbHotplugListener } from './usb-backend.js';

export interface SimulatedReaderConfig {
  chipFrom: ChipSource;
  exchangeLevel?: Extract<ExchangeLevel, 'short-apdu' | 'extended-apdu'>;
  maxMessageLength?: number;
}

export const SIMULATED_BUS_NUMBER = 0;

/** The readers of the configuration, on their own bus; port n+1 holds the n-th. */
export function simulatedReaderBus(configs: readonly SimulatedReaderConfig[], findReader: (readerId: string) => ReaderDriver | undefined, logger?: Pick<Logger, 'warn'>): SimulatedUsbBus {
  return new SimulatedUsbBus(
    configs.map(
      (config, n) =>
        new SimulatedCcidReader({
          busNumber: SIMULATED_BUS_NUMBER,
          portNumbers: [n + 1],
          deviceAddress: n + 1,
          product: `Simulated CCID reader (chip of ${config.chipFrom.device})`,
          serialNumber: `SIMCCID-${String(n + 1).padStart(4, '0')}`,
          exchangeLevel: config.exchangeLevel ?? 'extended-apdu',
          maxMessageLength: config.maxMessageLength ?? 271,
          card: new ChipBridgeCard(config.chipFrom, findReader, logger),
        }),
    ),
  );
}

/**
 * The real `usb` module's devices followed by the simulated bus's, with hot-plug events from both.
 * A workstation where libusb cannot load still has its simulated readers; the reason is logged once.
 */
export function withSimulatedBus(loadReal: () => Promise<UsbBackend>, simulated: SimulatedUsbBus, logger?: Pick<Logger, 'warn'>): () => Promise<UsbBackend> {
  return async () => {
    let real: UsbBackend | undefined;
    try {
      real = await loadReal();
    } catch (error) {
      logger?.warn('USB is not available on this workstation; only the simulated CCID readers are listed', { reason: error instanceof Error ? error.message : String(error) });
    }
    return {
      getDeviceList(): UsbDeviceLike[] {
        let devices: UsbDeviceLike[] = [];
        try {
          devices = real?.getDeviceList() ?? [];
        } catch (error) {
          logger?.warn('the USB device list could not be read; only the simulated CCID readers are listed', { reason: error instanceof Error ? error.message : String(error) });
        }
        return [...devices, ...simulated.getDeviceList()];
      },
      on(event: 'attach' | 'detach', listener: UsbHotplugListener) {
        real?.on?.(event, listener);
        simulated.on(event, listener);
      },
      removeListener(event: 'attach' | 'detach', listener: UsbHotplugListener) {
        real?.removeListener?.(event, listener);
        simulated.removeListener(event, listener);
      },
    };
  };
}
