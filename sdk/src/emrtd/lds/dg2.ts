/**
 * DG2 (tag '75'): the encoded face. Unwraps the biometric templates and reads each data block as
 * ISO/IEC 19794-5 (binary 'FAC' record) or ISO/IEC 39794-5 (tag-based), deciding by content
 * rather than by tag or CBEFF format type, because issuers have put either under either.
 * buildDg2 produces the 19794-5 form every reader understands (39794-5 on request).
 */

import { decodeTlv, encodeTlv } from '../codec/ber-tlv.js';
import {
  TAG_BDB_CONSTRUCTED,
  TAG_BDB_PRIMITIVE,
  TAG_BIOMETRIC_TEMPLATE,
  encodeBiometricGroup,
  encodeBiometricHeader,
  readBiometricTemplates,
  type BiometricHeader,
} from './biometric-templates.js';
import { encodeIso19794Face, encodeIso39794Face, isIso19794Face, parseIso19794Face, parseIso39794Face, type FaceEncoding, type FaceImage, type FaceImageInput } from './face-record.js';
import { dataGroupTag } from './file-ids.js';
import { inFile, ldsError } from './lds-errors.js';
import { openTemplate } from './template.js';

export interface Dg2Template {
  header: BiometricHeader;
  encoding: FaceEncoding;
  images: FaceImage[];
}

export interface Dg2 {
  templates: Dg2Template[];
  /** Every image of every template, in order. */
  images: FaceImage[];
}

/** CBEFF values: biometric type 2 = facial features; format owner ISO/IEC JTC 1/SC 37. */
const FACIAL_FEATURES = 0x02;
const FORMAT_OWNER_SC37 = 0x0101;
const FORMAT_TYPE_19794_5 = 0x0008;
const FORMAT_TYPE_39794_5 = 0x002a;

export function parseDg2(bytes: Uint8Array): Dg2 {
  const file = 'DG2';
  const root = openTemplate(bytes, dataGroupTag(2)!, file);
  const templates = readBiometricTemplates(root, file).map(({ header, dataBlock }): Dg2Template => {
    if (dataBlock.constructed) {
      return { header, encoding: 'ISO39794-5', images: parseIso39794Face(dataBlock.children ?? [], file) };
    }
    const bdb = dataBlock.value;
    if (isIso19794Face(bdb)) return { header, encoding: 'ISO19794-5', images: parseIso19794Face(bdb, file) };
    // A tag-based block stored under the primitive tag: decode it as TLV if it looks like one.
    if (bdb[0] === 0xa1 || bdb[0] === 0x65) {
      const nodes = inFile(file, 'EMRTD_DG2_MALFORMED', () => decodeTlv(bdb, { maxDepth: 32 }));
      return { header, encoding: 'ISO39794-5', images: parseIso39794Face(nodes, file) };
    }
    throw ldsError('EMRTD_DG2_UNSUPPORTED_FORMAT', `${file}: the biometric data block is neither ISO/IEC 19794-5 ('FAC') nor ISO/IEC 39794-5`, {
      details: { file, formatOwner: header.formatOwner, formatType: header.formatType },
    });
  });
  return { templates, images: templates.flatMap((t) => t.images) };
}

export interface BuildDg2Options {
  /** Default 'ISO19794-5', what every eMRTD reader understands. */
  encoding?: FaceEncoding;
}

/** DG2 with one biometric template per face. */
export function buildDg2(faces: FaceImageInput | readonly FaceImageInput[], options: BuildDg2Options = {}): Uint8Array {
  const list: readonly FaceImageInput[] = Array.isArray(faces) ? faces : [faces as FaceImageInput];
  if (list.length === 0) throw ldsError('EMRTD_LDS_BUILD_INVALID', 'DG2: at least one face image is required');
  const encoding = options.encoding ?? 'ISO19794-5';
  if (encoding !== 'ISO19794-5' && encoding !== 'ISO39794-5') throw ldsError('EMRTD_LDS_BUILD_INVALID', `DG2: unknown encoding ${JSON.stringify(encoding)}`);
  const templates = list.map((face, i) => {
    const header = encodeBiometricHeader({
      biometricType: FACIAL_FEATURES,
      formatOwner: FORMAT_OWNER_SC37,
      formatType: encoding === 'ISO19794-5' ? FORMAT_TYPE_19794_5 : FORMAT_TYPE_39794_5,
    });
    const block =
      encoding === 'ISO19794-5' ? encodeTlv(TAG_BDB_PRIMITIVE, encodeIso19794Face(face, i)) : encodeTlv(TAG_BDB_CONSTRUCTED, encodeIso39794Face(face, i));
    return encodeTlv(TAG_BIOMETRIC_TEMPLATE, [header, block]);
  });
  return encodeTlv(dataGroupTag(2)!, [encodeBiometricGroup(templates)]);
}
