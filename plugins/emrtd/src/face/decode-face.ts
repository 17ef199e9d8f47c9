/**
 * The chip's portrait (DG2) as an image the UI and the PDF report can show: JPEG passes through;
 * JPEG 2000 (JP2 file or J2K codestream) is decoded offline with OpenJPEG compiled to WebAssembly
 * (@cornerstonejs/codec-openjpeg, loaded from its package files, never from the network) and
 * encoded to PNG with sharp.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { TesseraError } from '@tessera/sdk';
import sharp from 'sharp';

export interface DisplayableFace {
  mediaType: 'image/png' | 'image/jpeg';
  data: Uint8Array;
  /** Pixel size of the image shown. */
  width: number;
  height: number;
  /** What the chip stored: 'jpeg', 'jp2' or 'j2k'. */
  source: 'jpeg' | 'jp2' | 'j2k';
  /** Bytes before the image start that had to be skipped (a mis-encoded biometric record); 0 normally. */
  skippedBytes: number;
}

/** How far a mis-aligned image start is searched for. */
const MAX_SKIP = 16;

interface J2KFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}
interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): J2KFrameInfo;
  delete?(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let openJpeg: Promise<OpenJpegModule> | undefined;

/** Loads the WebAssembly decoder once per process, from the installed package. */
function loadOpenJpeg(): Promise<OpenJpegModule> {
  openJpeg ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (options: { wasmBinary: Uint8Array; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<OpenJpegModule>;
    const wasmBinary = await readFile(require.resolve('@cornerstonejs/codec-openjpeg/decodewasm'));
    // OpenJPEG logs every header it reads; keep that out of the host's output.
    return factory({ wasmBinary, print: () => {}, printErr: () => {} });
  })();
  openJpeg.catch(() => {
    openJpeg = undefined;
  });
  return openJpeg;
}

export function detectContainer(bytes: Uint8Array): 'jpeg' | 'jp2' | 'j2k' | 'unknown' {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && bytes[3] === 0x0c && bytes[4] === 0x6a && bytes[5] === 0x50 && bytes[6] === 0x20 && bytes[7] === 0x20) return 'jp2';
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51) return 'j2k';
  return 'unknown';
}

/** Decodes JPEG 2000 to raw pixels. */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<{ pixels: Uint8Array; info: J2KFrameInfo }> {
  const module = await loadOpenJpeg();
  const decoder = new module.J2KDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // The decoded buffer is a view into the wasm heap; copy it out before the decoder is freed.
    const pixels = decoder.getDecodedBuffer().slice();
    return { pixels, info: { ...info } };
  } catch (error) {
    throw new TesseraError('EMRTD_FACE_DECODE_FAILED', `The JPEG 2000 portrait could not be decoded: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'The image on the chip is corrupt or uses a JPEG 2000 feature the decoder does not support.',
      cause: error,
    });
  } finally {
    decoder.delete?.();
  }
}

/** Turns the DG2 image into PNG or JPEG. */
export async function decodeFace(stored: Uint8Array): Promise<DisplayableFace> {
  let image = stored;
  let container = detectContainer(image);
  let skippedBytes = 0;
  // Some records (and chips) put the image a few bytes off where the header says; find its start.
  for (let skip = 1; container === 'unknown' && skip <= MAX_SKIP && skip < stored.length; skip++) {
    const candidate = stored.subarray(skip);
    if (detectContainer(candidate) !== 'unknown') {
      image = candidate;
      container = detectContainer(candidate);
      skippedBytes = skip;
    }
  }
  if (container === 'jpeg') {
    const meta = await sharp(image).metadata().catch(() => undefined);
    return { mediaType: 'image/jpeg', data: image, width: meta?.width ?? 0, height: meta?.height ?? 0, source: 'jpeg', skippedBytes };
  }
  if (container === 'unknown') {
    throw new TesseraError('EMRTD_FACE_FORMAT_UNKNOWN', 'The portrait on the chip is neither JPEG nor JPEG 2000', { hint: 'The DG2 image data is corrupt or in a format ICAO does not allow.' });
  }
  const { pixels, info } = await decodeJpeg2000(image);
  if (info.componentCount !== 1 && info.componentCount !== 3 && info.componentCount !== 4) {
    throw new TesseraError('EMRTD_FACE_DECODE_FAILED', `The portrait has ${info.componentCount} colour components`, { hint: 'Only grey, RGB and RGBA portraits can be shown.' });
  }
  const channels = info.componentCount as 1 | 3 | 4;
  let raw: Uint8Array = pixels;
  if (info.bitsPerSample > 8) {
    // 16-bit samples (little-endian in the heap) scaled down to 8 bits.
    const samples = new Uint16Array(pixels.buffer, pixels.byteOffset, pixels.byteLength / 2);
    const shift = info.bitsPerSample - 8;
    raw = Uint8Array.from(samples, (v) => v >> shift);
  }
  const png = await sharp(raw, { raw: { width: info.width, height: info.height, channels } }).png().toBuffer();
  return { mediaType: 'image/png', data: new Uint8Array(png), width: info.width, height: info.height, source: container, skippedBytes };
}
