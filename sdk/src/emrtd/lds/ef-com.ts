/**
 * EF.COM (file 011E, tag '60'): the LDS and Unicode versions and the list of data groups the chip
 * says it holds. Readers use the tag list to decide what to read; it is not signed, so EF.SOD's
 * hash list is the authority on what belongs to the document.
 */

import { encodeTlv } from '../codec/ber-tlv.js';
import { EF_COM, dataGroupFromTag, dataGroupTag } from './file-ids.js';
import { ldsError } from './lds-errors.js';
import { isDigits, openTemplate, requireChild } from './template.js';

const TAG_LDS_VERSION = 0x5f01;
const TAG_UNICODE_VERSION = 0x5f36;
const TAG_LIST = 0x5c;

export interface EfCom {
  /** '1.7' from '0107'. */
  ldsVersion: string;
  /** '4.0.0' from '040000'. */
  unicodeVersion: string;
  /** The digits as stored, e.g. '0107' and '040000'. */
  ldsVersionRaw: string;
  unicodeVersionRaw: string;
  /** Every tag in the tag list, in stored order. */
  tags: number[];
  /** Data-group numbers for the tags that name data groups, in stored order. */
  dataGroups: number[];
  /** Tags in the list that name no data group. */
  unknownTags: number[];
}

function formatVersion(raw: string): string {
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i += 2) parts.push(String(Number(raw.slice(i, i + 2))));
  return parts.join('.');
}

export function parseEfCom(bytes: Uint8Array): EfCom {
  const file = EF_COM.name;
  const root = openTemplate(bytes, EF_COM.tag!, file);
  const lds = requireChild(root, TAG_LDS_VERSION, file, 'LDS version');
  const unicode = requireChild(root, TAG_UNICODE_VERSION, file, 'Unicode version');
  const list = requireChild(root, TAG_LIST, file, 'tag list');
  if (lds.value.length !== 4 || !isDigits(lds.value)) {
    throw ldsError('EMRTD_LDS_MALFORMED', `${file}: the LDS version must be 4 digits (aabb), got ${lds.value.length} byte(s)`, { details: { file } });
  }
  if (unicode.value.length !== 6 || !isDigits(unicode.value)) {
    throw ldsError('EMRTD_LDS_MALFORMED', `${file}: the Unicode version must be 6 digits (aabbcc), got ${unicode.value.length} byte(s)`, { details: { file } });
  }
  if (list.constructed) throw ldsError('EMRTD_LDS_MALFORMED', `${file}: the tag list must be primitive`, { details: { file } });
  const ldsVersionRaw = String.fromCharCode(...lds.value);
  const unicodeVersionRaw = String.fromCharCode(...unicode.value);
  const tags = [...list.value];
  const dataGroups: number[] = [];
  const unknownTags: number[] = [];
  for (const tag of tags) {
    const dg = dataGroupFromTag(tag);
    if (dg === undefined) unknownTags.push(tag);
    else dataGroups.push(dg);
  }
  return { ldsVersion: formatVersion(ldsVersionRaw), unicodeVersion: formatVersion(unicodeVersionRaw), ldsVersionRaw, unicodeVersionRaw, tags, dataGroups, unknownTags };
}

export interface BuildEfComInput {
  /** Data-group numbers present, e.g. [1, 2, 14, 15]. */
  dataGroups: readonly number[];
  /** '1.7' or '0107'; default '1.7'. */
  ldsVersion?: string;
  /** '4.0.0' or '040000'; default '4.0.0'. */
  unicodeVersion?: string;
}

function versionDigits(version: string, parts: number, what: string): string {
  if (new RegExp(`^\\d{${parts * 2}}$`).test(version)) return version;
  const pieces = version.split('.');
  if (pieces.length === parts && pieces.every((p) => /^\d{1,2}$/.test(p))) return pieces.map((p) => p.padStart(2, '0')).join('');
  throw ldsError('EMRTD_LDS_BUILD_INVALID', `EF.COM: ${what} ${JSON.stringify(version)} is not in the form ${parts === 2 ? "'1.7' or '0107'" : "'4.0.0' or '040000'"}`);
}

export function buildEfCom(input: BuildEfComInput): Uint8Array {
  const ascii = (s: string) => new TextEncoder().encode(s);
  const tags = input.dataGroups.map((n) => {
    const tag = dataGroupTag(n);
    if (tag === undefined) throw ldsError('EMRTD_LDS_BUILD_INVALID', `EF.COM: ${String(n)} is not a data-group number (1..16)`);
    return tag;
  });
  if (new Set(tags).size !== tags.length) throw ldsError('EMRTD_LDS_BUILD_INVALID', 'EF.COM: a data group is listed twice');
  return encodeTlv(EF_COM.tag!, [
    encodeTlv(TAG_LDS_VERSION, ascii(versionDigits(input.ldsVersion ?? '1.7', 2, 'LDS version'))),
    encodeTlv(TAG_UNICODE_VERSION, ascii(versionDigits(input.unicodeVersion ?? '4.0.0', 3, 'Unicode version'))),
    encodeTlv(TAG_LIST, Uint8Array.from(tags)),
  ]);
}
