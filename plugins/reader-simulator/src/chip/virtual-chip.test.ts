import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import * as emrtd from '@tessera/sdk/emrtd';
import { ApduChannel, decodeTlvObject, encodeCommandApdu, parseResponseApdu, performBac, secureRandom, type TlvNode } from '@tessera/sdk/emrtd';
import { specimenCatalogue } from '../specimens/specimen-catalogue.js';
import { DocumentIssuer } from './document-issuer.js';
import { dataGroupFileId, EF_COM, EF_SOD, EF_CARD_ACCESS } from '@tessera/sdk/emrtd';
import { activeAuthentication, chipAuthentication, inspectSod, openBacSession, readWholeFile } from './test-terminal.js';
import { bacInputFromMrz, VirtualChip } from './virtual-chip.js';

const catalogue = specimenCatalogue(new Date('2026-06-01T00:00:00Z'));
const td3 = catalogue.find((d) => d.id === 'genuine-td3')!;
const td1 = catalogue.find((d) => d.id === 'genuine-td1')!;
const issuer = new DocumentIssuer({ dataDir: null, referenceDate: new Date('2026-06-01T00:00:00Z') });
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** The SDK's LDS parsers, once @tessera/sdk/emrtd exports them. */
const sdk = emrtd as unknown as Record<string, ((bytes: Uint8Array) => unknown) | undefined>;
const findTag = (node: TlvNode, tag: number): TlvNode | undefined => (node.tag === tag ? node : node.children?.map((c) => findTag(c, tag)).find(Boolean));
const ALL = [EF_COM.fid, EF_SOD.fid, dataGroupFileId(1)!, dataGroupFileId(2)!, dataGroupFileId(11)!, dataGroupFileId(12)!, dataGroupFileId(14)!, dataGroupFileId(15)!];

test('genuine-td3: BAC, then every file reads under secure messaging; DG1 is the MRZ and EF.SOD hashes match', async () => {
  const { channel } = await openBacSession(issuer, td3, 'genuine');
  const files = new Map<number, Uint8Array>();
  for (const fid of ALL) files.set(fid, await readWholeFile(channel, fid));
  const dg1 = decodeTlvObject(files.get(dataGroupFileId(1)!)!);
  assert.is(new TextDecoder().decode(dg1.children![0].value), td3.mrz.join(''));
  const sod = inspectSod(files.get(EF_SOD.fid)!);
  assert.ok(sod.signatureValid, 'SOD signature verifies with its DSC');
  assert.equal([...sod.hashes.keys()], [1, 2, 11, 12, 14, 15]);
  for (const [dg, hash] of sod.hashes) assert.is(hex(hash), hex(sha256(files.get(dataGroupFileId(dg)!)!)), `DG${dg} hash`);
  assert.ok(files.get(dataGroupFileId(2)!)!.length > 1000, 'DG2 holds a JPEG portrait');
  // 19794-5 record: 14-byte header, 20 bytes facial information, 12 bytes image information, then the JPEG.
  const bdb = findTag(decodeTlvObject(files.get(dataGroupFileId(2)!)!), 0x5f2e)!.value;
  assert.is(new TextDecoder().decode(bdb.subarray(0, 3)), 'FAC');
  assert.is((bdb[36] << 8) | bdb[37], 240, 'width');
  assert.is((bdb[38] << 8) | bdb[39], 320, 'height');
  assert.equal([bdb[46], bdb[47]], [0xff, 0xd8], 'JPEG SOI');
  if (sdk.parseSod) {
    const parsed = sdk.parseSod(files.get(EF_SOD.fid)!) as { lds: { dataGroupHashes: Map<number, Uint8Array> } };
    for (const [dg, hash] of parsed.lds.dataGroupHashes) assert.is(hex(hash), hex(sha256(files.get(dataGroupFileId(dg)!)!)));
  }
  for (const [name, fid] of [['parseDg11', 11], ['parseDg12', 12], ['parseDg14', 14], ['parseDg15', 15], ['parseEfCom', 0]] as const) {
    const parse = sdk[name];
    if (parse) parse(files.get(fid ? dataGroupFileId(fid)! : EF_COM.fid)!); // must not throw
  }
});

test('READ BINARY with odd INS (DO54 offset) and extended length', async () => {
  const { channel } = await openBacSession(issuer, td3, 'genuine');
  const whole = await readWholeFile(channel, dataGroupFileId(2)!, 0x1000);
  assert.ok(whole.length > 0x1000 || whole.length > 0);
  await channel.selectFile(dataGroupFileId(2)!);
  const viaB1 = await channel.readBinary(0x8000 > whole.length ? 0 : 0x8000, 64);
  assert.ok(viaB1.length > 0);
  // B1 directly at a small offset through send().
  const r = await channel.send({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: Uint8Array.of(0x54, 0x01, 0x10), ne: 34 });
  assert.is(r.sw, 0x9000);
  const node = decodeTlvObject(r.data);
  assert.is(node.tag, 0x53);
  assert.is(hex(node.value), hex(whole.subarray(0x10, 0x10 + node.value.length)));
});

test('READ BINARY by short EF identifier (P1 80|SFI) selects and reads the file', async () => {
  const { channel } = await openBacSession(issuer, td3, 'genuine');
  const r = await channel.send({ cla: 0, ins: 0xb0, p1: 0x81, p2: 0, ne: 8 });
  assert.is(r.sw, 0x9000);
  assert.is(r.data[0], 0x61);
  const next = await channel.readBinary(8, 8); // the SFI read made DG1 the current EF
  assert.is(next.length, 8);
  assert.is((await channel.send({ cla: 0, ins: 0xb0, p1: 0x83, p2: 0, ne: 8 })).sw, 0x6a82);
});

test('without secure messaging: data groups answer 6982; unknown files 6A82; BAC with a wrong MRZ 6300', async () => {
  const chip = (await issuer.openChip(td3, 'genuine'))!;
  const channel = new ApduChannel(chip);
  await channel.selectEmrtdApplication();
  await channel.selectFile(dataGroupFileId(1)!);
  const r = await channel.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
  assert.is(r.sw, 0x6982);
  const missing = await channel.send({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(0x01, 0x03) });
  assert.is(missing.sw, 0x6a82);
  const wrong = { ...bacInputFromMrz(td3.mrz), birthDate: '010101' };
  try {
    await performBac(channel, wrong, secureRandom);
    assert.unreachable('BAC with the wrong MRZ must fail');
  } catch (error) {
    assert.is((error as { details?: { sw?: number } }).details?.sw, 0x6300);
  }
});

test('a plain command during the session ends it (6987), and the chip then refuses SM', async () => {
  const { chip } = await openBacSession(issuer, td3, 'genuine');
  const plain = parseResponseApdu(await chip.transmit(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 })));
  assert.is(plain.sw, 0x6987);
  assert.is(chip.authenticated, false);
});

test('Active Authentication: the signature verifies with the key in DG15 (ECDSA P-256, plain r||s)', async () => {
  const { channel } = await openBacSession(issuer, td3, 'genuine');
  const dg15 = await readWholeFile(channel, dataGroupFileId(15)!);
  const aa = await activeAuthentication(channel, dg15);
  assert.is(aa.response.sw, 0x9000);
  assert.is(aa.response.data.length, 64);
  assert.ok(aa.verified);
});

test('Chip Authentication re-keys the session (AES-128 on TD3, 3DES on TD1) and reading goes on', async () => {
  for (const [doc, expected] of [[td3, 'AES128'], [td1, '3DES']] as const) {
    const { channel, chip } = await openBacSession(issuer, doc, 'genuine');
    const dg14 = await readWholeFile(channel, dataGroupFileId(14)!);
    const { algorithm } = await chipAuthentication(channel, dg14);
    assert.is(algorithm, expected);
    const dg1 = await readWholeFile(channel, dataGroupFileId(1)!);
    assert.is(new TextDecoder().decode(decodeTlvObject(dg1).children![0].value), doc.mrz.join(''));
    assert.ok(chip.authenticated);
  }
});

test('EF.CardAccess is in the MF only for the pace profile and is readable without SM', async () => {
  for (const [profile, present] of [['pace', true], ['bac-only', false], ['genuine', false]] as const) {
    const chip = (await issuer.openChip(td3, profile))!;
    const channel = new ApduChannel(chip);
    const r = await channel.send({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Uint8Array.of(0x01, 0x1c) });
    assert.is(r.sw, present ? 0x9000 : 0x6a82, profile);
    if (present) {
      const data = await channel.readBinary(0, 64);
      assert.is(data[0], 0x31);
      if (sdk.parseCardAccess) sdk.parseCardAccess(data);
    }
  }
});

test('pace profile: PACE-GM (P-256 or brainpoolP256r1) with the MRZ opens a session that reads DG1 — when the SDK exports PaceCard/performPace', async () => {
  const api = emrtd as unknown as Record<string, unknown>;
  const performPace = api.performPace as undefined | ((channel: ApduChannel, options: unknown) => Promise<{ parameterId: number }>);
  const decodePaceInfo = api.decodePaceInfo as undefined | ((der: Uint8Array) => unknown);
  if (!api.PaceCard || !performPace || !decodePaceInfo) {
    console.log('  (PACE run skipped: @tessera/sdk/emrtd does not export PaceCard/performPace/decodePaceInfo yet)');
    return;
  }
  const paceIssuer = new DocumentIssuer({ dataDir: null });
  assert.ok(paceIssuer.paceAvailable);
  const chip = (await paceIssuer.openChip(td3, 'pace'))!;
  const channel = new ApduChannel(chip);
  await channel.selectFile(EF_CARD_ACCESS.fid);
  const cardAccess = await channel.readBinary(0, 256);
  const paceInfos = decodeTlvObject(cardAccess).children!.map((c) => decodePaceInfo(c.raw));
  const result = await performPace(channel, { password: { mrz: bacInputFromMrz(td3.mrz) }, paceInfos, random: secureRandom });
  assert.ok([12, 13].includes(result.parameterId));
  await channel.selectEmrtdApplication();
  const dg1 = await readWholeFile(channel, dataGroupFileId(1)!);
  assert.is(new TextDecoder().decode(decodeTlvObject(dg1).children![0].value), td3.mrz.join(''));
});

test('pace profile without a PaceCard: MSE:Set AT for PACE answers 6A88 and BAC still works', async () => {
  const noPace = new DocumentIssuer({ dataDir: null, paceCard: null });
  assert.is(noPace.paceAvailable, false);
  const chip = (await noPace.openChip(td3, 'pace'))!;
  const channel = new ApduChannel(chip);
  const mse = await channel.send({ cla: 0, ins: 0x22, p1: 0xc1, p2: 0xa4, data: Uint8Array.of(0x80, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02, 0x83, 0x01, 0x01) });
  assert.is(mse.sw, 0x6a88);
  await channel.selectEmrtdApplication();
  await performBac(channel, bacInputFromMrz(td3.mrz), secureRandom);
  assert.is((await readWholeFile(channel, dataGroupFileId(1)!))[0], 0x61);
});

test('no-chip profile: no chip', async () => {
  assert.is(await issuer.openChip(td3, 'no-chip'), null);
});

test('VirtualChip closes: transmit after close rejects', async () => {
  const chip = (await issuer.openChip(td3, 'genuine')) as VirtualChip;
  await chip.close();
  try {
    await chip.transmit(Uint8Array.of(0, 0xa4, 4, 0x0c));
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'EMRTD_TRANSPORT_FAILED');
  }
});

test.run();
