/**
 * A minimal terminal over the SDK's terminal pieces (ApduChannel, performBac,
 * TerminalSecureMessaging), used by the chip tests to prove the virtual chip behaves like a card.
 * Not the inspection flow: that is the eMRTD plugin's job.
 */
import { createECDH, createPublicKey, verify } from 'node:crypto';
import {
  ApduChannel,
  decodeTlvHeader,
  decodeTlvObject,
  deriveKey,
  encodeOidValue,
  encodeTlv,
  performBac,
  secureRandom,
  TerminalSecureMessaging,
  type ResponseApdu,
} from '@tessera/sdk/emrtd';
import type { SpecimenDocument } from '../specimens/specimen-catalogue.js';
import type { DocumentIssuer } from './document-issuer.js';
import type { ChipProfile } from './chip-profiles.js';
import { bacInputFromMrz, CHIP_PROTOCOLS, type VirtualChip } from './virtual-chip.js';

export interface TerminalSession {
  chip: VirtualChip;
  channel: ApduChannel;
}

/** Opens the chip, selects the eMRTD application and runs BAC with the MRZ of `doc`. */
export async function openBacSession(issuer: DocumentIssuer, doc: SpecimenDocument, profile: ChipProfile, options: { timeoutMs?: number } = {}): Promise<TerminalSession> {
  const chip = await issuer.openChip(doc, profile);
  if (!chip) throw new Error(`${doc.id} has no chip under ${profile}`);
  const channel = new ApduChannel(chip, { timeoutMs: options.timeoutMs ?? 2000 });
  await channel.selectEmrtdApplication();
  await performBac(channel, bacInputFromMrz(doc.mrz), secureRandom);
  return { chip, channel };
}

/** SELECT + READ BINARY of a whole EF in chunks of `chunk` bytes (the length comes from its TLV header). */
export async function readWholeFile(channel: ApduChannel, fid: number, chunk = 0xe0): Promise<Uint8Array> {
  await channel.selectFile(fid);
  const head = await channel.readBinary(0, Math.min(chunk, 8));
  const header = decodeTlvHeader(head);
  const total = header.headerLength + (header.length ?? 0);
  const out = new Uint8Array(total);
  out.set(head.subarray(0, Math.min(head.length, total)));
  let offset = Math.min(head.length, total);
  while (offset < total) {
    const part = await channel.readBinary(offset, Math.min(chunk, total - offset));
    if (part.length === 0) throw new Error(`file ${fid.toString(16)} ends at ${offset} of ${total}`);
    out.set(part.subarray(0, total - offset), offset);
    offset += part.length;
  }
  return out;
}

/** Active Authentication: true when the chip's signature over a fresh challenge verifies with the key of DG15. */
export async function activeAuthentication(channel: ApduChannel, dg15: Uint8Array): Promise<{ response: ResponseApdu; verified: boolean }> {
  const challenge = secureRandom(8);
  const response = await channel.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 });
  if (!response.ok) return { response, verified: false };
  const key = createPublicKey({ key: Buffer.from(decodeTlvObject(dg15).value), format: 'der', type: 'spki' });
  const verified = verify('sha256', challenge, { key, dsaEncoding: 'ieee-p1363' }, response.data);
  return { response, verified };
}

/** The CA protocol OID and chip public key (uncompressed point) from DG14. */
export function chipAuthenticationInfo(dg14: Uint8Array): { oid: string; publicPoint: Uint8Array } {
  const set = decodeTlvObject(dg14).children![0];
  let oid = '';
  let publicPoint: Uint8Array | undefined;
  const known = new Map([CHIP_PROTOCOLS.caEcdh3Des, CHIP_PROTOCOLS.caEcdhAes128].map((oid) => [oid, encodeOidValue(oid)]));
  for (const info of set.children ?? []) {
    const [id, second] = info.children ?? [];
    for (const [name, value] of known) if (Buffer.from(id.value).equals(value)) oid = name;
    if (Buffer.from(id.value).equals(encodeOidValue(CHIP_PROTOCOLS.pkEcdh))) {
      const jwk = createPublicKey({ key: Buffer.from(second.raw), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      publicPoint = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    }
  }
  if (!oid || !publicPoint) throw new Error('DG14 has no chip authentication info');
  return { oid, publicPoint: new Uint8Array(publicPoint) };
}

/** Chip Authentication: MSE:Set AT, GENERAL AUTHENTICATE with an ephemeral key, then the new session on the channel. */
export async function chipAuthentication(channel: ApduChannel, dg14: Uint8Array): Promise<{ algorithm: '3DES' | 'AES128' }> {
  const { oid, publicPoint } = chipAuthenticationInfo(dg14);
  const mse = await channel.send({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa4, data: encodeTlv(0x80, encodeOidValue(oid)) });
  if (!mse.ok) throw new Error(`MSE:Set AT answered ${mse.sw.toString(16)}`);
  const ecdh = createECDH('prime256v1');
  const ephemeral = new Uint8Array(ecdh.generateKeys());
  const ga = await channel.send({ cla: 0, ins: 0x86, p1: 0, p2: 0, data: encodeTlv(0x7c, [encodeTlv(0x80, ephemeral)]), ne: 256 });
  if (!ga.ok) throw new Error(`GENERAL AUTHENTICATE answered ${ga.sw.toString(16)}`);
  const shared = new Uint8Array(ecdh.computeSecret(publicPoint));
  const algorithm = oid === CHIP_PROTOCOLS.caEcdh3Des ? '3DES' : 'AES128';
  channel.secureMessaging = new TerminalSecureMessaging({ algorithm, ksEnc: deriveKey(shared, 1, algorithm), ksMac: deriveKey(shared, 2, algorithm) });
  return { algorithm };
}

/**
 * What the tests need from EF.SOD or a master list without the SDK's parsers: the signed content,
 * the certificates carried, and whether the SignerInfo's signature verifies with the first one.
 */
export function inspectSignedData(contentInfo: Uint8Array): { content: Uint8Array; certificates: Uint8Array[]; signatureValid: boolean } {
  const signedData = decodeTlvObject(contentInfo).children![1].children![0].children!;
  const encap = signedData[2].children!;
  const content = encap[1].children![0].value;
  const certNode = signedData.find((n) => n.tag === 0xa0);
  const certificates = (certNode?.children ?? []).map((c) => c.raw);
  const signerInfo = signedData[signedData.length - 1].children![0].children!;
  const attrs = signerInfo[3].raw.slice();
  attrs[0] = 0x31;
  const signature = signerInfo[5].value;
  const tbs = decodeTlvObject(certificates[0]).children![0].children!;
  const key = createPublicKey({ key: Buffer.from(tbs[6].raw), format: 'der', type: 'spki' });
  return { content, certificates, signatureValid: verify('sha256', attrs, key, signature) };
}

/** EF.SOD → its data-group hashes and signature check. */
export function inspectSod(sod: Uint8Array): { hashes: Map<number, Uint8Array>; certificates: Uint8Array[]; signatureValid: boolean } {
  const signed = inspectSignedData(decodeTlvObject(sod).children![0].raw);
  const lso = decodeTlvObject(signed.content).children!;
  const hashes = new Map<number, Uint8Array>();
  for (const entry of lso[2].children!) hashes.set(entry.children![0].value[0], entry.children![1].value);
  return { hashes, certificates: signed.certificates, signatureValid: signed.signatureValid };
}
