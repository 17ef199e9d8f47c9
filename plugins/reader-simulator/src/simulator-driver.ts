/**
 * The simulated full-page reader. It behaves as a real device does at the ReaderDriver boundary:
 * devices with ids and capabilities, one scan at a time per device, NO_DOCUMENT when the glass is
 * empty, abort on signal — so the host and the conformance kit cannot tell it from hardware.
 */
import { TesseraError, type DeviceSetting, type LightSource, type PageImage, type ReaderDeviceInfo, type ReaderDriver, type ScanOptions, type ScanResult } from '@tessera/sdk';
import type { SpecimenStore } from './specimens/specimen-store.js';
import type { SpecimenDocument } from './specimens/specimen-catalogue.js';
import { renderSpecimenPage } from './specimens/render-pages.js';
import { CHIP_ACCESS, CHIP_PROFILES, DEFAULT_CHIP_PROFILE, isChipAccess, isChipProfile, type ChipAccess, type ChipProfile } from './chip/chip-profiles.js';
import type { DocumentIssuer } from './chip/document-issuer.js';

export const EMPTY_GLASS = 'none';

/**
 * How the document on the glass is printed, whatever specimen it is: as issued, or as a counterfeit
 * betrays itself under the reader's other lights — an MRZ in ordinary ink that vanishes under IR,
 * and paper with optical brighteners that glows under UV. The white page is the same either way.
 * 'specimen' leaves the specimen as catalogued (counterfeit-light-td3 is a counterfeit already).
 */
export const PRINTINGS = [
  { value: 'specimen', label: 'As the specimen is printed', light: null },
  { value: 'ir-transparent-mrz', label: 'Counterfeit: MRZ ink invisible in IR', light: { irMrzVisible: false } },
  { value: 'brightened-paper', label: 'Counterfeit: brightened paper (glows in UV)', light: { uvDull: false } },
  { value: 'both', label: 'Counterfeit: both', light: { irMrzVisible: false, uvDull: false } },
] as const satisfies ReadonlyArray<{ value: string; label: string; light: Partial<SpecimenDocument['light']> | null }>;

export type Printing = (typeof PRINTINGS)[number]['value'];

export interface SimulatorOptions {
  devices: number;
  defaultDocument: string;
  scanDelayMs: number;
  readsMrz: boolean;
  /** How every device prints its document when the host starts; default 'specimen'. */
  printing?: Printing;
}

interface VirtualDevice {
  info: ReaderDeviceInfo;
  document: string;
  readsMrz: boolean;
  printing: Printing;
  /** The chip profile presented; 'genuine' means the specimen's own chip (none for visas). */
  chip: ChipProfile;
  /** Whether the chip offers PACE as its profile says or always. */
  chipAccess: ChipAccess;
  busy: boolean;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(aborted());
    }, { once: true });
  });
}

function aborted() {
  return new TesseraError('TSR_READER_ABORTED', 'The scan was cancelled.');
}

export class SimulatorDriver implements ReaderDriver {
  readonly id = 'simulator';
  readonly displayName = 'Tessera reader simulator';
  private readonly devices = new Map<string, VirtualDevice>();
  /** Counterfeit IR/UV pages, rendered on first use and kept (the store holds the as-issued ones). */
  private readonly counterfeitPages = new Map<string, Promise<PageImage>>();

  /** `chips` issues the virtual chips; without it the devices have no antenna. */
  constructor(private readonly store: SpecimenStore, private readonly options: SimulatorOptions, private readonly chips?: DocumentIssuer) {
    for (let n = 1; n <= options.devices; n++) {
      const id = `simulator:fpr-${n}`;
      this.devices.set(id, {
        info: {
          id,
          vendor: 'Tessera',
          model: 'Simulated full-page reader FPR-1',
          serialNumber: `SIM-${String(n).padStart(4, '0')}`,
          capabilities: { lights: ['white', 'ir', 'uv'], mrz: true, chip: chips !== undefined },
          status: 'ready',
        },
        document: options.defaultDocument,
        readsMrz: options.readsMrz,
        printing: options.printing ?? 'specimen',
        chip: DEFAULT_CHIP_PROFILE,
        chipAccess: 'profile',
        busy: false,
      });
    }
  }

  private device(deviceId: string): VirtualDevice {
    const device = this.devices.get(deviceId);
    if (!device) {
      throw new TesseraError('TSR_READER_DEVICE_NOT_FOUND', `The simulator has no device "${deviceId}".`, { hint: `Known devices: ${[...this.devices.keys()].join(', ')}.` });
    }
    return device;
  }

  async listDevices(): Promise<ReaderDeviceInfo[]> {
    return [...this.devices.values()].map((d) => ({
      ...d.info,
      capabilities: { ...d.info.capabilities, mrz: d.readsMrz },
      status: d.busy ? 'busy' : 'ready',
    }));
  }

  async getSettings(deviceId: string): Promise<DeviceSetting[]> {
    const device = this.device(deviceId);
    return [
      {
        id: 'document',
        label: 'Document on the glass',
        choices: [{ value: EMPTY_GLASS, label: '(empty glass)' }, ...this.store.list().map((s) => ({ value: s.id, label: s.label }))],
        value: device.document,
      },
      {
        id: 'mrz',
        label: 'MRZ reading',
        choices: [
          { value: 'device', label: 'Device reads the MRZ' },
          { value: 'image', label: 'Page images only' },
        ],
        value: device.readsMrz ? 'device' : 'image',
      },
      {
        id: 'printing',
        label: 'Printing',
        choices: PRINTINGS.map((p) => ({ value: p.value, label: p.label })),
        value: device.printing,
      },
      ...(this.chips
        ? [
            { id: 'chip', label: 'Chip', choices: CHIP_PROFILES.map((p) => ({ value: p.id, label: p.label })), value: device.chip },
            { id: 'chip-access', label: 'Chip access', choices: CHIP_ACCESS.map((a) => ({ value: a.id, label: a.label })), value: device.chipAccess },
          ]
        : []),
    ];
  }

  async changeSetting(deviceId: string, settingId: string, value: string): Promise<void> {
    const device = this.device(deviceId);
    if (settingId === 'document') {
      if (value !== EMPTY_GLASS && !this.store.list().some((s) => s.id === value)) {
        throw new TesseraError('TSR_REQUEST_INVALID', `The simulator has no specimen "${value}".`, { hint: 'Choose one of the listed specimens.' });
      }
      device.document = value;
    } else if (settingId === 'mrz') {
      if (value !== 'device' && value !== 'image') throw new TesseraError('TSR_REQUEST_INVALID', `MRZ reading must be "device" or "image", not "${value}".`);
      device.readsMrz = value === 'device';
    } else if (settingId === 'printing') {
      const printing = PRINTINGS.find((p) => p.value === value);
      if (!printing) throw new TesseraError('TSR_REQUEST_INVALID', `The simulator has no printing "${value}".`, { hint: `Printings: ${PRINTINGS.map((p) => p.value).join(', ')}.` });
      device.printing = printing.value;
    } else if (settingId === 'chip' && this.chips) {
      if (!isChipProfile(value)) throw new TesseraError('TSR_REQUEST_INVALID', `The simulator has no chip profile "${value}".`, { hint: `Profiles: ${CHIP_PROFILES.map((p) => p.id).join(', ')}.` });
      device.chip = value;
    } else if (settingId === 'chip-access' && this.chips) {
      if (!isChipAccess(value)) throw new TesseraError('TSR_REQUEST_INVALID', `The simulator has no chip access "${value}".`, { hint: `Chip access: ${CHIP_ACCESS.map((a) => a.id).join(', ')}.` });
      device.chipAccess = value;
    } else {
      throw new TesseraError('TSR_REQUEST_INVALID', `The simulator has no setting "${settingId}".`, { hint: `Settings: document, mrz, printing${this.chips ? ', chip, chip-access' : ''}.` });
    }
  }

  async scan(deviceId: string, options: ScanOptions = {}): Promise<ScanResult> {
    const device = this.device(deviceId);
    if (device.busy) throw new TesseraError('TSR_READER_BUSY', `The reader ${deviceId} is already scanning.`, { hint: 'Wait for the current scan to finish.' });
    if (device.document === EMPTY_GLASS) {
      throw new TesseraError('TSR_READER_NO_DOCUMENT', 'No document lies on the reader.', { hint: 'Place the document face down on the glass, then scan again.' });
    }
    const lights: LightSource[] = options.lights?.length ? options.lights : device.info.capabilities.lights;
    const unsupported = lights.filter((l) => !device.info.capabilities.lights.includes(l));
    if (unsupported.length) throw new TesseraError('TSR_REQUEST_INVALID', `The reader cannot capture in ${unsupported.join(', ')} light.`);
    device.busy = true;
    try {
      options.onProgress?.({ step: 'capture', fraction: 0 });
      if (this.options.scanDelayMs) await sleep(this.options.scanDelayMs, options.signal);
      if (options.signal?.aborted) throw aborted();
      const specimen = this.store.list().find((s) => s.id === device.document)!;
      const pages = await this.pagesAsPrinted(specimen, lights, device.printing);
      // 'genuine' presents the specimen's own chip; any other profile replaces it, but a document without a chip stays without.
      const profile: ChipProfile = specimen.chip === 'no-chip' ? 'no-chip' : device.chip === DEFAULT_CHIP_PROFILE ? specimen.chip : device.chip;
      // Waits for the test PKI when it is still being generated.
      const chip = this.chips && profile !== 'no-chip' ? await this.chips.openChip(specimen, profile, { access: device.chipAccess }) : null;
      if (options.signal?.aborted) {
        await chip?.close();
        throw aborted();
      }
      options.onProgress?.({ step: 'capture', fraction: 1 });
      return {
        deviceId,
        capturedAt: new Date().toISOString(),
        pages,
        ...(device.readsMrz ? { mrz: { lines: [...specimen.mrz], source: 'device-ocr' as const } } : {}),
        ...(chip ? { chip } : {}),
        metadata: { specimen: specimen.id, scenario: specimen.scenario, printing: device.printing, ...(this.chips ? { chipProfile: profile } : {}) },
      };
    } finally {
      device.busy = false;
    }
  }

  /** The specimen's pages in the requested order; under IR and UV as the chosen printing shows them. */
  private async pagesAsPrinted(specimen: SpecimenDocument, lights: LightSource[], printing: Printing): Promise<PageImage[]> {
    const changed = PRINTINGS.find((p) => p.value === printing)!.light;
    if (!changed) return this.store.pages(specimen.id, lights);
    const counterfeit: SpecimenDocument = { ...specimen, light: { ...specimen.light, ...changed } };
    return Promise.all(
      lights.map(async (light) => {
        if (light === 'white') return (await this.store.pages(specimen.id, ['white']))[0]!;
        const key = `${specimen.id}|${light}|${printing}`;
        let page = this.counterfeitPages.get(key);
        if (!page) {
          page = renderSpecimenPage(counterfeit, light);
          // A failed render must not stick: the next scan tries again.
          page.catch(() => this.counterfeitPages.delete(key));
          this.counterfeitPages.set(key, page);
        }
        const image = await page;
        // The scan's owner may edit the bytes; the kept page stays intact.
        return { ...image, data: image.data.slice() };
      }),
    );
  }
}
