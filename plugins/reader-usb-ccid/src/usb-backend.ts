/**
 * The boundary to the `usb` npm module: the small part of its classic API this plugin uses, as
 * structural types, so the real module and the simulated reader are interchangeable. The real module
 * is imported lazily: a workstation whose native libusb binding fails to load (or that has no USB
 * bus at all) still loads the plugin and simply lists no readers.
 */
import type { InEndpoint, OutEndpoint } from 'usb';
import { ccidError } from './ccid-protocol.js';

export interface UsbEndpointDescriptorLike {
  bEndpointAddress: number;
  bmAttributes: number;
  wMaxPacketSize: number;
  extra?: Uint8Array;
}

export interface UsbInterfaceDescriptorLike {
  bInterfaceNumber: number;
  bAlternateSetting: number;
  bInterfaceClass: number;
  bInterfaceSubClass: number;
  bInterfaceProtocol: number;
  extra: Uint8Array;
  endpoints: UsbEndpointDescriptorLike[];
}

export interface UsbEndpointLike {
  direction: 'in' | 'out';
  /** Transfer timeout in ms, read when a transfer is submitted; 0 = none. */
  timeout: number;
}

export interface UsbInEndpointLike extends UsbEndpointLike {
  transfer(length: number, callback: (error: UsbError | undefined, data?: Buffer) => void): unknown;
  startPoll(nTransfers?: number, transferSize?: number): unknown;
  stopPoll(callback?: () => void): void;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: UsbError) => void): unknown;
  removeAllListeners(event?: 'data' | 'error' | 'end'): unknown;
  removeListener(event: 'error', listener: (error: UsbError) => void): unknown;
}

export interface UsbOutEndpointLike extends UsbEndpointLike {
  transfer(buffer: Buffer, callback?: (error: UsbError | undefined, actual: number) => void): unknown;
}

export interface UsbInterfaceLike {
  claim(): void;
  release(callback?: (error?: UsbError) => void): void;
  endpoint(address: number): UsbEndpointLike | undefined;
}

export interface UsbDeviceLike {
  busNumber: number;
  deviceAddress: number;
  /** Port path from the root hub; undefined where the platform cannot tell. */
  portNumbers?: number[];
  deviceDescriptor: { idVendor: number; idProduct: number; iManufacturer: number; iProduct: number; iSerialNumber: number };
  /** Readable without opening the device. */
  configDescriptor?: { interfaces: UsbInterfaceDescriptorLike[][] } | undefined;
  open(): void;
  close(): void;
  interface(interfaceNumber: number): UsbInterfaceLike;
  getStringDescriptor(index: number, callback: (error?: UsbError, value?: string) => void): void;
  controlTransfer(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    dataOrLength: number | Buffer,
    callback?: (error?: UsbError, data?: Buffer | number) => void,
  ): unknown;
}

/** Compile-time only: the real endpoint classes satisfy the structural types above. */
type Fits<T extends U, U> = T;
export type RealEndpointsFit = [Fits<InEndpoint, UsbInEndpointLike>, Fits<OutEndpoint, UsbOutEndpointLike>];

export type UsbHotplugListener = (device: UsbDeviceLike) => void;

/** What the driver needs from `usb`: enumeration, and attach/detach when hot-plug is wanted. */
export interface UsbBackend {
  getDeviceList(): UsbDeviceLike[];
  on?(event: 'attach' | 'detach', listener: UsbHotplugListener): unknown;
  removeListener?(event: 'attach' | 'detach', listener: UsbHotplugListener): unknown;
}

/** A libusb error as `usb` reports it: negative errno for calls, positive transfer status for transfers. */
export interface UsbError extends Error {
  errno?: number;
}

/** libusb transfer status codes (positive; set on errors passed to transfer callbacks). */
export const LIBUSB_TRANSFER = { ERROR: 1, TIMED_OUT: 2, CANCELLED: 3, STALL: 4, NO_DEVICE: 5, OVERFLOW: 6 } as const;
/** libusb call error codes (negative; thrown by open/claim/control transfers). */
export const LIBUSB_ERROR = { IO: -1, ACCESS: -3, NO_DEVICE: -4, NOT_FOUND: -5, BUSY: -6, TIMEOUT: -7, PIPE: -9, NOT_SUPPORTED: -12 } as const;

export function usbError(message: string, errno: number): UsbError {
  return Object.assign(new Error(message), { errno });
}

export function isTransferTimeout(error: unknown): boolean {
  const errno = (error as UsbError | undefined)?.errno;
  return errno === LIBUSB_TRANSFER.TIMED_OUT || errno === LIBUSB_ERROR.TIMEOUT;
}

export function isDeviceGone(error: unknown): boolean {
  const errno = (error as UsbError | undefined)?.errno;
  return errno === LIBUSB_TRANSFER.NO_DEVICE || errno === LIBUSB_ERROR.NO_DEVICE;
}

/** Turn a libusb failure while opening or claiming into an error an officer (or their IT desk) can act on. */
export function openFailure(error: unknown, what: string): Error {
  const errno = (error as UsbError | undefined)?.errno;
  if (errno === LIBUSB_ERROR.ACCESS) {
    return ccidError('CCID_USB_ACCESS_DENIED', `This workstation may not open ${what}: the operating system denied access.`, {
      hint: 'Give the Tessera service access to the reader (on Linux a udev rule for its vendor:product id), then replug it.',
      cause: error,
    });
  }
  if (errno === LIBUSB_ERROR.BUSY) {
    return ccidError('CCID_INTERFACE_IN_USE', `Another program holds ${what}.`, {
      hint: 'Stop the PC/SC service (pcscd) or the other program using the reader, or remove the reader from this plugin\'s allowList.',
      cause: error,
    });
  }
  if (isDeviceGone(error)) return disconnected(what, error);
  return ccidError('CCID_USB_TRANSFER_FAILED', `Could not open ${what}: ${(error as Error)?.message ?? String(error)}.`, {
    hint: 'Unplug the reader, plug it in again, and retry.',
    cause: error,
  });
}

export function disconnected(what: string, cause?: unknown): Error {
  return ccidError('CCID_DEVICE_DISCONNECTED', `${capitalise(what)} was disconnected.`, {
    hint: 'Plug the reader in again and scan the document again.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The real `usb` module, loaded on first use. Rejects with the reason when libusb is unusable here. */
export async function loadUsbBackend(): Promise<UsbBackend> {
  const mod = await import('usb');
  const usb = mod.usb;
  if (usb.INIT_ERROR) throw new Error(`libusb could not be initialised (error ${usb.INIT_ERROR})`);
  // Checked by the compiler: the real module satisfies the structural backend above.
  const backend: UsbBackend = usb;
  return backend;
}

/** Opens and closes a device; the driver's implementation counts users of the one handle. */
export interface DeviceHandle {
  open(): void;
  close(): void;
}

/**
 * node-usb keeps one libusb handle per device: open() on an open device does nothing and the first
 * close() closes it for everyone. Work that may overlap on one device (reading its names while
 * listing, a chip session, a second slot's session) shares the handle through this count.
 */
export class DeviceHandles {
  private readonly users = new Map<UsbDeviceLike, number>();

  handle(device: UsbDeviceLike): DeviceHandle {
    return { open: () => this.open(device), close: () => this.close(device) };
  }

  private open(device: UsbDeviceLike): void {
    const users = this.users.get(device) ?? 0;
    if (users === 0) device.open();
    this.users.set(device, users + 1);
  }

  private close(device: UsbDeviceLike): void {
    const users = this.users.get(device) ?? 0;
    if (users > 1) {
      this.users.set(device, users - 1);
      return;
    }
    this.users.delete(device);
    device.close();
  }
}

/** Read a string descriptor; resolves undefined when the index is 0 or the read fails. */
export function readStringDescriptor(device: UsbDeviceLike, index: number): Promise<string | undefined> {
  if (!index) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    try {
      device.getStringDescriptor(index, (error, value) => resolve(error ? undefined : value?.trim() || undefined));
    } catch {
      resolve(undefined);
    }
  });
}
