/**
 * The contract a document-reader driver implements: a vendor's full-page reader, a swipe MRZ reader,
 * a flatbed, or the built-in simulator. The host only ever talks to devices through this interface.
 */
import type { Disposable } from '../disposable.js';
import type { ChipTransport } from './chip-transport.js';

/** White light, infrared (~900 nm) and ultraviolet (365 nm). */
export type LightSource = 'white' | 'ir' | 'uv';
export const LIGHT_SOURCES: readonly LightSource[] = ['white', 'ir', 'uv'];

/** A part of a page image the device located, in pixels of that image (origin top left; the shape sharp's extract takes). */
export interface PageRegion {
  /** 'portrait': the printed photo of the holder; 'mrz': the machine readable zone. */
  role: 'portrait' | 'mrz';
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PageImage {
  light: LightSource;
  /** Which page was imaged, e.g. 'data-page' (the biographical page) or 'visa-page-3'. */
  page: string;
  mediaType: 'image/png' | 'image/jpeg';
  data: Uint8Array;
  width: number;
  height: number;
  /** Capture resolution when the device knows it. */
  dpi?: number;
  /** Where the device found the portrait, the MRZ …; lets the UI and reports crop the printed photo. */
  regions?: PageRegion[];
}

export type DeviceStatus = 'ready' | 'busy' | 'disconnected' | 'error';

export interface ReaderDeviceInfo {
  /** Stable for as long as the device stays connected; unique across all drivers. */
  id: string;
  vendor: string;
  model: string;
  serialNumber?: string;
  capabilities: {
    /** Empty only for chip-only readers (a contactless reader with no camera). */
    lights: LightSource[];
    /** The device reads the MRZ itself (its own OCR or a swipe head). */
    mrz: boolean;
    /** The device has a contactless antenna for the eMRTD chip. */
    chip: boolean;
  };
  status: DeviceStatus;
  /** Why the device is not ready, in words an officer can act on. */
  statusMessage?: string;
}

export interface ScanOptions {
  /** Light sources to capture; default: all the device supports. */
  lights?: LightSource[];
  signal?: AbortSignal;
  onProgress?: (progress: { step: string; fraction: number }) => void;
}

export interface ScanResult {
  deviceId: string;
  /** ISO 8601. */
  capturedAt: string;
  pages: PageImage[];
  /** MRZ text as read by the device, when it reads MRZs itself. */
  mrz?: { lines: string[]; source: 'device-ocr' | 'swipe' };
  /** An open link to the chip, when a chip answered. The host closes it. */
  chip?: ChipTransport;
  /** Driver-specific facts worth keeping with the inspection (firmware, exposure …). */
  metadata?: Record<string, string | number | boolean>;
}

/**
 * A setting a device exposes to the officer (a vendor reader's page selection or exposure, the
 * simulator's choice of specimen). The host UI renders it as a choice list in the device panel.
 */
export interface DeviceSetting {
  id: string;
  label: string;
  choices: ReadonlyArray<{ value: string; label: string }>;
  value: string;
}

export type DeviceChangeListener = (devices: ReaderDeviceInfo[]) => void;

export interface ReaderDriver {
  /** Unique per driver, e.g. 'simulator' or 'acme-fpr-5000'. Must be declared in the manifest's contributes.readers. */
  readonly id: string;
  readonly displayName: string;
  listDevices(): Promise<ReaderDeviceInfo[]>;
  /**
   * Capture a document. Rejects with a TesseraError: TSR_READER_DEVICE_NOT_FOUND for an unknown id,
   * TSR_READER_BUSY while another scan runs, TSR_READER_NO_DOCUMENT when nothing lies on the glass,
   * TSR_READER_ABORTED when the signal fires.
   */
  scan(deviceId: string, options?: ScanOptions): Promise<ScanResult>;
  onDevicesChanged?(listener: DeviceChangeListener): Disposable;
  /** Settings the officer may change on a device; omit when there are none. */
  getSettings?(deviceId: string): Promise<DeviceSetting[]>;
  /** Rejects with TSR_READER_DEVICE_NOT_FOUND or TSR_REQUEST_INVALID (unknown setting or value). */
  changeSetting?(deviceId: string, settingId: string, value: string): Promise<void>;
  /** Release handles (USB interfaces, timers). */
  close?(): Promise<void>;
}
