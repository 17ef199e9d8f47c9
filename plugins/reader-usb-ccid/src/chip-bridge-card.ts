/**
 * The card of a simulated CCID reader that is another reader's chip: powering it on scans a device
 * of another reader driver (looked up through the `readers` extension point, so no plugin imports
 * another) and keeps the chip link that scan opened; APDUs travel over that link; powering off
 * closes it. A workstation can so run this plugin's whole USB path — descriptors, XfrBlock chaining,
 * time-outs — against a complete virtual passport chip (the reader simulator's) without hardware.
 */
import type { ChipTransport, Logger, ReaderDriver } from '@tessera/sdk';
import { ccidError } from './ccid-protocol.js';
import type { PoweredCard } from './simulated-ccid-device.js';

/** Which device's chip the card is: a reader driver id and one of its device ids. */
export interface ChipSource {
  reader: string;
  device: string;
}

export class ChipBridgeCard implements PoweredCard {
  private link: ChipTransport | undefined;

  constructor(
    private readonly source: ChipSource,
    private readonly findReader: (readerId: string) => ReaderDriver | undefined,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** A fresh chip session per power-on, as a real chip starts over when it enters the field. */
  async powerOn(): Promise<Uint8Array | undefined> {
    await this.powerOff();
    try {
      this.link = await this.openLink();
      return this.link.atr;
    } catch (error) {
      // The firmware can only say "mute"; the log keeps the reason for whoever set the reader up.
      this.logger?.warn('the simulated CCID reader found no chip to carry', { reader: this.source.reader, device: this.source.device, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (!this.link) throw ccidError('CCID_TRANSPORT_CLOSED', 'The bridged chip is not powered on.', { hint: 'Power the card on (a scan does) before sending APDUs.' });
    return this.link.transmit(apdu);
  }

  async powerOff(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    await link?.close();
  }

  private async openLink(): Promise<ChipTransport> {
    const { reader, device } = this.source;
    const driver = this.findReader(reader);
    if (!driver) {
      throw ccidError('CCID_CHIP_SOURCE_UNAVAILABLE', `No reader driver "${reader}" is loaded, so the simulated CCID reader has no chip to carry.`, {
        hint: 'Enable the plugin that contributes that reader (e.g. reader-simulator), or correct simulatedReaders[].chipFrom in the reader-usb-ccid configuration.',
      });
    }
    let scan;
    try {
      scan = await driver.scan(device);
    } catch (error) {
      throw ccidError('CCID_CHIP_SOURCE_UNAVAILABLE', `The device ${device} of reader "${reader}" could not be scanned for its chip: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'Place a document on that device, then scan again.',
        cause: error,
      });
    }
    if (!scan.chip) {
      throw ccidError('CCID_CHIP_SOURCE_UNAVAILABLE', `The document on ${device} has no chip that answers.`, { hint: 'Place a document with a chip on that device, then scan again.' });
    }
    return scan.chip;
  }
}
