/**
 * CMS SignedData (RFC 5652) as ICAO uses it for EF.SOD, CSCA master lists and EF.CardSecurity:
 * read faithfully, never verified here. Everything Passive Authentication needs is returned as
 * the exact bytes that were sent — the encapsulated content, each certificate, and the signed
 * attributes re-tagged as the SET OF the signature covers — together with decoded algorithm
 * identifiers (RSASSA-PSS parameters included). Read with the SDK's own DER reader only: the
 * pkijs object this once carried cost ~10 ms per EF.SOD (every chip read, twice), and nothing
 * outside tests read it; the tests still compare this reading with pkijs'.
 *
 * BER is accepted wherever RFC 5652 allows it (indefinite lengths, segmented OCTET STRINGs).
 * Structural rules that matter for security are enforced: exactly one content-type and one
 * message-digest attribute, each with one value.
 */

import type { TlvNode } from '../codec/ber-tlv.js';
import { toHex } from '../codec/bytes.js';
import { OID, describeDigestAlgorithm, describeSignatureAlgorithm, type DigestAlgorithmInfo, type SignatureAlgorithmInfo } from './algorithms.js';
import {
  ASN1,
  childrenOf,
  contextTag,
  decodeDer,
  expectTag,
  fail,
  formatName,
  primitiveValue,
  readAlgorithmIdentifier,
  readIntegerBytes,
  readOctets,
  readOid,
  readSmallInt,
  readTime,
  type DerContext,
} from './der-reader.js';

export interface CmsAttribute {
  type: string;
  /** Each value's DER. */
  values: Uint8Array[];
}

export interface SignedAttributes {
  /**
   * The signed attributes with their [0] tag replaced by SET ('31'): the exact bytes whose hash
   * the signature covers (RFC 5652 §5.4).
   */
  der: Uint8Array;
  /** Always present: RFC 5652 requires content-type and message-digest whenever there are signed attributes. */
  contentType: string;
  messageDigest: Uint8Array;
  signingTime?: Date;
  attributes: CmsAttribute[];
}

export type SignerIdentifier =
  | { type: 'issuerAndSerialNumber'; issuer: string; issuerDer: Uint8Array; serialNumber: Uint8Array; serialNumberHex: string }
  | { type: 'subjectKeyIdentifier'; keyIdentifier: Uint8Array };

export interface SignerInfoSummary {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: DigestAlgorithmInfo;
  signedAttributes?: SignedAttributes;
  signatureAlgorithm: SignatureAlgorithmInfo;
  signature: Uint8Array;
  unsignedAttributes?: CmsAttribute[];
  /** The SignerInfo's DER, as sent. */
  raw: Uint8Array;
}

export interface CmsSignedData {
  /** The ContentInfo bytes as found (BER or DER). */
  contentInfoDer: Uint8Array;
  version: number;
  digestAlgorithms: DigestAlgorithmInfo[];
  eContentType: string;
  /** The encapsulated content octets (segments joined); absent for detached signatures. */
  eContent?: Uint8Array;
  /** Each certificate's DER from the certificates field, as sent. */
  certificates: Uint8Array[];
  /** Each CRL's DER from the crls field, as sent. */
  crls: Uint8Array[];
  signerInfos: SignerInfoSummary[];
}

/** EF.SOD's application template ('77', ICAO Doc 9303 part 10), the one wrapper a ContentInfo is found in. */
const SOD_TEMPLATE_TAG = 0x77;

function readAttributes(node: TlvNode, ctx: DerContext, what: string): CmsAttribute[] {
  return childrenOf(node, ctx, what).map((attr, i) => {
    const [type, values] = childrenOf(expectTag(attr, ASN1.SEQUENCE, ctx, `${what} ${i + 1}`), ctx, `${what} ${i + 1}`, { min: 2, max: 2 });
    return {
      type: readOid(type, ctx, `${what} ${i + 1} type`),
      values: childrenOf(expectTag(values, ASN1.SET, ctx, `${what} ${i + 1} values`), ctx, `${what} ${i + 1} values`).map((v) => v.raw),
    };
  });
}

/** The one value of an attribute that must occur at most once with exactly one value. */
function singleValue(attrs: CmsAttribute[], type: string, name: string, ctx: DerContext, required: boolean): TlvNode | undefined {
  const found = attrs.filter((a) => a.type === type);
  if (found.length === 0) {
    if (required) fail(ctx, `the signed attributes lack ${name}`);
    return undefined;
  }
  // Two message digests (or one with two values) would let a verifier and a signer disagree on what was signed.
  if (found.length > 1 || found[0].values.length !== 1) fail(ctx, `${name} must occur once with one value in the signed attributes`);
  return decodeDer(found[0].values[0], ctx, { what: `${name} value` });
}

function readSignedAttributes(node: TlvNode, ctx: DerContext): SignedAttributes {
  const attributes = readAttributes(node, ctx, 'signed attribute');
  const der = node.raw.slice();
  der[0] = ASN1.SET;
  const contentType = readOid(singleValue(attributes, OID.contentType, 'content-type', ctx, true), ctx, 'content-type attribute');
  const messageDigest = readOctets(singleValue(attributes, OID.messageDigest, 'message-digest', ctx, true), ctx, 'message-digest attribute');
  const result: SignedAttributes = { der, contentType, messageDigest, attributes };
  const st = singleValue(attributes, OID.signingTime, 'signing-time', ctx, false);
  if (st) result.signingTime = readTime(st, ctx, 'signing-time attribute');
  return result;
}

function readSignerIdentifier(node: TlvNode | undefined, ctx: DerContext, what: string): SignerIdentifier {
  if (node?.tag === ASN1.SEQUENCE) {
    const [issuer, serial] = childrenOf(node, ctx, `${what} issuerAndSerialNumber`, { min: 2, max: 2 });
    const serialNumber = readIntegerBytes(serial, ctx, `${what} serial number`);
    return { type: 'issuerAndSerialNumber', issuer: formatName(issuer, ctx, `${what} issuer`), issuerDer: issuer.raw, serialNumber, serialNumberHex: toHex(serialNumber) };
  }
  if (node?.tag === contextTag(0, false)) return { type: 'subjectKeyIdentifier', keyIdentifier: primitiveValue(node, ctx, `${what} subjectKeyIdentifier`) };
  return fail(ctx, `${what}: the signer identifier is neither issuerAndSerialNumber nor subjectKeyIdentifier`);
}

function readSignerInfo(node: TlvNode, index: number, ctx: DerContext): SignerInfoSummary {
  const what = `SignerInfo ${index + 1}`;
  const kids = childrenOf(expectTag(node, ASN1.SEQUENCE, ctx, what), ctx, what, { min: 5, max: 7 });
  let i = 0;
  const version = readSmallInt(kids[i++], ctx, `${what} version`);
  const sid = readSignerIdentifier(kids[i++], ctx, what);
  const digestAlgorithm = describeDigestAlgorithm(readAlgorithmIdentifier(kids[i++], ctx, `${what} digestAlgorithm`));
  let signedAttributes: SignedAttributes | undefined;
  if (kids[i]?.tag === contextTag(0)) signedAttributes = readSignedAttributes(kids[i++], ctx);
  const signatureAlgorithm = describeSignatureAlgorithm(readAlgorithmIdentifier(kids[i++], ctx, `${what} signatureAlgorithm`), ctx);
  const signature = readOctets(kids[i++], ctx, `${what} signature`);
  let unsignedAttributes: CmsAttribute[] | undefined;
  if (kids[i]?.tag === contextTag(1)) unsignedAttributes = readAttributes(kids[i++], ctx, 'unsigned attribute');
  if (i !== kids.length) fail(ctx, `${what}: unexpected element after the signature`);
  return {
    version,
    sid,
    digestAlgorithm,
    ...(signedAttributes ? { signedAttributes } : {}),
    signatureAlgorithm,
    signature,
    ...(unsignedAttributes ? { unsignedAttributes } : {}),
    raw: node.raw,
  };
}

/** Reads a ContentInfo holding SignedData from its decoded node. */
export function readSignedDataContentInfo(root: TlvNode, ctx: DerContext): CmsSignedData {
  const [contentType, explicit] = childrenOf(expectTag(root, ASN1.SEQUENCE, ctx, 'ContentInfo'), ctx, 'ContentInfo', { min: 2, max: 2 });
  const type = readOid(contentType, ctx, 'ContentInfo contentType');
  if (type !== OID.signedData) fail(ctx, `the ContentInfo holds ${type}, not SignedData (${OID.signedData})`);
  const [sd] = childrenOf(expectTag(explicit, contextTag(0), ctx, 'ContentInfo content'), ctx, 'ContentInfo content', { min: 1, max: 1 });
  const kids = childrenOf(expectTag(sd, ASN1.SEQUENCE, ctx, 'SignedData'), ctx, 'SignedData', { min: 4, max: 6 });
  let i = 0;
  const version = readSmallInt(kids[i++], ctx, 'SignedData version');
  const digestAlgorithms = childrenOf(expectTag(kids[i++], ASN1.SET, ctx, 'SignedData digestAlgorithms'), ctx, 'digestAlgorithms').map((a, n) =>
    describeDigestAlgorithm(readAlgorithmIdentifier(a, ctx, `digestAlgorithm ${n + 1}`)),
  );
  const encap = childrenOf(expectTag(kids[i++], ASN1.SEQUENCE, ctx, 'encapContentInfo'), ctx, 'encapContentInfo', { min: 1, max: 2 });
  const eContentType = readOid(encap[0], ctx, 'eContentType');
  let eContent: Uint8Array | undefined;
  if (encap[1]) {
    const [octets] = childrenOf(expectTag(encap[1], contextTag(0), ctx, 'eContent'), ctx, 'eContent', { min: 1, max: 1 });
    eContent = readOctets(octets, ctx, 'eContent');
  }
  let certificates: Uint8Array[] = [];
  let crls: Uint8Array[] = [];
  if (kids[i]?.tag === contextTag(0)) certificates = childrenOf(kids[i++], ctx, 'certificates').filter((c) => c.tag === ASN1.SEQUENCE).map((c) => c.raw);
  if (kids[i]?.tag === contextTag(1)) crls = childrenOf(kids[i++], ctx, 'crls').map((c) => c.raw);
  const signerSet = expectTag(kids[i++], ASN1.SET, ctx, 'SignedData signerInfos');
  if (i !== kids.length) fail(ctx, 'unexpected element after signerInfos');
  const signerInfos = childrenOf(signerSet, ctx, 'signerInfos').map((s, n) => readSignerInfo(s, n, ctx));
  return {
    contentInfoDer: root.raw,
    version,
    digestAlgorithms,
    eContentType,
    ...(eContent ? { eContent } : {}),
    certificates,
    crls,
    signerInfos,
  };
}

/**
 * Any CMS ContentInfo holding SignedData, from its bytes, read with `ctx`'s error code: for a
 * verifier that takes EF.SOD, master lists and EF.CardSecurity alike (the LDS parsers above each
 * check their own content type). An EF.SOD application template ('77') around it is taken off,
 * and bytes after it (file padding) are ignored.
 */
export function parseCmsSignedData(bytes: Uint8Array, ctx: DerContext): CmsSignedData {
  let root = decodeDer(bytes, ctx, { allowTrailing: true, what: 'ContentInfo' });
  if (root.tag === SOD_TEMPLATE_TAG) [root] = childrenOf(root, ctx, "the '77' template", { min: 1, max: 1 });
  return readSignedDataContentInfo(root, ctx);
}
