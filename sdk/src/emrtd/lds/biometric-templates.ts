/**
 * The ISO/IEC 7816-11 biometric wrapping shared by DG2, DG3 and DG4 (ICAO Doc 9303 part 10):
 * a Biometric Information Group Template ('7F61') holding a count ('02') and that many
 * Biometric Information Templates ('7F60'), each a header ('A1', the CBEFF fields) plus one
 * biometric data block — '5F2E' (primitive, e.g. an ISO/IEC 19794-5 record) or '7F2E'
 * (constructed, e.g. ISO/IEC 39794-5). This module unwraps that far and no further; what is
 * inside a data block is the business of the data group's own parser.
 */

import type { TlvNode } from '../codec/ber-tlv.js';
import { concatBytes } from '../codec/bytes.js';
import { encodeTlv } from '../codec/ber-tlv.js';
import { ldsError } from './lds-errors.js';
import { child, childrenWithTag } from './template.js';

export const TAG_BIOMETRIC_GROUP = 0x7f61;
export const TAG_BIOMETRIC_TEMPLATE = 0x7f60;
export const TAG_BIOMETRIC_HEADER = 0xa1;
export const TAG_BDB_PRIMITIVE = 0x5f2e;
export const TAG_BDB_CONSTRUCTED = 0x7f2e;
const TAG_COUNT = 0x02;
/** Secure-messaging templates: a protected (enciphered or MACed) data block or header. */
const PROTECTED_TAGS = [0x7d, 0x7f2f];

/** CBEFF patron format fields (ISO/IEC 7816-11 Table 10), as stored. */
export interface BiometricHeader {
  /** '80': ICAO header version, normally 01 01. */
  icaoHeaderVersion?: Uint8Array;
  /** '81': biometric type (2 = facial features, 8 = finger, 16 = iris). */
  biometricType?: number;
  /** '82': biometric subtype (e.g. which finger or eye). */
  biometricSubtype?: number;
  /** '83': creation date and time (7 bytes BCD-ish, as stored). */
  creationDate?: Uint8Array;
  /** '85': validity period (8 bytes, as stored). */
  validityPeriod?: Uint8Array;
  /** '86': creator of the biometric reference data (PID). */
  creator?: Uint8Array;
  /** '87': format owner (0x0101 = ISO/IEC JTC 1/SC 37). */
  formatOwner?: number;
  /** '88': format type (0x0008 = 19794-5 face, 0x002A = 39794-5 face). */
  formatType?: number;
}

export interface BiometricTemplate {
  header: BiometricHeader;
  /** The biometric data block node ('5F2E' or '7F2E'). */
  dataBlock: TlvNode;
}

function uint(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes.subarray(0, 6)) v = v * 256 + b;
  return v;
}

function readHeader(node: TlvNode | undefined): BiometricHeader {
  const header: BiometricHeader = {};
  for (const el of node?.children ?? []) {
    switch (el.tag) {
      case 0x80:
        header.icaoHeaderVersion = el.value;
        break;
      case 0x81:
        header.biometricType = uint(el.value);
        break;
      case 0x82:
        header.biometricSubtype = uint(el.value);
        break;
      case 0x83:
        header.creationDate = el.value;
        break;
      case 0x85:
        header.validityPeriod = el.value;
        break;
      case 0x86:
        header.creator = el.value;
        break;
      case 0x87:
        header.formatOwner = uint(el.value);
        break;
      case 0x88:
        header.formatType = uint(el.value);
        break;
      default:
        break; // vendor and future CBEFF fields: not needed to find the data
    }
  }
  return header;
}

/** The templates inside a data group's outer node, after checking the count against what is there. */
export function readBiometricTemplates(root: TlvNode, file: string): BiometricTemplate[] {
  const group = child(root, TAG_BIOMETRIC_GROUP);
  if (!group) {
    throw ldsError('EMRTD_DG2_MALFORMED', `${file}: no biometric information group template ('7F61')`, { details: { file } });
  }
  const countNode = child(group, TAG_COUNT);
  const templates = childrenWithTag(group, TAG_BIOMETRIC_TEMPLATE);
  if (countNode) {
    const declared = uint(countNode.value);
    if (countNode.value.length === 0 || declared !== templates.length) {
      throw ldsError('EMRTD_DG2_MALFORMED', `${file}: the group template announces ${declared} biometric template(s) but holds ${templates.length}`, {
        details: { file, declared, found: templates.length },
      });
    }
  }
  if (templates.length === 0) throw ldsError('EMRTD_DG2_MALFORMED', `${file}: the group template holds no biometric template ('7F60')`, { details: { file } });
  if (group.children?.some((c) => PROTECTED_TAGS.includes(c.tag))) {
    throw ldsError('EMRTD_DG2_UNSUPPORTED_FORMAT', `${file}: the biometric templates are protected by secure messaging ('7D')`, { details: { file } });
  }
  return templates.map((bit, i) => {
    if (bit.children?.some((c) => PROTECTED_TAGS.includes(c.tag))) {
      throw ldsError('EMRTD_DG2_UNSUPPORTED_FORMAT', `${file}: biometric template ${i + 1} is protected by secure messaging ('7D')`, { details: { file } });
    }
    const dataBlock = child(bit, TAG_BDB_PRIMITIVE) ?? child(bit, TAG_BDB_CONSTRUCTED);
    if (!dataBlock) {
      throw ldsError('EMRTD_DG2_MALFORMED', `${file}: biometric template ${i + 1} has no biometric data block ('5F2E' or '7F2E')`, { details: { file, index: i } });
    }
    return { header: readHeader(child(bit, TAG_BIOMETRIC_HEADER)), dataBlock };
  });
}

/** CBEFF header bytes for building: type, subtype, format owner, format type (as the BSI reference files carry). */
export function encodeBiometricHeader(fields: { biometricType: number; biometricSubtype?: number; formatOwner: number; formatType: number }): Uint8Array {
  return encodeTlv(TAG_BIOMETRIC_HEADER, [
    encodeTlv(0x81, Uint8Array.of(fields.biometricType)),
    encodeTlv(0x82, Uint8Array.of(fields.biometricSubtype ?? 0)),
    encodeTlv(0x87, Uint8Array.of(fields.formatOwner >> 8, fields.formatOwner & 0xff)),
    encodeTlv(0x88, Uint8Array.of(fields.formatType >> 8, fields.formatType & 0xff)),
  ]);
}

/** The '7F61' group around already encoded '7F60' templates. */
export function encodeBiometricGroup(templates: readonly Uint8Array[]): Uint8Array {
  if (templates.length > 255) throw ldsError('EMRTD_LDS_BUILD_INVALID', 'At most 255 biometric templates fit one group');
  return encodeTlv(TAG_BIOMETRIC_GROUP, concatBytes(encodeTlv(TAG_COUNT, Uint8Array.of(templates.length)), ...templates));
}
