/**
 * The ReaderDriver for USB CCID smart-card readers used as contactless eMRTD chip readers, talking
 * to them through libusb (the `usb` module) so a workstation needs no PC/SC service. A reader is
 * listed per CCID slot; a scan powers the card in the field on and hands the host an open
 * ChipTransport. Such readers image nothing, so scans carry no pages and devices declare no lights.
 * No USB bus, no libusb, or no reader is a normal, empty device list — never an error.
 */
import { TesseraError, toDisposable, type DeviceChangeListener, type Disposable, type Logger, type ReaderDeviceInfo, type ReaderDriver, type ScanOptions, type ScanResult } from '@tessera/sdk';
import { CCID_INTERFACE_CLASS, FEATURES, POWER_SELECT, ccidError, hex, hex16, protocolName, type CcidClassDescriptor } from './ccid-protocol.js';
import { CcidSession, abortedError, describeCcidInterface, failureOf, type CcidInterfaceInfo, type SessionTimeouts } from './ccid-session.js';
import { DeviceHandles, loadUsbBackend, openFailure, readStringDescriptor, type UsbBackend, type UsbDeviceLike, type UsbHotplugListener, type UsbInterfaceDescriptorLike } from './usb-backend.js';
import { UsbCcidTransport } from './usb-ccid-transport.js';

export interface UsbCcidDriverOptions {
  /** The USB backend, or a loader for it. Default: the real `usb` module, imported on first use. */
  usb?: UsbBackend | (() => Promise<UsbBackend>);
  /** Only readers with these USB ids ("072F:2200", hex, any case); empty or absent: every CCID reader. */
  allowList?: readonly string[];
  /** Silence allowed while waiting for a reader's answer. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Total time a command may take while the reader keeps asking for more. Default 30000 ms. */
  timeExtensionLimitMs?: number;
  /** A chip session nobody used for this long is closed, freeing the reader (0: never). Default 60000 ms. */
  idleSessionTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
}

/** One listable reader slot, as enumeration finds it (descriptors only, no I/O). */
interface Target {
  id: string;
  device: UsbDeviceLike;
  deviceKey: string;
  vendorId: number;
  productId: number;
  interfaceNumber: number;
  slot: number;
  slotCount: number;
  info?: CcidInterfaceInfo;
  problem?: TesseraError;
}

interface DeviceStrings {
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  problem?: TesseraError;
}

interface SharedSession {
  session: CcidSession;
  refs: number;
  closing?: Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What an officer reads for a device in error: the message and, when there is one, what to do. */
function statusMessageOf(error: TesseraError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

export function exchangeLevelProblem(descriptor: CcidClassDescriptor): TesseraError | undefined {
  if (descriptor.exchangeLevel === 'short-apdu' || descriptor.exchangeLevel === 'extended-apdu') return undefined;
  const level = descriptor.exchangeLevel === 'tpdu' ? 'TPDU' : 'character';
  return ccidError('CCID_EXCHANGE_LEVEL_UNSUPPORTED', `This reader only exchanges at ${level} level; this driver needs a reader that exchanges whole APDUs.`, {
    hint: "Use a reader with short- or extended-APDU level exchange, or this reader's vendor driver through PC/SC.",
    details: { exchangeLevel: descriptor.exchangeLevel },
  });
}

export class UsbCcidDriver implements ReaderDriver {
  readonly id = 'usb-ccid';
  readonly displayName = 'USB smart-card reader (CCID, contactless chip)';
  private readonly timeouts: SessionTimeouts;
  private readonly idleSessionTimeoutMs: number;
  private readonly allowList: Set<string> | undefined;
  private backendLoad: Promise<UsbBackend | undefined> | undefined;
  private busProblem: string | undefined;
  private busProblemLogged = false;
  private readonly strings = new Map<string, DeviceStrings>();
  private readonly handles = new DeviceHandles();
  private readonly sessions = new Map<string, SharedSession>();
  /** Device ids with a scan under way or a chip session open: one at a time per device. */
  private readonly active = new Map<string, { transport?: UsbCcidTransport }>();
  private readonly listeners = new Set<DeviceChangeListener>();
  private hotplug: { backend: UsbBackend; onAttach: UsbHotplugListener; onDetach: UsbHotplugListener } | undefined;
  private hotplugStarting: Promise<void> | undefined;
  private notifyScheduled = false;
  private lastNotified = '';
  private closed = false;

  constructor(private readonly options: UsbCcidDriverOptions = {}) {
    this.timeouts = { commandTimeoutMs: options.commandTimeoutMs ?? 5000, timeExtensionLimitMs: options.timeExtensionLimitMs ?? 30_000 };
    this.idleSessionTimeoutMs = options.idleSessionTimeoutMs ?? 60_000;
    this.allowList = options.allowList?.length ? new Set(options.allowList.map((id) => id.toUpperCase())) : undefined;
  }

  /** Whether USB could be reached, and why not: the reason an empty device list is empty. */
  get usbStatus(): { available: boolean; reason?: string } {
    return this.busProblem ? { available: false, reason: this.busProblem } : { available: true };
  }

  async listDevices(): Promise<ReaderDeviceInfo[]> {
    if (this.closed) return [];
    const targets = await this.enumerate();
    const devices = await Promise.all(targets.map((t) => this.deviceInfo(t)));
    // Forget names of devices that are gone, so a different reader in the same port is read afresh.
    const live = new Set(targets.map((t) => this.stringsKey(t)));
    for (const key of this.strings.keys()) if (!live.has(key)) this.strings.delete(key);
    return devices;
  }

  async scan(deviceId: string, options: ScanOptions = {}): Promise<ScanResult> {
    const { signal } = options;
    const target = (await this.enumerate()).find((t) => t.id === deviceId);
    if (!target) {
      throw new TesseraError('TSR_READER_DEVICE_NOT_FOUND', `No USB CCID reader has the id "${deviceId}".`, {
        hint: 'Refresh the device list; the reader may have been unplugged or moved to another USB port.',
      });
    }
    if (signal?.aborted) throw abortedError();
    const problem = target.problem ?? (target.info ? exchangeLevelProblem(target.info.descriptor) : undefined);
    if (problem) throw problem;
    if (this.active.has(deviceId)) {
      throw new TesseraError('TSR_READER_BUSY', `The reader ${deviceId} is busy with another chip read.`, { hint: 'Wait for the current read to finish, then scan again.' });
    }
    if (options.lights?.length) {
      throw new TesseraError('TSR_REQUEST_INVALID', `The reader ${deviceId} reads the chip only and captures no page images (asked for ${options.lights.join(', ')} light).`, {
        hint: 'Scan without choosing lights, or use a page reader for images.',
      });
    }
    // Claimed before the first await below, so a second scan started meanwhile sees the device busy.
    const entry: { transport?: UsbCcidTransport } = {};
    this.active.set(deviceId, entry);
    if (this.listeners.size) this.scheduleNotify();
    const info = target.info!;
    const label = `the reader ${deviceId}`;
    let session: CcidSession | undefined;
    let powered = false;
    try {
      options.onProgress?.({ step: 'power-on', fraction: 0 });
      session = await this.acquire(target);
      const powerOn = await session.powerOn(target.slot, this.powerSelect(info.descriptor), signal ? { signal } : {});
      if (powerOn.commandStatus === 'failed') throw failureOf(powerOn, label, 'scan');
      powered = true;
      const atr = powerOn.data.length ? powerOn.data : undefined;
      let protocol: string | undefined;
      try {
        const parameters = await session.getParameters(target.slot, { timeoutMs: Math.min(this.timeouts.commandTimeoutMs, 1000), ...(signal ? { signal } : {}) });
        if (parameters.commandStatus === 'ok') protocol = protocolName(parameters.specific);
      } catch (error) {
        if (signal?.aborted) throw error;
        // The protocol is only recorded as metadata; a reader that will not tell is still usable.
      }
      if (signal?.aborted) throw abortedError();
      const transport = new UsbCcidTransport(session, {
        slot: target.slot,
        ...(atr ? { atr } : {}),
        commandTimeoutMs: this.timeouts.commandTimeoutMs,
        idleCloseMs: this.idleSessionTimeoutMs,
        release: () => this.release(target, deviceId),
      });
      entry.transport = transport;
      options.onProgress?.({ step: 'power-on', fraction: 1 });
      return {
        deviceId,
        capturedAt: new Date().toISOString(),
        pages: [],
        chip: transport,
        metadata: {
          ...(atr ? { atr: hex(atr) } : {}),
          ...(protocol ? { protocol } : {}),
          usbVendorId: hex16(target.vendorId),
          usbProductId: hex16(target.productId),
          ccidExchangeLevel: info.descriptor.exchangeLevel,
          ccidMaxMessageLength: info.descriptor.maxMessageLength,
          slot: target.slot,
        },
      };
    } catch (error) {
      if (session && powered) await session.powerOff(target.slot, { timeoutMs: 1000 }).catch(() => undefined);
      if (session) await this.releaseSession(target);
      this.active.delete(deviceId);
      if (this.listeners.size) this.scheduleNotify();
      throw error;
    }
  }

  onDevicesChanged(listener: DeviceChangeListener): Disposable {
    this.listeners.add(listener);
    void this.startHotplug();
    return toDisposable(() => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.stopHotplug();
    });
  }

  /** Close every open chip session and stop listening for hot-plug events. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stopHotplug();
    await Promise.all([...this.active.values()].map((entry) => entry.transport?.close()));
    await Promise.all([...this.sessions.values()].map((shared) => shared.closing ?? shared.session.close()));
    this.sessions.clear();
  }

  // ── Enumeration ───────────────────────────────────────────────────────────────────────────

  private backend(): Promise<UsbBackend | undefined> {
    const source = this.options.usb ?? loadUsbBackend;
    if (typeof source !== 'function') return Promise.resolve(source);
    this.backendLoad ??= source().then(
      (backend) => backend,
      (error: unknown) => {
        this.noteBusProblem(`USB is not available on this workstation (${describe(error)}).`);
        return undefined;
      },
    );
    return this.backendLoad;
  }

  private noteBusProblem(reason: string): void {
    this.busProblem = reason;
    if (!this.busProblemLogged) this.options.logger?.warn('USB CCID readers cannot be listed', { reason });
    this.busProblemLogged = true;
  }

  private allowed(device: UsbDeviceLike): boolean {
    const { idVendor, idProduct } = device.deviceDescriptor;
    return !this.allowList || this.allowList.has(`${hex16(idVendor)}:${hex16(idProduct)}`);
  }

  private ccidInterfaces(device: UsbDeviceLike): UsbInterfaceDescriptorLike[] {
    try {
      return (device.configDescriptor?.interfaces ?? []).map((alts) => alts[0]).filter((alt): alt is UsbInterfaceDescriptorLike => alt?.bInterfaceClass === CCID_INTERFACE_CLASS);
    } catch {
      return []; // a device whose configuration cannot be read is not one we could drive
    }
  }

  /** Bus and port path: stable while the reader stays in its port, and the same after a replug there. */
  private deviceKey(device: UsbDeviceLike): string {
    const ports = device.portNumbers;
    return ports?.length ? `${device.busNumber}-${ports.join('.')}` : `${device.busNumber}-a${device.deviceAddress}`;
  }

  private async enumerate(): Promise<Target[]> {
    const backend = await this.backend();
    if (!backend) return [];
    let devices: UsbDeviceLike[];
    try {
      devices = backend.getDeviceList();
      this.busProblem = undefined;
    } catch (error) {
      this.noteBusProblem(`The USB device list could not be read (${describe(error)}).`);
      return [];
    }
    const targets: Target[] = [];
    for (const device of devices) {
      if (!this.allowed(device)) continue;
      const interfaces = this.ccidInterfaces(device).map((alt) => {
        try {
          return { alt, info: describeCcidInterface(alt) };
        } catch (error) {
          return { alt, problem: error instanceof TesseraError ? error : ccidError('CCID_DESCRIPTOR_INVALID', describe(error)) };
        }
      });
      const slotTotal = interfaces.reduce((n, i) => n + (i.info?.descriptor.slotCount ?? 1), 0);
      const deviceKey = this.deviceKey(device);
      for (const { alt, info, problem } of interfaces) {
        const slotCount = info?.descriptor.slotCount ?? 1;
        for (let slot = 0; slot < slotCount; slot++) {
          targets.push({
            id: slotTotal > 1 ? `usb-ccid:${deviceKey}:${alt.bInterfaceNumber}.${slot}` : `usb-ccid:${deviceKey}`,
            device,
            deviceKey,
            vendorId: device.deviceDescriptor.idVendor,
            productId: device.deviceDescriptor.idProduct,
            interfaceNumber: alt.bInterfaceNumber,
            slot,
            slotCount,
            ...(info ? { info } : {}),
            ...(problem ? { problem } : {}),
          });
        }
      }
    }
    return targets;
  }

  private stringsKey(t: Target): string {
    return `${t.deviceKey}|${hex16(t.vendorId)}:${hex16(t.productId)}|${t.device.deviceAddress}`;
  }

  /**
   * Manufacturer, product and serial strings, read once per plugged-in device. The device is opened
   * through the shared handle, so a read overlapping a chip session (or another slot's read) cannot
   * close the device under it.
   */
  private async deviceStrings(t: Target): Promise<DeviceStrings> {
    const key = this.stringsKey(t);
    const cached = this.strings.get(key);
    if (cached) return cached;
    const d = t.device.deviceDescriptor;
    const read = async (): Promise<DeviceStrings> => ({
      ...((m) => (m ? { manufacturer: m } : {}))(await readStringDescriptor(t.device, d.iManufacturer)),
      ...((p) => (p ? { product: p } : {}))(await readStringDescriptor(t.device, d.iProduct)),
      ...((s) => (s ? { serialNumber: s } : {}))(await readStringDescriptor(t.device, d.iSerialNumber)),
    });
    const handle = this.handles.handle(t.device);
    try {
      handle.open();
    } catch (error) {
      const problem = openFailure(error, 'this reader') as TesseraError;
      // Only a refusal is worth remembering: it lasts until the reader is replugged with new rights.
      if (problem.code === 'CCID_USB_ACCESS_DENIED') this.strings.set(key, { problem });
      return problem.code === 'CCID_USB_ACCESS_DENIED' ? { problem } : {};
    }
    let strings: DeviceStrings;
    try {
      strings = await read();
    } finally {
      try {
        handle.close();
      } catch {
        // closing a device we only read names from cannot matter
      }
    }
    this.strings.set(key, strings);
    return strings;
  }

  private async deviceInfo(t: Target): Promise<ReaderDeviceInfo> {
    const strings = await this.deviceStrings(t);
    const slotSuffix = t.slotCount > 1 ? ` (slot ${t.slot})` : '';
    const base = {
      id: t.id,
      vendor: strings.manufacturer ?? `USB vendor ${hex16(t.vendorId)}`,
      model: `${strings.product ?? `CCID reader ${hex16(t.vendorId)}:${hex16(t.productId)}`}${slotSuffix}`,
      ...(strings.serialNumber ? { serialNumber: strings.serialNumber } : {}),
      // A chip-only reader images nothing, so it declares no lights.
      capabilities: { lights: [], mrz: false, chip: true },
    };
    const problem = t.problem ?? (t.info ? exchangeLevelProblem(t.info.descriptor) : undefined) ?? strings.problem;
    if (problem) return { ...base, status: 'error', statusMessage: statusMessageOf(problem) };
    if (this.active.has(t.id)) return { ...base, status: 'busy', statusMessage: 'A chip read is in progress on this reader.' };
    return { ...base, status: 'ready' };
  }

  // ── Sessions ──────────────────────────────────────────────────────────────────────────────

  private sessionKey(t: Target): string {
    return `${t.deviceKey}#${t.interfaceNumber}`;
  }

  /** Slots of one interface share its session (one claim, one bulk pipe); the last user closes it. */
  private async acquire(t: Target): Promise<CcidSession> {
    const key = this.sessionKey(t);
    let shared = this.sessions.get(key);
    if (shared?.closing) {
      await shared.closing;
      shared = this.sessions.get(key);
    }
    if (shared && shared.session.isUsable) {
      shared.refs++;
      return shared.session;
    }
    const session = CcidSession.open(t.device, t.info!, this.timeouts, `the reader usb-ccid:${t.deviceKey}`, this.handles.handle(t.device));
    this.sessions.set(key, { session, refs: 1 });
    return session;
  }

  private async releaseSession(t: Target): Promise<void> {
    const key = this.sessionKey(t);
    const shared = this.sessions.get(key);
    if (!shared || --shared.refs > 0) return;
    shared.closing = shared.session.close().finally(() => {
      if (this.sessions.get(key) === shared) this.sessions.delete(key);
    });
    await shared.closing;
  }

  /** The transport's release: the device becomes free only once its interface is released. */
  private async release(t: Target, deviceId: string): Promise<void> {
    try {
      await this.releaseSession(t);
    } finally {
      this.active.delete(deviceId);
      if (this.listeners.size) this.scheduleNotify();
    }
  }

  private powerSelect(descriptor: CcidClassDescriptor): number {
    if (descriptor.features & FEATURES.automaticVoltage || !descriptor.voltageSupport) return POWER_SELECT.automatic;
    // ISO 7816-3 activates at the lowest class first; contactless readers ignore the choice.
    if (descriptor.voltageSupport & 0x04) return POWER_SELECT.v1_8;
    if (descriptor.voltageSupport & 0x02) return POWER_SELECT.v3;
    return POWER_SELECT.v5;
  }

  // ── Hot-plug ──────────────────────────────────────────────────────────────────────────────

  /** Subscribed only while someone listens: the real module starts a libusb hot-plug thread per subscription. */
  private startHotplug(): Promise<void> {
    this.hotplugStarting ??= (async () => {
      const backend = await this.backend();
      if (!backend?.on || !backend.removeListener || this.hotplug || !this.listeners.size || this.closed) return;
      const onAttach: UsbHotplugListener = (device) => {
        if (this.allowed(device) && this.ccidInterfaces(device).length) this.scheduleNotify();
      };
      const onDetach: UsbHotplugListener = (device) => {
        for (const [key, shared] of this.sessions) {
          if (key.startsWith(`${this.deviceKey(device)}#`)) shared.session.markGone();
        }
        this.scheduleNotify();
      };
      try {
        backend.on('attach', onAttach);
        backend.on('detach', onDetach);
        this.hotplug = { backend, onAttach, onDetach };
        this.lastNotified = this.signature(await this.listDevices());
      } catch (error) {
        this.options.logger?.warn('USB hot-plug events are unavailable; the device list refreshes when asked', { error: describe(error) });
      }
    })().finally(() => {
      this.hotplugStarting = undefined;
    });
    return this.hotplugStarting;
  }

  private stopHotplug(): void {
    const hotplug = this.hotplug;
    this.hotplug = undefined;
    if (!hotplug) return;
    hotplug.backend.removeListener?.('attach', hotplug.onAttach);
    hotplug.backend.removeListener?.('detach', hotplug.onDetach);
  }

  private signature(devices: ReaderDeviceInfo[]): string {
    return devices.map((d) => `${d.id}:${d.status}`).sort().join('|');
  }

  /** Coalesce a burst of events into one listing, and tell listeners only when the list really changed. */
  private scheduleNotify(): void {
    if (this.notifyScheduled || this.closed) return;
    this.notifyScheduled = true;
    setImmediate(async () => {
      this.notifyScheduled = false;
      if (!this.listeners.size || this.closed) return;
      try {
        const devices = await this.listDevices();
        const signature = this.signature(devices);
        if (signature === this.lastNotified) return;
        this.lastNotified = signature;
        for (const listener of [...this.listeners]) {
          try {
            listener(devices);
          } catch (error) {
            this.options.logger?.warn('a device-change listener failed', { error: describe(error) });
          }
        }
      } catch (error) {
        this.options.logger?.warn('listing USB CCID readers after a hot-plug event failed', { error: describe(error) });
      }
    });
  }
}
