/**
 * Opening an LDS file: check the outer tag before decoding anything else (so DG2 bytes handed to
 * parseDg1 fail with EMRTD_LDS_WRONG_TAG, not with whatever the first inner object trips over),
 * then decode the TLV tree with the file's name attached to any error.
 *
 * Bytes after the outer template are ignored: some readers return files rounded up to a block and
 * padded. They do not go unnoticed — EF.SOD hashes the file as read, so Passive Authentication
 * catches any difference.
 */

import { decodeTlvHeader, decodeTlvObject, tagToHex, type TlvNode } from '../codec/ber-tlv.js';
import { dataGroupFromTag, EF_COM, EF_SOD } from './file-ids.js';
import { ensureBytes, inFile, ldsError } from './lds-errors.js';

function describeTag(tag: number): string {
  const dg = dataGroupFromTag(tag);
  if (dg) return ` (the tag of DG${dg})`;
  if (tag === EF_COM.tag) return ' (the tag of EF.COM)';
  if (tag === EF_SOD.tag) return ' (the tag of EF.SOD)';
  if (tag === 0x30 || tag === 0x31) return ' (bare ASN.1, as in EF.CardAccess)';
  return '';
}

export function openTemplate(bytes: unknown, expectedTag: number, file: string): TlvNode {
  ensureBytes(bytes, file);
  const header = inFile(file, 'EMRTD_LDS_MALFORMED', () => decodeTlvHeader(bytes));
  if (header.tag !== expectedTag) {
    throw ldsError('EMRTD_LDS_WRONG_TAG', `${file}: expected outer tag '${tagToHex(expectedTag)}', found '${tagToHex(header.tag)}'${describeTag(header.tag)}`, {
      details: { file, expected: expectedTag, found: header.tag },
    });
  }
  const node = inFile(file, 'EMRTD_LDS_MALFORMED', () => decodeTlvObject(bytes, 0, { maxDepth: 64 }));
  if (!node.constructed) throw ldsError('EMRTD_LDS_MALFORMED', `${file}: the outer template is primitive`, { details: { file } });
  return node;
}

/** The first direct child with `tag`. */
export function child(node: TlvNode, tag: number): TlvNode | undefined {
  return node.children?.find((c) => c.tag === tag);
}

/** Every direct child with `tag`. */
export function childrenWithTag(node: TlvNode, tag: number): TlvNode[] {
  return (node.children ?? []).filter((c) => c.tag === tag);
}

export function requireChild(node: TlvNode, tag: number, file: string, what: string): TlvNode {
  const found = child(node, tag);
  if (!found) throw ldsError('EMRTD_LDS_MISSING_FIELD', `${file}: ${what} (tag '${tagToHex(tag)}') is missing`, { details: { file, tag } });
  return found;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Text of an LDS data element. LDS 1.7 says UTF-8; older chips wrote Latin-1, which is never
 * valid UTF-8 once it holds a non-ASCII letter — so a failed UTF-8 decode falls back to Latin-1
 * instead of rejecting a genuine document.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/** ASCII digits only, e.g. '0107'. */
export function isDigits(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) if (b < 0x30 || b > 0x39) return false;
  return true;
}
