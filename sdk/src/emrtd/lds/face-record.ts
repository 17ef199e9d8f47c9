/**
 * The face inside a DG2 biometric data block, in the two encodings ICAO allows:
 *
 * - ISO/IEC 19794-5:2005 — a binary record: 'FAC\0', version '010\0', record length, image count,
 *   then per image a 20-byte facial information block, 8 bytes per feature point, a 12-byte image
 *   information block and the image itself. Every eMRTD issued before the 8th edition of Doc 9303.
 * - ISO/IEC 39794-5 — tag-based (DER with context tags), under '7F2E' in the ICAO application
 *   profile: 'A1' wrapping the [APPLICATION 5] FaceImageDataBlock { [0] version, [1] representations }.
 *   Only the path to the 2-D image, its format code and its size is read.
 *
 * All lengths in the binary record are checked against the bytes actually present before use.
 */

import { encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes, uintToBytes } from '../codec/bytes.js';
import { detectImageContainer, readImageSize, type ImageContainer } from './image-format.js';
import { ldsError } from './lds-errors.js';
import { child } from './template.js';

export type FaceMediaType = 'image/jpeg' | 'image/jp2';
export type FaceEncoding = 'ISO19794-5' | 'ISO39794-5';

export interface FeaturePoint {
  type: number;
  /** Major code in the high nibble, minor in the low (ISO/IEC 14496-2 feature point). */
  code: number;
  x: number;
  y: number;
}

/** The 19794-5 facial information and image information fields, as stored (codes, not labels). */
export interface Iso19794FaceDetails {
  gender: number;
  eyeColour: number;
  hairColour: number;
  featureMask: number;
  expression: number;
  poseAngle: { yaw: number; pitch: number; roll: number };
  poseAngleUncertainty: { yaw: number; pitch: number; roll: number };
  featurePoints: FeaturePoint[];
  /** 0 basic, 1 full frontal, 2 token frontal. */
  faceImageType: number;
  /** 0 JPEG, 1 JPEG 2000. */
  imageDataType: number;
  colourSpace: number;
  sourceType: number;
  deviceType: number;
  quality: number;
}

export interface FaceImage {
  /** From the image bytes when they are recognisable, else from the declared type. */
  mediaType: FaceMediaType;
  /** The image file exactly as stored (JPEG, JP2 file or J2K codestream). */
  data: Uint8Array;
  width: number;
  height: number;
  /** What the first bytes of `data` are. */
  container: ImageContainer;
  /**
   * Pixel size read from the image's own header (JPEG SOF, JP2 'ihdr', J2K SIZ), when readable.
   * `width`/`height` are what the record declares; the two disagree on some real chips (and in
   * the BSI TR-03105 reference DG2), so a viewer should prefer this one.
   */
  imageSize?: { width: number; height: number };
  /** The type the record declares; differs from mediaType only on a mis-personalised chip. */
  declaredMediaType?: FaceMediaType;
  encoding: FaceEncoding;
  iso19794?: Iso19794FaceDetails;
  /** 39794-5 image data format code (2 JPEG, 3 JPEG 2000 lossy, 4 JPEG 2000 lossless). */
  iso39794FormatCode?: number;
}

const FAC = [0x46, 0x41, 0x43, 0x00];
const VERSION_2005 = [0x30, 0x31, 0x30, 0x00];
const VERSION_2011 = [0x30, 0x33, 0x30, 0x00];
const HEADER_LENGTH = 14;
const FACIAL_INFO_LENGTH = 20;
const FEATURE_POINT_LENGTH = 8;
const IMAGE_INFO_LENGTH = 12;

function malformed(file: string, message: string, details: Record<string, unknown> = {}): never {
  throw ldsError('EMRTD_DG2_MALFORMED', `${file}: ${message}`, { details: { file, ...details } });
}

function unsupported(file: string, message: string, details: Record<string, unknown> = {}): never {
  throw ldsError('EMRTD_DG2_UNSUPPORTED_FORMAT', `${file}: ${message}`, { details: { file, ...details } });
}

function equalsAt(b: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return expected.every((v, i) => b[offset + i] === v);
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function mediaTypeFor(container: ImageContainer, declared: FaceMediaType | undefined): FaceMediaType | undefined {
  if (container === 'jpeg') return 'image/jpeg';
  if (container === 'jp2' || container === 'j2k') return 'image/jp2';
  return declared;
}

export function isIso19794Face(bytes: Uint8Array): boolean {
  return equalsAt(bytes, 0, FAC);
}

/** Faces from an ISO/IEC 19794-5:2005 facial record. */
export function parseIso19794Face(bdb: Uint8Array, file: string): FaceImage[] {
  if (bdb.length < 4 || !isIso19794Face(bdb)) unsupported(file, "the biometric data block is not an ISO/IEC 19794-5 facial record (no 'FAC' header)");
  if (bdb.length < HEADER_LENGTH) malformed(file, `the facial record is ${bdb.length} bytes, shorter than its ${HEADER_LENGTH}-byte header`);
  if (equalsAt(bdb, 4, VERSION_2011)) unsupported(file, 'ISO/IEC 19794-5:2011 (version 030) facial records are not supported; ICAO uses the 2005 edition (010)');
  if (!equalsAt(bdb, 4, VERSION_2005)) {
    unsupported(file, `unknown ISO/IEC 19794-5 version ${JSON.stringify(String.fromCharCode(...bdb.subarray(4, 7)))}`);
  }
  const recordLength = u32(bdb, 8);
  if (recordLength > bdb.length) malformed(file, `the facial record declares ${recordLength} bytes, but the data block holds ${bdb.length}`, { recordLength });
  if (recordLength < HEADER_LENGTH) malformed(file, `the facial record declares an impossible length of ${recordLength}`);
  const count = u16(bdb, 12);
  if (count === 0) malformed(file, 'the facial record holds no image');
  const images: FaceImage[] = [];
  let pos = HEADER_LENGTH;
  for (let i = 0; i < count; i++) {
    if (pos + FACIAL_INFO_LENGTH > recordLength) malformed(file, `facial record data block ${i + 1} of ${count} is cut off`, { offset: pos });
    const blockLength = u32(bdb, pos);
    const blockEnd = pos + blockLength;
    if (blockLength < FACIAL_INFO_LENGTH + IMAGE_INFO_LENGTH || blockEnd > recordLength) {
      malformed(file, `facial record data block ${i + 1} declares ${blockLength} bytes, but ${recordLength - pos} remain in the record`, { offset: pos });
    }
    const pointCount = u16(bdb, pos + 4);
    const pointsStart = pos + FACIAL_INFO_LENGTH;
    const infoStart = pointsStart + pointCount * FEATURE_POINT_LENGTH;
    if (infoStart + IMAGE_INFO_LENGTH > blockEnd) malformed(file, `facial record data block ${i + 1}: ${pointCount} feature points do not fit its length`, { offset: pos });
    const featurePoints: FeaturePoint[] = [];
    for (let p = pointsStart; p < infoStart; p += FEATURE_POINT_LENGTH) {
      featurePoints.push({ type: bdb[p], code: bdb[p + 1], x: u16(bdb, p + 2), y: u16(bdb, p + 4) });
    }
    const imageDataType = bdb[infoStart + 1];
    const data = bdb.subarray(infoStart + IMAGE_INFO_LENGTH, blockEnd);
    if (data.length === 0) malformed(file, `facial record data block ${i + 1} holds no image data`, { offset: pos });
    const declared: FaceMediaType | undefined = imageDataType === 0 ? 'image/jpeg' : imageDataType === 1 ? 'image/jp2' : undefined;
    const container = detectImageContainer(data);
    const mediaType = mediaTypeFor(container, declared);
    if (!mediaType) unsupported(file, `facial image ${i + 1} has image data type ${imageDataType}; only JPEG (0) and JPEG 2000 (1) are defined`);
    const imageSize = readImageSize(data);
    images.push({
      mediaType,
      data,
      width: u16(bdb, infoStart + 2),
      height: u16(bdb, infoStart + 4),
      ...(imageSize ? { imageSize } : {}),
      container,
      ...(declared ? { declaredMediaType: declared } : {}),
      encoding: 'ISO19794-5',
      iso19794: {
        gender: bdb[pos + 6],
        eyeColour: bdb[pos + 7],
        hairColour: bdb[pos + 8],
        featureMask: u24(bdb, pos + 9),
        expression: u16(bdb, pos + 12),
        poseAngle: { yaw: bdb[pos + 14], pitch: bdb[pos + 15], roll: bdb[pos + 16] },
        poseAngleUncertainty: { yaw: bdb[pos + 17], pitch: bdb[pos + 18], roll: bdb[pos + 19] },
        featurePoints,
        faceImageType: bdb[infoStart],
        imageDataType,
        colourSpace: bdb[infoStart + 6],
        sourceType: bdb[infoStart + 7],
        deviceType: u16(bdb, infoStart + 8),
        quality: u16(bdb, infoStart + 10),
      },
    });
    pos = blockEnd;
  }
  return images;
}

export interface FaceImageInput {
  mediaType: FaceMediaType;
  data: Uint8Array;
  width: number;
  height: number;
  /** 19794-5 codes; all default to 0 (unspecified) except faceImageType, default 1 (full frontal). */
  gender?: number;
  eyeColour?: number;
  hairColour?: number;
  faceImageType?: number;
  colourSpace?: number;
  sourceType?: number;
}

function checkInput(face: FaceImageInput, index: number): void {
  const where = `DG2 face ${index + 1}`;
  if (face.mediaType !== 'image/jpeg' && face.mediaType !== 'image/jp2') {
    throw ldsError('EMRTD_LDS_BUILD_INVALID', `${where}: mediaType must be 'image/jpeg' or 'image/jp2'`);
  }
  if (!(face.data instanceof Uint8Array) || face.data.length === 0) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${where}: data must be a non-empty Uint8Array`);
  for (const [k, v] of [['width', face.width], ['height', face.height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 0xffff) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${where}: ${k} must be an integer from 1 to 65535`);
  }
  for (const k of ['gender', 'eyeColour', 'hairColour', 'faceImageType', 'colourSpace', 'sourceType'] as const) {
    const v = face[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 255)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${where}: ${k} must be a byte value`);
  }
}

/** A 19794-5:2005 facial record holding one image (ICAO puts one record in each biometric template). */
export function encodeIso19794Face(face: FaceImageInput, index = 0): Uint8Array {
  checkInput(face, index);
  const blockLength = FACIAL_INFO_LENGTH + IMAGE_INFO_LENGTH + face.data.length;
  const recordLength = HEADER_LENGTH + blockLength;
  if (recordLength > 0xffffffff) throw ldsError('EMRTD_LDS_BUILD_INVALID', `DG2 face ${index + 1}: image too large`);
  const facialInfo = concatBytes(
    uintToBytes(blockLength, 4),
    uintToBytes(0, 2), // no feature points
    Uint8Array.of(face.gender ?? 0, face.eyeColour ?? 0, face.hairColour ?? 0),
    new Uint8Array(3 + 2 + 3 + 3), // feature mask, expression, pose angle, pose uncertainty: unspecified
  );
  const imageInfo = concatBytes(
    Uint8Array.of(face.faceImageType ?? 1, face.mediaType === 'image/jpeg' ? 0 : 1),
    uintToBytes(face.width, 2),
    uintToBytes(face.height, 2),
    Uint8Array.of(face.colourSpace ?? 0, face.sourceType ?? 0),
    new Uint8Array(4), // device type, quality: unspecified
  );
  return concatBytes(Uint8Array.from(FAC), Uint8Array.from(VERSION_2005), uintToBytes(recordLength, 4), uintToBytes(1, 2), facialInfo, imageInfo, face.data);
}

// ---- ISO/IEC 39794-5 -------------------------------------------------------------------------

const TAG_FACE_IMAGE_DATA_BLOCK = 0x65; // [APPLICATION 5]
const A0 = 0xa0;
const A1 = 0xa1;
const A7 = 0xa7;

function readUnsigned(node: TlvNode | undefined): number | undefined {
  if (!node || node.constructed || node.value.length === 0 || node.value.length > 6 || node.value[0] & 0x80) return undefined;
  let v = 0;
  for (const b of node.value) v = v * 256 + b;
  return v;
}

/**
 * Faces from a 39794-5 block. `nodes` are the objects inside the data block: under '7F2E' the
 * application profile puts 'A1' around the FaceImageDataBlock; both the [APPLICATION 5] tagged
 * form and the bare { [0] version, [1] representations } form are accepted.
 */
export function parseIso39794Face(nodes: readonly TlvNode[], file: string): FaceImage[] {
  let block: readonly TlvNode[] = nodes;
  if (block.length === 1 && block[0].tag === A1 && block[0].children) block = block[0].children;
  if (block.length === 1 && block[0].tag === TAG_FACE_IMAGE_DATA_BLOCK && block[0].children) block = block[0].children;
  const representations = block.find((n) => n.tag === A1);
  if (!representations?.children || !block.some((n) => n.tag === A0)) {
    unsupported(file, 'the biometric data block is neither an ISO/IEC 19794-5 record nor an ISO/IEC 39794-5 FaceImageDataBlock');
  }
  const images: FaceImage[] = [];
  for (const [i, rep] of representations.children.entries()) {
    if (rep.tag !== 0x30 || !rep.children) malformed(file, `39794-5 representation ${i + 1} is not a SEQUENCE`);
    // imageRepresentation [1] → base [0] → imageRepresentation2DBlock [0]; 3-D and extension alternatives are skipped.
    const twoD = [A1, A0, A0].reduce<TlvNode | undefined>((node, tag) => (node ? child(node, tag) : undefined), rep);
    if (!twoD) continue;
    const data = child(twoD, 0x80);
    if (!data || data.constructed || data.value.length === 0) malformed(file, `39794-5 representation ${i + 1} has no image data`);
    const info = child(twoD, A1);
    const formatCode = readUnsigned(info && child(info, A0) ? child(child(info, A0)!, 0x80) : undefined);
    const declared: FaceMediaType | undefined = formatCode === 2 ? 'image/jpeg' : formatCode === 3 || formatCode === 4 ? 'image/jp2' : undefined;
    const container = detectImageContainer(data.value);
    const mediaType = mediaTypeFor(container, declared);
    if (!mediaType) unsupported(file, `39794-5 representation ${i + 1} has image format ${formatCode ?? 'unknown'}; only JPEG and JPEG 2000 are read`);
    const sizeBlock = info ? child(info, A7) : undefined;
    const width = readUnsigned(sizeBlock ? child(sizeBlock, 0x80) : undefined);
    const height = readUnsigned(sizeBlock ? child(sizeBlock, 0x81) : undefined);
    // The size block is optional in 39794-5; the image header is the fallback.
    const imageSize = readImageSize(data.value);
    images.push({
      mediaType,
      data: data.value,
      width: width ?? imageSize?.width ?? 0,
      height: height ?? imageSize?.height ?? 0,
      ...(imageSize ? { imageSize } : {}),
      container,
      ...(declared ? { declaredMediaType: declared } : {}),
      encoding: 'ISO39794-5',
      ...(formatCode !== undefined ? { iso39794FormatCode: formatCode } : {}),
    });
  }
  if (images.length === 0) unsupported(file, 'the ISO/IEC 39794-5 block holds no 2-D image representation');
  return images;
}

function der(tag: number, content: Uint8Array | readonly Uint8Array[]): Uint8Array {
  return encodeTlv(tag, content instanceof Uint8Array ? content : concatBytes(...content));
}

function derUint(tag: number, value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return encodeTlv(tag, Uint8Array.from(bytes));
}

/**
 * The content of a '7F2E' block for one face in 39794-5 (generation 3, 2019): version, one
 * representation with the 2-D image, its format code and size. A minimal profile for the virtual
 * chip — capture device, quality and landmark blocks are optional in the standard and left out.
 */
export function encodeIso39794Face(face: FaceImageInput, index = 0): Uint8Array {
  checkInput(face, index);
  const formatCode = face.mediaType === 'image/jpeg' ? 2 : 3;
  const imageInfo = der(A1, [der(A0, derUint(0x80, formatCode)), der(A7, [derUint(0x80, face.width), derUint(0x81, face.height)])]);
  const twoD = der(A0, [der(0x80, face.data), imageInfo]);
  const representation = der(0x30, [derUint(0x80, index), der(A1, der(A0, twoD))]);
  const faceImageDataBlock = der(TAG_FACE_IMAGE_DATA_BLOCK, [der(A0, [derUint(0x80, 3), derUint(0x81, 2019)]), der(A1, representation)]);
  return der(A1, faceImageDataBlock);
}
