/**
 * The optional personal and document detail data groups: DG11 (additional personal details),
 * DG12 (additional document details) and DG7 (displayed signature or usual mark), ICAO Doc 9303
 * part 10 §4.7. All are flat lists of data elements after a tag list ('5C'), plus a constructed
 * 'A0' for repeated names. Every element is optional, so absent ones are simply left out; text is
 * returned as stored (with its '<' separators) because how to split it differs between issuers.
 */

import { encodeTag, encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes } from '../codec/bytes.js';
import { detectImageContainer, type ImageContainer } from './image-format.js';
import { dataGroupTag } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { childrenWithTag, decodeText, isDigits, openTemplate } from './template.js';

export interface OtherDataObject {
  tag: number;
  value: Uint8Array;
}

type FieldKind = 'text' | 'date' | 'datetime' | 'binary';

interface FieldSpec {
  key: string;
  kind: FieldKind;
}

const DG11_FIELDS: Record<number, FieldSpec> = {
  0x5f0e: { key: 'fullName', kind: 'text' },
  0x5f10: { key: 'personalNumber', kind: 'text' },
  0x5f2b: { key: 'fullDateOfBirth', kind: 'date' },
  0x5f11: { key: 'placeOfBirth', kind: 'text' },
  0x5f42: { key: 'permanentAddress', kind: 'text' },
  0x5f12: { key: 'telephone', kind: 'text' },
  0x5f13: { key: 'profession', kind: 'text' },
  0x5f14: { key: 'title', kind: 'text' },
  0x5f15: { key: 'personalSummary', kind: 'text' },
  0x5f16: { key: 'proofOfCitizenship', kind: 'binary' },
  0x5f17: { key: 'otherValidTdNumbers', kind: 'text' },
  0x5f18: { key: 'custodyInformation', kind: 'text' },
};

const DG12_FIELDS: Record<number, FieldSpec> = {
  0x5f19: { key: 'issuingAuthority', kind: 'text' },
  0x5f26: { key: 'dateOfIssue', kind: 'date' },
  0x5f1b: { key: 'endorsementsAndObservations', kind: 'text' },
  0x5f1c: { key: 'taxOrExitRequirements', kind: 'text' },
  0x5f1d: { key: 'imageOfFront', kind: 'binary' },
  0x5f1e: { key: 'imageOfRear', kind: 'binary' },
  0x5f55: { key: 'personalizationDateTime', kind: 'datetime' },
  0x5f56: { key: 'personalizationSystemSerialNumber', kind: 'text' },
};

const TAG_LIST = 0x5c;
const TAG_NAMES_TEMPLATE = 0xa0;
const TAG_COUNT = 0x02;

/**
 * Dates are 'YYYYMMDD' in ASCII (and 'YYYYMMDDhhmmss' for the personalisation time); chips made
 * to LDS 1.6 and earlier wrote them as packed BCD, which is unpacked to the same digits.
 */
function decodeDigits(value: Uint8Array, digits: number, file: string, key: string): string {
  if (value.length === digits && isDigits(value)) return String.fromCharCode(...value);
  // Four ASCII digits ('1974') also unpack as BCD (3139 3734); ASCII text is never read as BCD.
  if (value.length * 2 === digits && !isDigits(value)) {
    let out = '';
    for (const b of value) {
      const hi = b >> 4;
      const lo = b & 0x0f;
      if (hi > 9 || lo > 9) break;
      out += `${hi}${lo}`;
    }
    if (out.length === digits) return out;
  }
  throw ldsError('EMRTD_LDS_MALFORMED', `${file}: ${key} is not ${digits} digits (${value.length} byte(s))`, { details: { file, key } });
}

interface TextGroupResult {
  tagList?: number[];
  fields: Record<string, string | Uint8Array>;
  names: string[];
  otherDataObjects: OtherDataObject[];
}

function readTagList(node: TlvNode): number[] {
  // Tags in the list are 1 or 2 bytes ('5F0E'); a first byte with low bits 11111 announces a second.
  const tags: number[] = [];
  const v = node.value;
  for (let i = 0; i < v.length; i++) {
    if ((v[i] & 0x1f) === 0x1f && i + 1 < v.length) {
      tags.push((v[i] << 8) | v[i + 1]);
      i++;
    } else {
      tags.push(v[i]);
    }
  }
  return tags;
}

function readTextGroup(root: TlvNode, file: string, specs: Record<number, FieldSpec>, nameTag: number): TextGroupResult {
  const result: TextGroupResult = { fields: {}, names: [], otherDataObjects: [] };
  for (const el of root.children ?? []) {
    if (el.tag === TAG_LIST) {
      result.tagList = readTagList(el);
      continue;
    }
    if (el.tag === TAG_NAMES_TEMPLATE) {
      // 'A0' { '02' count, name × count }; the names are what matters, the count is advisory.
      for (const n of childrenWithTag(el, nameTag)) result.names.push(decodeText(n.value));
      continue;
    }
    if (el.tag === nameTag) {
      result.names.push(decodeText(el.value));
      continue;
    }
    if (el.tag === TAG_COUNT) continue;
    const spec = specs[el.tag];
    if (!spec || el.constructed) {
      result.otherDataObjects.push({ tag: el.tag, value: el.value });
      continue;
    }
    if (spec.key in result.fields) continue; // a repeated element: the first one stands
    switch (spec.kind) {
      case 'text':
        result.fields[spec.key] = decodeText(el.value);
        break;
      case 'date':
        result.fields[spec.key] = decodeDigits(el.value, 8, file, spec.key);
        break;
      case 'datetime':
        result.fields[spec.key] = decodeDigits(el.value, 14, file, spec.key);
        break;
      case 'binary':
        result.fields[spec.key] = el.value;
        break;
    }
  }
  return result;
}

export interface Dg11 {
  tagList?: number[];
  /** Primary and secondary identifiers separated by '<<', as printed in the VIZ (not truncated). */
  fullName?: string;
  otherNames: string[];
  personalNumber?: string;
  /** 'YYYYMMDD'. */
  fullDateOfBirth?: string;
  placeOfBirth?: string;
  permanentAddress?: string;
  telephone?: string;
  profession?: string;
  title?: string;
  personalSummary?: string;
  /** An image (JPEG or similar) of the proof of citizenship. */
  proofOfCitizenship?: Uint8Array;
  /** Separated by '<'. */
  otherValidTdNumbers?: string;
  custodyInformation?: string;
  /** Elements this version does not know, kept so nothing on the chip is silently lost. */
  otherDataObjects: OtherDataObject[];
}

export function parseDg11(bytes: Uint8Array): Dg11 {
  const file = 'DG11';
  const root = openTemplate(bytes, dataGroupTag(11)!, file);
  const r = readTextGroup(root, file, DG11_FIELDS, 0x5f0f);
  return { ...(r.tagList ? { tagList: r.tagList } : {}), ...r.fields, otherNames: r.names, otherDataObjects: r.otherDataObjects } as Dg11;
}

export interface Dg12 {
  tagList?: number[];
  issuingAuthority?: string;
  /** 'YYYYMMDD'. */
  dateOfIssue?: string;
  /** Names of other persons included in the document ('5F1A'). */
  otherPersons: string[];
  endorsementsAndObservations?: string;
  taxOrExitRequirements?: string;
  imageOfFront?: Uint8Array;
  imageOfRear?: Uint8Array;
  /** 'YYYYMMDDhhmmss'. */
  personalizationDateTime?: string;
  personalizationSystemSerialNumber?: string;
  otherDataObjects: OtherDataObject[];
}

export function parseDg12(bytes: Uint8Array): Dg12 {
  const file = 'DG12';
  const root = openTemplate(bytes, dataGroupTag(12)!, file);
  const r = readTextGroup(root, file, DG12_FIELDS, 0x5f1a);
  return { ...(r.tagList ? { tagList: r.tagList } : {}), ...r.fields, otherPersons: r.names, otherDataObjects: r.otherDataObjects } as Dg12;
}

export interface Dg7 {
  images: Array<{ data: Uint8Array; container: ImageContainer }>;
}

/** DG7: '02' count, then that many '5F43' displayed signature / usual mark images. */
export function parseDg7(bytes: Uint8Array): Dg7 {
  const file = 'DG7';
  const root = openTemplate(bytes, dataGroupTag(7)!, file);
  const images = childrenWithTag(root, 0x5f43).map((n) => ({ data: n.value, container: detectImageContainer(n.value) }));
  const count = childrenWithTag(root, TAG_COUNT)[0];
  if (count && (count.value.length !== 1 || count.value[0] !== images.length)) {
    throw ldsError('EMRTD_LDS_MALFORMED', `${file}: announces ${count.value[0]} image(s) but holds ${images.length}`, { details: { file } });
  }
  if (images.length === 0) throw ldsError('EMRTD_LDS_MISSING_FIELD', `${file}: no displayed signature or usual mark ('5F43')`, { details: { file } });
  return { images };
}

/** Field values for buildDg11/buildDg12: text, 'YYYYMMDD' dates, 'YYYYMMDDhhmmss' times, or bytes for images. */
export type TextGroupInput<T> = { [K in keyof T]?: T[K] extends string | undefined ? string : T[K] extends Uint8Array | undefined ? Uint8Array : never };

type Dg11Fields = Omit<Dg11, 'tagList' | 'otherNames' | 'otherDataObjects'>;
type Dg12Fields = Omit<Dg12, 'tagList' | 'otherPersons' | 'otherDataObjects'>;

/**
 * The card side of readTextGroup: a '5C' tag list naming the elements present, then the elements
 * in the order of ICAO Doc 9303 part 10's tables. Text is written as UTF-8.
 */
function buildTextGroup(template: number, file: string, specs: Record<number, FieldSpec>, input: Record<string, string | Uint8Array | undefined>): Uint8Array {
  const known = new Set(Object.values(specs).map((s) => s.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${file}: unknown field ${JSON.stringify(key)}`);
  }
  const elements: Array<[number, Uint8Array]> = [];
  for (const [tagText, spec] of Object.entries(specs)) {
    const value = input[spec.key];
    if (value === undefined) continue;
    const tag = Number(tagText);
    if (spec.kind === 'binary') {
      if (!(value instanceof Uint8Array)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${file}: ${spec.key} must be bytes`);
      elements.push([tag, value]);
      continue;
    }
    if (typeof value !== 'string') throw ldsError('EMRTD_LDS_BUILD_INVALID', `${file}: ${spec.key} must be a string`);
    const digits = spec.kind === 'date' ? 8 : spec.kind === 'datetime' ? 14 : 0;
    if (digits && !new RegExp(`^\\d{${digits}}$`).test(value)) throw ldsError('EMRTD_LDS_BUILD_INVALID', `${file}: ${spec.key} must be ${digits} digits, got ${JSON.stringify(value)}`);
    elements.push([tag, new TextEncoder().encode(value)]);
  }
  const tagList = concatBytes(...elements.map(([tag]) => encodeTag(tag)));
  return encodeTlv(template, [encodeTlv(TAG_LIST, tagList), ...elements.map(([tag, value]) => encodeTlv(tag, value))]);
}

/** DG11 (additional personal details) from the fields a chip should hold. */
export function buildDg11(fields: TextGroupInput<Dg11Fields>): Uint8Array {
  return buildTextGroup(dataGroupTag(11)!, 'DG11', DG11_FIELDS, fields as Record<string, string | Uint8Array | undefined>);
}

/** DG12 (additional document details) from the fields a chip should hold. */
export function buildDg12(fields: TextGroupInput<Dg12Fields>): Uint8Array {
  return buildTextGroup(dataGroupTag(12)!, 'DG12', DG12_FIELDS, fields as Record<string, string | Uint8Array | undefined>);
}
