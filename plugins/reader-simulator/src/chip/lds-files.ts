/**
 * Card-side encoders for the files a virtual chip holds: EF.COM, DG1, DG2 (one ISO/IEC 19794-5
 * JPEG face), DG11, DG12, DG14 (Chip and Active Authentication infos), DG15, EF.CardAccess, and the
 * LDS security object inside EF.SOD. Local until the SDK's LDS builders are exported from
 * @tessera/sdk/emrtd (buildEfCom, buildDg1 and buildDg2 exist there, unexported as of this writing).
 */
import { concatBytes, encodeTlv } from '@tessera/sdk/emrtd';
import { algorithm, integer, octets, oid, seq, setOf } from './der.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const OIDS = {
  ldsSecurityObject: '2.23.136.1.1.1',
  cscaMasterList: '2.23.136.1.1.2',
  activeAuthentication: '2.23.136.1.1.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** id-PK-ECDH */
  pkEcdh: '0.4.0.127.0.7.2.2.1.2',
  /** id-CA-ECDH-3DES-CBC-CBC */
  caEcdh3Des: '0.4.0.127.0.7.2.2.3.2.1',
  /** id-CA-ECDH-AES-CBC-CMAC-128 */
  caEcdhAes128: '0.4.0.127.0.7.2.2.3.2.2',
  /** id-PACE-ECDH-GM-AES-CBC-CMAC-128 */
  paceEcdhGmAes128: '0.4.0.127.0.7.2.2.4.2.2',
} as const;

/** Data-group number → LDS template tag. */
export const DG_TAGS: Readonly<Record<number, number>> = { 1: 0x61, 2: 0x75, 11: 0x6b, 12: 0x6c, 14: 0x6e, 15: 0x6f };
/** Data-group number → file identifier (011n). */
export const dgFileId = (n: number): number => 0x0100 + n;
export const FID = { cardAccess: 0x011c, com: 0x011e, sod: 0x011d, mf: 0x3f00 } as const;

export function buildEfCom(dataGroups: readonly number[]): Uint8Array {
  return encodeTlv(0x60, [encodeTlv(0x5f01, ascii('0107')), encodeTlv(0x5f36, ascii('040000')), encodeTlv(0x5c, Uint8Array.from(dataGroups.map((n) => DG_TAGS[n])))]);
}

export function buildDg1(lines: readonly string[]): Uint8Array {
  return encodeTlv(0x61, [encodeTlv(0x5f1f, ascii(lines.join('')))]);
}

const u16 = (v: number) => [v >> 8, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** DG2 with one ISO/IEC 19794-5:2005 facial record holding a JPEG. */
export function buildDg2(face: { jpeg: Uint8Array; width: number; height: number; gender: 'M' | 'F' | 'X' }): Uint8Array {
  const gender = face.gender === 'M' ? 1 : face.gender === 'F' ? 2 : 3;
  // Facial information (20 bytes): block length, no feature points, gender, then eye and hair colour,
  // feature mask (3), expression (2), pose angles (3) and their uncertainty (3), all unspecified.
  const facial = [...u32(20 + 12 + face.jpeg.length), 0, 0, gender, ...new Array<number>(13).fill(0)];
  // Full frontal, JPEG, size, 24-bit RGB, digital still camera, unspecified device and quality.
  const info = [1, 0, ...u16(face.width), ...u16(face.height), 1, 2, 0, 0, 0, 0];
  const recordLength = 14 + facial.length + info.length + face.jpeg.length;
  const bdb = concatBytes(Uint8Array.from([0x46, 0x41, 0x43, 0, 0x30, 0x31, 0x30, 0, ...u32(recordLength), 0, 1, ...facial, ...info]), face.jpeg);
  // CBEFF header: ICAO header version 1.1, facial features, format owner ISO/IEC JTC 1 SC 37 ('0101'), format type '0008'.
  const header = encodeTlv(0xa1, [encodeTlv(0x80, Uint8Array.of(1, 1)), encodeTlv(0x81, Uint8Array.of(2)), encodeTlv(0x87, Uint8Array.of(1, 1)), encodeTlv(0x88, Uint8Array.of(0, 8))]);
  return encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x7f60, [header, encodeTlv(0x5f2e, bdb)])])]);
}

/** YYYY-MM-DD → YYYYMMDD. */
const compactDate = (iso: string): string => iso.replaceAll('-', '');

/** ICAO name form: SURNAME<<GIVEN<NAMES (upper case, the print's letters kept). */
export function icaoName(surname: string, givenNames: string): string {
  const part = (s: string) => s.trim().toUpperCase().split(/\s+/).join('<');
  return `${part(surname)}<<${part(givenNames)}`;
}

export function buildDg11(input: { fullName: string; placeOfBirth?: string; birthDate: string }): Uint8Array {
  const fields: Array<[number, Uint8Array]> = [[0x5f0e, utf8(input.fullName)], [0x5f2b, ascii(compactDate(input.birthDate))]];
  if (input.placeOfBirth) fields.push([0x5f11, utf8(input.placeOfBirth.toUpperCase())]);
  return taggedList(0x6b, fields);
}

export function buildDg12(input: { authority?: string; issueDate: string }): Uint8Array {
  const fields: Array<[number, Uint8Array]> = [];
  if (input.authority) fields.push([0x5f19, utf8(input.authority)]);
  fields.push([0x5f26, ascii(compactDate(input.issueDate))]);
  return taggedList(0x6c, fields);
}

/** DG11/DG12 layout: a '5C' tag list naming the fields, then the fields in that order. */
function taggedList(template: number, fields: Array<[number, Uint8Array]>): Uint8Array {
  const list = concatBytes(...fields.map(([tag]) => Uint8Array.of(tag >> 8, tag & 0xff)));
  return encodeTlv(template, [encodeTlv(0x5c, list), ...fields.map(([tag, value]) => encodeTlv(tag, value))]);
}

/** DG14: ChipAuthenticationInfo + ChipAuthenticationPublicKeyInfo (P-256) + ActiveAuthenticationInfo (ECDSA-SHA256). */
export function buildDg14(input: { caOid: string; caPublicKeySpki: Uint8Array; activeAuthentication: boolean }): Uint8Array {
  const infos = [seq(oid(input.caOid), integer(1)), seq(oid(OIDS.pkEcdh), input.caPublicKeySpki)];
  if (input.activeAuthentication) infos.push(seq(oid(OIDS.activeAuthentication), integer(1), oid(OIDS.ecdsaWithSha256)));
  return encodeTlv(0x6e, setOf(infos));
}

export function buildDg15(spki: Uint8Array): Uint8Array {
  return encodeTlv(0x6f, spki);
}

/** EF.CardAccess with a PACEInfo (ECDH generic mapping, AES-128) per standardized parameter id (12 = P-256, 13 = brainpoolP256r1). */
export function buildCardAccess(parameterIds: readonly number[]): Uint8Array {
  return setOf(parameterIds.map((id) => seq(oid(OIDS.paceEcdhGmAes128), integer(2), integer(id))));
}

/** LDSSecurityObject v0 with SHA-256 data-group hashes. */
export function encodeLdsSecurityObject(hashes: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const entries = [...hashes.entries()].sort(([a], [b]) => a - b).map(([dg, h]) => seq(integer(dg), octets(h)));
  return seq(integer(0), algorithm(OIDS.sha256), seq(...entries));
}

