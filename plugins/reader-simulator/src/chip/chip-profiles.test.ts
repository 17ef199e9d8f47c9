// Each hostile profile must show its symptom at the APDU or file level, and never hang or crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createPublicKey, verify } from 'node:crypto';
import * as emrtd from '@tessera/sdk/emrtd';
import { decodeTlvObject } from '@tessera/sdk/emrtd';
import { specimenCatalogue } from '../specimens/specimen-catalogue.js';
import { CHIP_PROFILES, SHORT_READ_LIMIT } from './chip-profiles.js';
import { DocumentIssuer } from './document-issuer.js';
import {
  ApduChannel,
  dataGroupFileId,
  EF_CARD_SECURITY,
  EF_COM,
  EF_SOD,
  parseCardAccess,
  parseCardSecurity,
  performPace,
  readCertificateInfo,
  secureRandom,
  securityInfosOfKind,
  verifyPaceCam,
} from '@tessera/sdk/emrtd';
import { bacInputFromMrz } from './virtual-chip.js';
import { activeAuthentication, inspectSignedData, inspectSod, openBacSession, readWholeFile } from './test-terminal.js';

const ref = new Date('2026-06-01T00:00:00Z');
const td3 = specimenCatalogue(ref).find((d) => d.id === 'genuine-td3')!;
const issuer = new DocumentIssuer({ dataDir: null, referenceDate: ref });
const sha256 = (b: Uint8Array) => Buffer.from(createHash('sha256').update(b).digest()).toString('hex');
const sdk = emrtd as unknown as Record<string, ((bytes: Uint8Array) => unknown) | undefined>;
const code = (error: unknown) => (error as { code?: string }).code;
const sw = (error: unknown) => (error as { details?: { sw?: number } }).details?.sw;

/** Reads an EF to its real end, whatever its TLV header claims (stops at 6282 or a short answer). */
async function readRaw(channel: ApduChannel, fid: number): Promise<Uint8Array> {
  await channel.selectFile(fid);
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const part = await channel.readBinary(offset, 0xe0);
    parts.push(part);
    offset += part.length;
    if (part.length < 0xe0) return new Uint8Array(Buffer.concat(parts));
  }
}

/** Whether `cert` is signed by the key of `issuerCert`. */
function signedBy(cert: Uint8Array, issuerCert: Uint8Array): boolean {
  const [tbs, , sig] = decodeTlvObject(cert).children!;
  const issuerSpki = decodeTlvObject(issuerCert).children![0].children![6].raw;
  return verify('sha256', tbs.raw, createPublicKey({ key: Buffer.from(issuerSpki), format: 'der', type: 'spki' }), sig.value.subarray(1));
}

test('every profile is known and distinct', () => {
  assert.is(new Set(CHIP_PROFILES.map((p) => p.id)).size, CHIP_PROFILES.length);
  assert.is(CHIP_PROFILES.length, 18);
});

test('short-reads: 6700 above 160 bytes, reads of 160 work', async () => {
  const { channel } = await openBacSession(issuer, td3, 'short-reads');
  await channel.selectFile(dataGroupFileId(2)!);
  try {
    await channel.readBinary(0, SHORT_READ_LIMIT + 1);
    assert.unreachable();
  } catch (error) {
    assert.is(sw(error), 0x6700);
  }
  const dg2 = await readWholeFile(channel, dataGroupFileId(2)!, SHORT_READ_LIMIT);
  assert.is(dg2[0], 0x75);
});

test('bad-mac: BAC succeeds, the first protected response fails its MAC check', async () => {
  const { channel } = await openBacSession(issuer, td3, 'bad-mac');
  try {
    await channel.selectFile(EF_COM.fid);
    assert.unreachable();
  } catch (error) {
    assert.is(code(error), 'EMRTD_SM_MAC_INVALID');
  }
});

test('truncated-tlv: DG11 is shorter than its TLV says; its hash matches EF.SOD (the damage was signed)', async () => {
  const { channel } = await openBacSession(issuer, td3, 'truncated-tlv');
  const dg11 = await readRaw(channel, dataGroupFileId(11)!);
  assert.throws(() => decodeTlvObject(dg11));
  if (sdk.parseDg11) assert.throws(() => sdk.parseDg11!(dg11));
  const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
  assert.is(Buffer.from(sod.hashes.get(11)!).toString('hex'), sha256(dg11));
});

test('overlong-tlv: DG1 claims more bytes than the file holds', async () => {
  const { channel } = await openBacSession(issuer, td3, 'overlong-tlv');
  const dg1 = await readRaw(channel, dataGroupFileId(1)!);
  const claimed = dg1[1] === 0x81 ? dg1[2] + 3 : -1;
  assert.ok(claimed > dg1.length, `claims ${claimed}, has ${dg1.length}`);
  assert.throws(() => decodeTlvObject(dg1));
  if (sdk.parseDg1) assert.throws(() => sdk.parseDg1!(dg1));
});

test('wrong-dg-hash: DG2 does not match its hash in EF.SOD, the other groups do', async () => {
  const { channel } = await openBacSession(issuer, td3, 'wrong-dg-hash');
  const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
  assert.ok(sod.signatureValid);
  for (const dg of [1, 2, 11]) {
    const bytes = await readWholeFile(channel, dataGroupFileId(dg)!);
    assert.is(Buffer.from(sod.hashes.get(dg)!).toString('hex') === sha256(bytes), dg !== 2, `DG${dg}`);
  }
});

test('expired-signer: the DSC in EF.SOD expired before the document was issued', async () => {
  const { channel } = await openBacSession(issuer, td3, 'expired-signer');
  const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
  assert.ok(sod.signatureValid);
  const dsc = readCertificateInfo(sod.certificates[0]);
  assert.ok(dsc.notAfter.getTime() < new Date(`${td3.viz.issueDate}T00:00:00Z`).getTime());
  const pki = await issuer.pki();
  assert.ok(signedBy(sod.certificates[0], pki.csca.der), 'still issued by the real CSCA');
});

test('unknown-signer: the DSC is not signed by any CSCA of the master list', async () => {
  const { channel } = await openBacSession(issuer, td3, 'unknown-signer');
  const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
  assert.ok(sod.signatureValid);
  const pki = await issuer.pki();
  const listed = inspectSignedData(pki.masterList);
  const cscas = decodeTlvObject(listed.content).children![1].children!.map((c) => c.raw);
  assert.is(cscas.some((csca) => signedBy(sod.certificates[0], csca)), false);
});

test('foreign-csca: the DSC chains to the ZZ CSCA of the master list, not to UT', async () => {
  const { channel } = await openBacSession(issuer, td3, 'foreign-csca');
  const sod = inspectSod(await readWholeFile(channel, EF_SOD.fid));
  const pki = await issuer.pki();
  assert.ok(signedBy(sod.certificates[0], pki.foreignCsca.der));
  assert.not.ok(signedBy(sod.certificates[0], pki.csca.der));
  assert.ok(Buffer.from(sod.certificates[0]).includes(Buffer.from('ZZ')));
});

test('cloned: Active Authentication answers 9000 but the signature does not verify with DG15', async () => {
  const { channel } = await openBacSession(issuer, td3, 'cloned');
  const aa = await activeAuthentication(channel, await readWholeFile(channel, dataGroupFileId(15)!));
  assert.is(aa.response.sw, 0x9000);
  assert.is(aa.verified, false);
});

test('pace-cam: EF.CardAccess offers CAM beside GM; EF.CardSecurity, readable only under SM, is signed by the DSC and publishes key 12', async () => {
  const chip = (await issuer.openChip(td3, 'pace-cam'))!;
  const offered = securityInfosOfKind(parseCardAccess(chip.image.cardAccess!).securityInfos, 'PACEInfo');
  assert.equal(offered.map((p) => `${p.mapping} ${p.parameterId}`).sort(), ['CAM 12', 'GM 13']);
  const plain = new ApduChannel(chip, { timeoutMs: 2000 });
  await plain.selectFile(EF_CARD_SECURITY.fid);
  try {
    await plain.readBinary(0, 8);
    assert.unreachable('EF.CardSecurity read without secure messaging');
  } catch (error) {
    assert.is(sw(error), 0x6982);
  }
  const { channel } = await openBacSession(issuer, td3, 'pace-cam');
  await channel.send({ cla: 0, ins: 0xa4, p1: 0, p2: 0x0c, data: Uint8Array.of(0x3f, 0x00) });
  const cardSecurity = await readWholeFile(channel, EF_CARD_SECURITY.fid);
  const signed = inspectSignedData(cardSecurity);
  assert.ok(signed.signatureValid);
  assert.equal(signed.certificates[0], (await issuer.pki()).dsc.der);
  const [key] = securityInfosOfKind(parseCardSecurity(cardSecurity).securityInfos, 'ChipAuthenticationPublicKeyInfo');
  assert.is(key?.keyId, 12);
  assert.is(key?.publicKey.ec?.curveName, 'P-256');
});

/** PACE-CAM with the MRZ on a fresh chip of `profile`; then the CAM token checked against the key its EF.CardSecurity publishes. */
async function camAgainstCardSecurity(profile: 'pace-cam' | 'pace-cam-cloned'): Promise<() => void> {
  const chip = (await issuer.openChip(td3, profile))!;
  const channel = new ApduChannel(chip, { timeoutMs: 2000 });
  const paceInfos = securityInfosOfKind(parseCardAccess(chip.image.cardAccess!).securityInfos, 'PACEInfo');
  const pace = await performPace(channel, { password: { mrz: bacInputFromMrz(td3.mrz) }, paceInfos, random: secureRandom });
  assert.is(pace.protocol.mapping, 'CAM');
  const [key] = securityInfosOfKind(parseCardSecurity(chip.image.cardSecurity!).securityInfos, 'ChipAuthenticationPublicKeyInfo');
  return () => verifyPaceCam(pace, key!.publicKey.ec!.publicPoint);
}

test("pace-cam and pace-cam-cloned: the genuine chip's CAM token fits the key in EF.CardSecurity, the clone's does not", async () => {
  (await camAgainstCardSecurity('pace-cam'))();
  const verifyClone = await camAgainstCardSecurity('pace-cam-cloned');
  try {
    verifyClone();
    assert.unreachable('the clone passed PACE-CAM');
  } catch (error) {
    assert.is(code(error), 'EMRTD_PACE_CAM_INVALID');
  }
});

test('mute: after BAC the channel times out within its limit', async () => {
  const { channel } = await openBacSession(issuer, td3, 'mute', { timeoutMs: 150 });
  const started = Date.now();
  try {
    await channel.selectFile(EF_COM.fid);
    assert.unreachable();
  } catch (error) {
    assert.is(code(error), 'EMRTD_CHIP_NOT_ANSWERING');
  }
  assert.ok(Date.now() - started < 1000);
});

test('mute: an abort signal ends the wait too', async () => {
  const { channel } = await openBacSession(issuer, td3, 'mute');
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  try {
    await channel.selectFile(EF_COM.fid, { signal: controller.signal });
    assert.unreachable();
  } catch (error) {
    assert.is(code(error), 'EMRTD_ABORTED');
  }
});

test('mute: raw transmit honours timeoutMs and close() without a signal', async () => {
  const { chip } = await openBacSession(issuer, td3, 'mute');
  const started = Date.now();
  try {
    await chip.transmit(Uint8Array.of(0x0c, 0xa4, 0x02, 0x0c), { timeoutMs: 50 });
    assert.unreachable();
  } catch (error) {
    assert.is(code(error), 'EMRTD_CHIP_NOT_ANSWERING');
  }
  assert.ok(Date.now() - started < 1000);
  const pending = chip.transmit(Uint8Array.of(0x0c, 0xa4, 0x02, 0x0c));
  await chip.close();
  try {
    await pending;
    assert.unreachable();
  } catch (error) {
    assert.is(code(error), 'EMRTD_TRANSPORT_FAILED');
  }
});

test('bac-only and pace: BAC reads DG1', async () => {
  for (const profile of ['bac-only', 'pace'] as const) {
    const { channel } = await openBacSession(issuer, td3, profile);
    const dg1 = await readWholeFile(channel, dataGroupFileId(1)!);
    assert.is(dg1[0], 0x61);
  }
});

test.run();
