// PACE against the worked examples of ICAO Doc 9303 part 11 (8th ed.): App. G.1 (GM, ECDH,
// brainpoolP256r1), G.2 (GM, DH 1024/160), H.1 (IM, ECDH), H.2 (IM, DH) and I.1 (CAM), first
// step by step through the pure functions, then byte for byte on the wire: performPace against a
// PaceCard fed the examples' nonces and keys must produce exactly the APDUs the appendices print.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { ApduChannel } from '../codec/apdu-channel.js';
import { decodeTlvObject } from '../codec/ber-tlv.js';
import { concatBytes, fromHex, toHex } from '../codec/bytes.js';
import { deriveKey } from '../crypto/kdf.js';
import {
  authenticationToken,
  chipAuthenticationIv,
  decodePaceInfo,
  decryptChipAuthenticationData,
  decryptNonce,
  derivePasswordKey,
  deriveSessionKeys,
  encodePaceInfo,
  encryptNonce,
  genericMapping,
  integratedMapping,
  integratedMappingPrf,
  integratedMappingPrfBytes,
  PACE_ERROR_CODES,
  PACE_ERROR_HINTS,
  PaceCard,
  paceGroup,
  performPace,
  publicKeyDataObject,
  verifyPaceCam,
  type GroupElement,
  type PaceGroup,
} from './index.js';
import { bytesToBigInt, bigIntToBytes, modInversePrime } from './groups.js';
import { queueRandom, VirtualPaceChip } from './pace-test-support.js';

const h = (hex: string): Uint8Array => fromHex(hex);
const big = (hex: string): bigint => bytesToBigInt(fromHex(hex));
const point = (x: string, y: string): string => `04${x}${y}`.replace(/\s/g, '').toUpperCase();

function pub(group: PaceGroup, element: GroupElement): string {
  return toHex(group.encode(element));
}

// ---------------------------------------------------------------- G.1: GM, ECDH, brainpoolP256r1
const G1 = {
  mrz: { documentNumber: 'T22000129', birthDate: '640812', expiryDate: '101031' },
  paceInfo: '3012060A04007F0007020204020202010202010D',
  kPi: '89DED1B26624EC1E634C1989302849DD',
  s: '3F00C4D39D153F2B2A214A078D899B22',
  z: '95A3A016522EE98D01E76CB6B98B42C3',
  terminalMapSk: '7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99',
  terminalMapPk: point('7ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E', '544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D'),
  chipMapSk: '498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560',
  chipMapPk: point('824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57', '30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54'),
  sharedH: point('60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5', '0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181'),
  mapped: point('8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2', '8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522'),
  terminalEphSk: 'A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595',
  terminalEphPk: point('2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C', '3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462'),
  chipEphSk: '107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A',
  chipEphPk: point('9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB', '7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094'),
  k: '28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925',
  ksEnc: 'F5F0E35C0D7161EE6724EE513A0D9A7F',
  ksMac: 'FE251C7858B356B24514B3BD5F4297D1',
  tokenInputIfd:
    '7F494F060A04007F000702020402028641049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094',
  tIfd: 'C2B0BD78D94BA866',
  tIc: '3ABB9674BCE93C08',
};

test('G.1 PACEInfo and password key', () => {
  const info = decodePaceInfo(h(G1.paceInfo));
  assert.equal(info, { protocol: '0.4.0.127.0.7.2.2.4.2.2', version: 2, parameterId: 13 });
  assert.is(toHex(encodePaceInfo(info)), G1.paceInfo);
  assert.is(toHex(derivePasswordKey({ mrz: G1.mrz }, 'AES128')), G1.kPi);
  assert.is(toHex(derivePasswordKey({ mrz: 'T22000129364081251010318' }, 'AES128')), G1.kPi);
});

test('G.1 step by step: nonce, mapping, key agreement, session keys, tokens', () => {
  const group = paceGroup(13);
  const kPi = h(G1.kPi);
  assert.is(toHex(encryptNonce('AES128', kPi, h(G1.s))), G1.z);
  assert.is(toHex(decryptNonce('AES128', kPi, h(G1.z))), G1.s);
  const terminalMap = group.multiply(group.generator, big(G1.terminalMapSk));
  const chipMap = group.multiply(group.generator, big(G1.chipMapSk));
  assert.is(pub(group, terminalMap), G1.terminalMapPk);
  assert.is(pub(group, chipMap), G1.chipMapPk);
  const sharedH = group.multiply(group.decode(h(G1.chipMapPk), 'chip'), big(G1.terminalMapSk));
  assert.is(pub(group, sharedH), G1.sharedH);
  assert.ok(group.equals(sharedH, group.multiply(terminalMap, big(G1.chipMapSk))));
  const mapped = genericMapping(group, h(G1.s), sharedH);
  assert.is(pub(group, mapped), G1.mapped);
  const terminalEph = group.multiply(mapped, big(G1.terminalEphSk));
  const chipEph = group.multiply(mapped, big(G1.chipEphSk));
  assert.is(pub(group, terminalEph), G1.terminalEphPk);
  assert.is(pub(group, chipEph), G1.chipEphPk);
  const k = group.sharedSecret(group.multiply(chipEph, big(G1.terminalEphSk)));
  assert.is(toHex(k), G1.k);
  const { ksEnc, ksMac } = deriveSessionKeys(k, 'AES128');
  assert.is(toHex(ksEnc), G1.ksEnc);
  assert.is(toHex(ksMac), G1.ksMac);
  const oid = '0.4.0.127.0.7.2.2.4.2.2';
  assert.is(toHex(publicKeyDataObject(oid, 'ECDH', h(G1.chipEphPk))), G1.tokenInputIfd);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(G1.chipEphPk))), G1.tIfd);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(G1.terminalEphPk))), G1.tIc);
});

const EF_COM = h('60145F0104303130365F36063034303030305C026175');

test('G.1 on the wire: performPace against a PaceCard replays the appendix APDUs byte for byte, then reads a file', async () => {
  const paceInfo = decodePaceInfo(h(G1.paceInfo));
  const chipRandom = queueRandom(h(G1.s), h(G1.chipMapSk), h(G1.chipEphSk));
  const card = new PaceCard({ paceInfos: [paceInfo], mrz: G1.mrz, random: chipRandom });
  const chip = new VirtualPaceChip(card, new Map([[0x011e, EF_COM]]));
  const channel = new ApduChannel(chip);
  const terminalRandom = queueRandom(h(G1.terminalMapSk), h(G1.terminalEphSk));
  const result = await performPace(channel, { password: { mrz: G1.mrz }, paceInfo, random: terminalRandom });
  assert.is(terminalRandom.remaining(), 0);
  assert.is(chipRandom.remaining(), 0);
  assert.equal(chip.log, [
    '0022C1A40F800A04007F00070202040202830101', '9000',
    '10860000027C0000', `7C128010${G1.z}9000`,
    `10860000457C438141${G1.terminalMapPk}00`, `7C438241${G1.chipMapPk}9000`,
    `10860000457C438341${G1.terminalEphPk}00`, `7C438441${G1.chipEphPk}9000`,
    `008600000C7C0A8508${G1.tIfd}00`, `7C0A8608${G1.tIc}9000`,
  ]);
  assert.is(result.protocol.name, 'id-PACE-ECDH-GM-AES-CBC-CMAC-128');
  assert.is(result.parameterId, 13);
  assert.is(result.passwordType, 'MRZ');
  assert.is(result.parameterIdSent, false);
  assert.is(toHex(result.chipEphemeralPublicKey), G1.chipEphPk);
  assert.is(toHex(result.chipMappingPublicKey!), G1.chipMapPk);
  assert.is(result.secureMessaging.algorithm, 'AES128');
  assert.is(toHex(result.secureMessaging.ssc), '00000000000000000000000000000000');
  assert.is(channel.secureMessaging, result.secureMessaging);
  assert.is(toHex(card.lastSession!.ksEnc), G1.ksEnc);
  assert.is(toHex(card.lastSession!.ksMac), G1.ksMac);
  // The session works: SELECT and READ BINARY under AES secure messaging.
  await channel.selectFile(0x011e);
  const head = await channel.readBinary(0, 4);
  const rest = await channel.readBinary(4, EF_COM.length - 4);
  assert.is(toHex(concatBytes(head, rest)), toHex(EF_COM));
  assert.is(toHex(result.secureMessaging.ssc), '00000000000000000000000000000006');
  assert.ok(chip.log[10].startsWith('0CA4020C'), 'SELECT is protected');
});

// ---------------------------------------------------------------- G.2: GM, DH 1024-bit / 160-bit subgroup
const G2 = {
  paceInfo: '3012060A04007F00070202040102020102020100',
  s: 'FA5B7E3E49753A0DB9178B7B9BD898C8',
  z: '854D8DF5827FA6852D1A4FA701CDDDCA',
  terminalMapSk: '5265030F751F4AD18B08AC565FC7AC952E41618D',
  terminalMapPk:
    '23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A4' +
    '4D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C',
  chipMapSk: '66DDAFEAC1609CB5B963BB0CB3FF8B3E047F336C',
  chipMapPk:
    '78879F57225AA8080D52ED0FC890A4B25336F699AA89A2D3A189654AF70729E623EA5738B26381E4DA19E004706FACE7B235C2DBF2F38748312F3C98C2DD4882' +
    'A41947B324AA1259AC22579DB93F7085655AF30889DBB845D9E6783FE42C9F2449400306254C8AE8EE9DD812A804C0B66E8CAFC14F84D8258950A91B44126EE6',
  sharedH:
    '5BABEBEF5B74E5BA94B5C063FDA15F1F1CDE94873EE0A5D3A2FCAB49F258D07F544F13CB66658C3AFEE9E727389BE3F6CBBBD32128A8C21DD6EEA3CF7091CDDF' +
    'B08B8D007D40318DCCA4FFBF51208790FB4BD111E5A968ED6B6F08B26CA87C410B3CE0C310CE104EABD16629AA48620C1279270CB0750C0D37C57FFFE302AE7F',
  mapped:
    '7C9CBFE98F9FBDDA8D143506FA7D9306F4CB17E3C71707AFF5E1C1A12370249684D64EE37AF44B8DBD9D45BF6023919CBAA027AB97ACC771666C8E98FF483301' +
    'BFA4872DEDE9034EDFACB70814166B7F360676829B826BEA57291B5AD69FBC84EF1E779032A305803F74341793E869742D401325B37EE8565FFCDEE618342DC5',
  terminalEphSk: '89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA',
  // The appendix's table prints a stray leading '00' (129 bytes); the APDU carries these 128.
  terminalEphPk:
    '907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747CC7BC352645B6161A2A42D44EDA80A0' +
    '8FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4',
  chipEphSk: 'A5B780126B7C980E9FCEA1D4539DA1D27C342DFA',
  chipEphPk:
    '075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC' +
    '71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1',
  k:
    '6BABC7B3A72BCD7EA385E4C62DB2625BD8613B24149E146A629311C4CA6698E38B834B6A9E9CD7184BA8834AFF5043D436950C4C1E7832367C10CB8C314D40E5' +
    '990B0DF7013E64B4549E2270923D06F08CFF6BD3E977DDE6ABE4C31D55C0FA2E465E553E77BDF75E3193D3834FC26E8EB1EE2FA1E4FC97C18C3F6CFFFE2607FD',
  ksEnc: '2F7F46ADCC9E7E521B45D192FAFA9126',
  ksMac: '805A1D27D45A5116F73C54469462B7D8',
  tIfd: 'B46DD9BD4D98381F',
  tIc: '917F37B5C0E6D8D1',
};

test('G.2 step by step (DH): every intermediate value', () => {
  const group = paceGroup(0);
  assert.is(toHex(decryptNonce('AES128', h(G1.kPi), h(G2.z))), G2.s);
  assert.is(pub(group, group.multiply(group.generator, big(G2.terminalMapSk))), G2.terminalMapPk);
  assert.is(pub(group, group.multiply(group.generator, big(G2.chipMapSk))), G2.chipMapPk);
  const sharedH = group.multiply(group.decode(h(G2.chipMapPk), 'chip'), big(G2.terminalMapSk));
  assert.is(pub(group, sharedH), G2.sharedH);
  const mapped = genericMapping(group, h(G2.s), sharedH);
  assert.is(pub(group, mapped), G2.mapped);
  assert.is(pub(group, group.multiply(mapped, big(G2.terminalEphSk))), G2.terminalEphPk);
  assert.is(pub(group, group.multiply(mapped, big(G2.chipEphSk))), G2.chipEphPk);
  const k = group.sharedSecret(group.multiply(group.decode(h(G2.chipEphPk), 'chip'), big(G2.terminalEphSk)));
  assert.is(toHex(k), G2.k);
  const { ksEnc, ksMac } = deriveSessionKeys(k, 'AES128');
  assert.is(toHex(ksEnc), G2.ksEnc);
  assert.is(toHex(ksMac), G2.ksMac);
  const oid = '0.4.0.127.0.7.2.2.4.1.2';
  assert.is(toHex(publicKeyDataObject(oid, 'DH', h(G2.chipEphPk))).slice(0, 36), '7F49818F060A04007F000702020401028481');
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'DH', h(G2.chipEphPk))), G2.tIfd);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'DH', h(G2.terminalEphPk))), G2.tIc);
});

test('G.2 on the wire (DH), including the CAR the chip returns in step 4', async () => {
  const paceInfo = decodePaceInfo(h(G2.paceInfo));
  assert.equal(paceInfo, { protocol: '0.4.0.127.0.7.2.2.4.1.2', version: 2, parameterId: 0 });
  const card = new PaceCard({
    paceInfos: [paceInfo],
    mrz: G1.mrz,
    random: queueRandom(h(G2.s), h(G2.chipMapSk), h(G2.chipEphSk)),
    certificationAuthorityReferences: ['DETESTCVCA00003'],
  });
  const chip = new VirtualPaceChip(card);
  const result = await performPace(new ApduChannel(chip), { password: { mrz: G1.mrz }, paceInfo, random: queueRandom(h(G2.terminalMapSk), h(G2.terminalEphSk)) });
  assert.equal(chip.log, [
    '0022C1A40F800A04007F00070202040102830101', '9000',
    '10860000027C0000', `7C128010${G2.z}9000`,
    `10860000867C8183818180${G2.terminalMapPk}00`, `7C8183828180${G2.chipMapPk}9000`,
    `10860000867C8183838180${G2.terminalEphPk}00`, `7C8183848180${G2.chipEphPk}9000`,
    `008600000C7C0A8508${G2.tIfd}00`, `7C1B8608${G2.tIc}870F4445544553544356434130303030339000`,
  ]);
  assert.equal(result.certificationAuthorityReferences, ['DETESTCVCA00003']);
  assert.is(toHex(card.lastSession!.ksEnc), G2.ksEnc);
});

// ---------------------------------------------------------------- H.1: IM, ECDH, brainpoolP256r1
const H1 = {
  // The appendix says it reuses G's MRZ key, but its K_π is KDF("123456", 3): the CAN 123456.
  can: '123456',
  kPi: '591468CDA83D65219CCCB8560233600F',
  s: '2923BE84E16CD6AE529049F1F1BBE9EB',
  z: '143DC40C08C8E891FBED7DEDB92B64AD',
  t: '5DD4CBFC96F5453B130D890A1CDBAE32',
  prf: 'E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322',
  prfModP: 'A2F8FF2DF50E52C6599F386ADCB595D229F6A167ADE2BE5F2C3296ADD5B7430E',
  mapped: point('8E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D427', '4C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD'),
  chipSk: '107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A',
  chipPk: point('67F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8', '932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753'),
  terminalSk: 'A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595',
  terminalPk: point('89CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D4', '6755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37'),
  k: '4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713',
  ksEnc: '0D3FEB33251A6370893D62AE8DAAF51B',
  ksMac: 'B01E89E3D9E8719E586B50B4A7506E0B',
  tIc: '75D4D96E8D5B0308',
  tIfd: '450F02B86F6A0909',
};

test('H.1 step by step (IM, ECDH): R(s,t), R_p, f_G, keys and tokens', () => {
  const group = paceGroup(13);
  assert.is(toHex(derivePasswordKey({ can: H1.can }, 'AES128')), H1.kPi);
  assert.is(toHex(decryptNonce('AES128', h(H1.kPi), h(H1.z))), H1.s);
  assert.is(toHex(integratedMappingPrfBytes('AES128', h(H1.s), h(H1.t), group.prime)), H1.prf);
  assert.is(toHex(bigIntToBytes(integratedMappingPrf('AES128', h(H1.s), h(H1.t), group.prime), 32)), H1.prfModP);
  const mapped = integratedMapping(group, 'AES128', h(H1.s), h(H1.t));
  assert.is(pub(group, mapped), H1.mapped);
  assert.is(pub(group, group.multiply(mapped, big(H1.chipSk))), H1.chipPk);
  assert.is(pub(group, group.multiply(mapped, big(H1.terminalSk))), H1.terminalPk);
  const k = group.sharedSecret(group.multiply(group.decode(h(H1.chipPk), 'chip'), big(H1.terminalSk)));
  assert.is(toHex(k), H1.k);
  const { ksEnc, ksMac } = deriveSessionKeys(k, 'AES128');
  assert.is(toHex(ksEnc), H1.ksEnc);
  assert.is(toHex(ksMac), H1.ksMac);
  const oid = '0.4.0.127.0.7.2.2.4.4.2';
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(H1.terminalPk))), H1.tIc);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(H1.chipPk))), H1.tIfd);
});

test('H.1 on the wire (IM, ECDH, CAN 123456)', async () => {
  const paceInfo = { protocol: '0.4.0.127.0.7.2.2.4.4.2', version: 2, parameterId: 13 };
  const card = new PaceCard({ paceInfos: [paceInfo], can: H1.can, random: queueRandom(h(H1.s), h(H1.chipSk)) });
  const chip = new VirtualPaceChip(card);
  const result = await performPace(new ApduChannel(chip), { password: { can: H1.can }, paceInfo, random: queueRandom(h(H1.t), h(H1.terminalSk)) });
  assert.equal(chip.log, [
    '0022C1A40F800A04007F00070202040402830102', '9000',
    '10860000027C0000', `7C128010${H1.z}9000`,
    `10860000147C128110${H1.t}00`, '7C0282009000',
    `10860000457C438341${H1.terminalPk}00`, `7C438441${H1.chipPk}9000`,
    `008600000C7C0A8508${H1.tIfd}00`, `7C0A8608${H1.tIc}9000`,
  ]);
  assert.is(result.passwordType, 'CAN');
  assert.is(result.chipMappingPublicKey, undefined);
});

// ---------------------------------------------------------------- H.2: IM, DH 1024-bit / 160-bit subgroup
const H2 = {
  s: 'FA5B7E3E49753A0DB9178B7B9BD898C8',
  z: '9ABB8864CA0FF1551E620D1EF4E13510',
  t: 'B3A6DB3C870C3E99245E0D1C06B747DE',
  prf:
    'EAB98D13E09052952AA729907C3C946184DEA0FE74AD2B3AF506F0A83018459C38099CD1F7FF4EA0A078DB1FAC1365505E3DC85500EF95E20B4EEF2E88489233' +
    'BEE0546B472F994B618D168702406791DEEF3CB4810932EC278F3533FDB860EB4835C36FA4F1BF3FA0B828A718C96BDE88FBA38A3E6C35AAA10959251EB5FC71' +
    '0FC187258995944C0F926E249373F485',
  prfModP:
    'A0C7C50C002061A51CC87D254EF38068607417B6EE1B36473CFB800D2D2E5FA2B6980F01105D24FAB22ACD1BFA5C8A4C093ECDFAFE6D7125D42A843E33860383' +
    '5CF19AFAFF75EFE21DC5F6AA1F9AE46C25087E7368166FB08C1E4627AFED7D93570417B790FF7F747E57F432B04E1236819E0DFEF5B6E77CA4999925328182D2',
  mapped:
    '1D7D767F11E333BCD6DBAEF40E799E7A926B96973550656FF3C830726D118D61C276CDCC61D475CF03A98E0C0E79CAEBA5BE25578BD4551D0B10903236F0B0F9' +
    '76852FA78EEA14EA0ACA87D1E91F688FE0DFF897BBE35A472621D343564B262F34223AE8FC59B664BFEDFA2BFE7516CA5510A6BBB633D517EC25D4E0BBAA16C2',
  chipSk:
    '020F018C7284B047FA7721A337EFB7ACB1440BB30C5252BD41C97C30C994BB78E9F0C5B32744D84017D21FFA6878396A6469CA283EF5C000DAF7D261A39AB886' +
    '0ED4610AB5343390897AAB5A7787E4FAEFA0649C6A94FDF82D991E8E3FC332F5142729E7040A3F7D5A4D3CD75CBEE1F043C1CAD2DD484FEB4ED22B597D36688E',
  chipPk:
    '928D9A0F9DBA450F13FC859C6F290D1D36E42431138A4378500BEB4E0401854CFF111F71CB6DC1D0335807A11388CC8EAA87B07907AAD9FBA6B169AF6D8C26AF' +
    '8DDDC39ADC3AD2E3FF882B84D23E9768E95A80E4746FB07A9767679FE92133B4D379935C771BD7FBED6C7BB4B1708B275EA75679524CDC9C6A91370CC662A2F3',
  terminalSk:
    '4BD0E54740F9A028E6A515BFDAF967848C4F5F5FFF65AA0915947FFD1A0DF2FA6981271BC905F3551457B7E03AC3B8066DE4AA406C1171FB43DD939C4BA16175' +
    '103BA3DEE16419AA248118F90CC36A3D6F4C373652E0C3CCE7F0F1D0C5425B3600F0F0D6A67F004C8BBA33F2B4733C7252445C1DFC4F1107203F71D2EFB28161',
  terminalPk:
    '0F0CC62945A8029251FB7EF3C094E12EC68E4EF07F27CB9D9CD04C5C4250FAE0E4F8A951557E929AEB48E5C6DD47F2F5CD7C351A9BD2CD722C07EDE166770F08' +
    'FFCB370262CF308DD7B07F2E0DA9CAAA1492344C852906919538C98A4BA4187E76CE9D87832386D319CE2E043C3343AEAE6EDBA1A9894DC5094D22F7FE1351D5',
  k:
    '419410D6C0A17A4C07C54872CE1CBCEB0A2705C1A434C8A89A4CFE41F1D78124CA7EC52BDE7615E5345E48AB1ABB6E7D1D59A57F3174084D3CA4570397C1F622' +
    '28BDFDB2DA191EA2239E2C060DBE3BBC23C2FCD0AF12E0F9E0B99FCF91FF1959011D5798B2FCBC1F14FCC24E441F4C8F9B08D977E9498560E63E7FFAB3134EA7',
  ksEnc: '01AFC10CF87BE36D8179E87370171F07',
  ksMac: '23F0FBD05FD6C7B8B88F4C8309669061',
  tIc: 'C2F04230187E1525',
  tIfd: '55D61977CBF5307E',
};

test('H.2 step by step (IM, DH): R(s,t), R_p, f_g, keys and tokens', () => {
  const group = paceGroup(0);
  assert.is(toHex(decryptNonce('AES128', h(H1.kPi), h(H2.z))), H2.s);
  assert.is(toHex(integratedMappingPrfBytes('AES128', h(H2.s), h(H2.t), group.prime)), H2.prf);
  assert.is(toHex(bigIntToBytes(integratedMappingPrf('AES128', h(H2.s), h(H2.t), group.prime), 128)), H2.prfModP);
  const mapped = integratedMapping(group, 'AES128', h(H2.s), h(H2.t));
  assert.is(pub(group, mapped), H2.mapped);
  // The example's private keys are 1024-bit exponents; the group reduces them modulo q.
  assert.is(pub(group, group.multiply(mapped, big(H2.chipSk))), H2.chipPk);
  assert.is(pub(group, group.multiply(mapped, big(H2.terminalSk))), H2.terminalPk);
  const k = group.sharedSecret(group.multiply(group.decode(h(H2.chipPk), 'chip'), big(H2.terminalSk)));
  assert.is(toHex(k), H2.k);
  const { ksEnc, ksMac } = deriveSessionKeys(k, 'AES128');
  assert.is(toHex(ksEnc), H2.ksEnc);
  assert.is(toHex(ksMac), H2.ksMac);
  const oid = '0.4.0.127.0.7.2.2.4.3.2';
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'DH', h(H2.terminalPk))), H2.tIc);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'DH', h(H2.chipPk))), H2.tIfd);
});

// ---------------------------------------------------------------- I.1: CAM, ECDH, brainpoolP256r1
const I1 = {
  mrz: { documentNumber: 'C11T002JM', birthDate: '960812', expiryDate: '231031' },
  k: '894D03F148C6265E89845B218856EA34D00EF8E8',
  kPi: '4E6F6FBF7BE748B932C7B74161BBA9DF',
  paceInfo: '3012060A04007F0007020204060202010202010D',
  s: '658B860BC94DF6F044FCE6D5C82CF8E5',
  z: 'CB60E8E0D85B76A9BD304747C2AD42E2',
  terminalMapSk: '5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC',
  terminalMapPk: point('7F1D410ADB7DDB3B84BF1030800981A9105D7457B4A3ADE002384F3086C67EDE', '1AB889104A27DB6D842B019020FBF3CEACB0DC627F7BDCAC29969E19D0E553C1'),
  chipMapSk: '9E56A6B59C95D06ECE5CD10F983BB2F4F1943528E577F23881D89D8C3BBEE0AA',
  chipMapPk: point('A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B3', '04F365713A356E65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E23'),
  sharedH: point('2C1DCC1773346492C6636A36EE4B965E292E9AAE7EE37736EF58B9D0A043F348', '403A8CF33CA7DC0D9DF61D0889CE24424FF97C1AAD48A5CA2A554B071EF7638D'),
  mapped: point('89F0B5EABF3BE293C75903A3986131925C9F5B515CA95AF485DC7E886F03245D', '44BEFB2DD3A0DBD71CB5E618971CF4747F12B79E548379A40E45963BAAF3E829'),
  terminalEphSk: '76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120',
  terminalEphPk: point('446C934084D9DAB863944F219520076C29EE3F7AE6722B11FF319EC1C7728F95', '5483400BFF60BF0C5929270009277DC2A515E12575010AD9BA916CF1BF86FEFC'),
  chipEphSk: 'CD626EF3C256E235FE8912CAC28279E626008EDA6B3A05C4CF862A3BDAB79E78',
  chipEphPk: point('02AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA9933331', '11C3B9B4C2287789BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E1'),
  sharedK: '67950559D0C06B4D4B86972D14460837461087F8419FDBC36AAF6CEAAC462832',
  ksEnc: '0A9DA4DB03BDDE39FC5202BC44B2E89E',
  ksMac: '4B1C06491ED5140CA2B537D344C6C0B1',
  tIfd: 'E86BD06018A1CD3B',
  tIc: '8596CF055C67C1A3',
  aIc: '1EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD10CBA372B42BE0B9B5F28AA8DE2F4F92',
  caIc: '85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3',
  iv: 'F6A3B75A1E933941DD7A13E2520779DF',
  caPublicKeyInfo:
    '30620609 04007F00 07020201 02305230 0C060704 007F0007 01020201 0D034200 04187270 9494399E 7470A643 1BE25E83 EEE24FEA 568C2ED2' +
    '8DB48E05 DB3A610D C884D256 A40E35EF CB59BF67 53D3A489 D28C7A4D 973C2DA1 38A6E7A4 A08F68E1 6F02010D',
  pkIc: point('1872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8', '84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F'),
};

test('I.1 step by step (CAM): password, mapping, keys, tokens, A_IC and the chip authentication check', () => {
  const group = paceGroup(13);
  const info = 'C11T002JM496081222310314';
  assert.is(toHex(new Uint8Array(createHash('sha1').update(info).digest())), I1.k);
  assert.is(toHex(derivePasswordKey({ mrz: I1.mrz }, 'AES128')), I1.kPi);
  assert.is(toHex(decryptNonce('AES128', h(I1.kPi), h(I1.z))), I1.s);
  assert.is(pub(group, group.multiply(group.generator, big(I1.terminalMapSk))), I1.terminalMapPk);
  assert.is(pub(group, group.multiply(group.generator, big(I1.chipMapSk))), I1.chipMapPk);
  const sharedH = group.multiply(group.decode(h(I1.chipMapPk), 'chip'), big(I1.terminalMapSk));
  assert.is(pub(group, sharedH), I1.sharedH);
  const mapped = genericMapping(group, h(I1.s), sharedH);
  assert.is(pub(group, mapped), I1.mapped);
  assert.is(pub(group, group.multiply(mapped, big(I1.terminalEphSk))), I1.terminalEphPk);
  assert.is(pub(group, group.multiply(mapped, big(I1.chipEphSk))), I1.chipEphPk);
  const k = group.sharedSecret(group.multiply(group.decode(h(I1.chipEphPk), 'chip'), big(I1.terminalEphSk)));
  assert.is(toHex(k), I1.sharedK);
  const { ksEnc, ksMac } = deriveSessionKeys(k, 'AES128');
  assert.is(toHex(ksEnc), I1.ksEnc);
  assert.is(toHex(ksMac), I1.ksMac);
  const oid = '0.4.0.127.0.7.2.2.4.6.2';
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(I1.chipEphPk))), I1.tIfd);
  assert.is(toHex(authenticationToken('AES128', ksMac, oid, 'ECDH', h(I1.terminalEphPk))), I1.tIc);
  assert.is(toHex(chipAuthenticationIv(ksEnc)), I1.iv);
  assert.is(toHex(decryptChipAuthenticationData('AES128', ksEnc, h(I1.aIc))), I1.caIc);
  // The static key in EF.CardSecurity's ChipAuthenticationPublicKeyInfo (keyId 13 = the parameterId).
  const info13 = decodeTlvObject(h(I1.caPublicKeyInfo));
  const bitString = info13.children![1].children![1].value;
  assert.is(toHex(bitString.subarray(1)), I1.pkIc);
  assert.is(toHex(info13.children![2].value), '0D');
  // PK_Map,IC = CA_IC · PK_IC, so SK_IC = SK_Map,IC · CA_IC⁻¹, whose public key is the published one.
  const skIc = (big(I1.chipMapSk) * modInversePrime(big(I1.caIc), group.order)) % group.order;
  assert.is(pub(group, group.multiply(group.generator, skIc)), I1.pkIc);
});

test('I.1 on the wire (CAM) and verifyPaceCam with the static key from EF.CardSecurity', async () => {
  const group = paceGroup(13);
  const paceInfo = decodePaceInfo(h(I1.paceInfo));
  const skIc = (big(I1.chipMapSk) * modInversePrime(big(I1.caIc), group.order)) % group.order;
  const card = new PaceCard({
    paceInfos: [paceInfo],
    mrz: I1.mrz,
    random: queueRandom(h(I1.s), h(I1.chipMapSk), h(I1.chipEphSk)),
    chipAuthenticationKeys: { 13: bigIntToBytes(skIc, 32) },
  });
  assert.is(toHex(card.chipAuthenticationPublicKey(13)), I1.pkIc);
  const chip = new VirtualPaceChip(card);
  const result = await performPace(new ApduChannel(chip), { password: { mrz: I1.mrz }, paceInfo, random: queueRandom(h(I1.terminalMapSk), h(I1.terminalEphSk)) });
  assert.equal(chip.log, [
    '0022C1A40F800A04007F00070202040602830101', '9000',
    '10860000027C0000', `7C128010${I1.z}9000`,
    `10860000457C438141${I1.terminalMapPk}00`, `7C438241${I1.chipMapPk}9000`,
    `10860000457C438341${I1.terminalEphPk}00`, `7C438441${I1.chipEphPk}9000`,
    `008600000C7C0A8508${I1.tIfd}00`, `7C3C8608${I1.tIc}8A30${I1.aIc}9000`,
  ]);
  assert.is(toHex(result.chipAuthenticationData!), I1.caIc);
  assert.is(result.chipAuthenticated, false);
  verifyPaceCam(result, h(I1.pkIc));
  assert.is(result.chipAuthenticated, true);
});

test('KDF per cipher for the password key: 3DES has parity, AES-192/256 use SHA-256', () => {
  const seed = new Uint8Array(createHash('sha1').update('T22000129364081251010318').digest());
  assert.is(toHex(derivePasswordKey({ mrz: G1.mrz }, '3DES')), toHex(deriveKey(seed, 3, '3DES')));
  assert.is(derivePasswordKey({ mrz: G1.mrz }, 'AES256').length, 32);
  assert.is(toHex(derivePasswordKey({ can: '123456' }, 'AES192')), toHex(deriveKey(new TextEncoder().encode('123456'), 3, 'AES192')));
});

test('every EMRTD_PACE_* code the sources use is catalogued in PACE_ERROR_CODES, with a hint', () => {
  const folder = new URL('.', import.meta.url);
  const used = new Set<string>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    for (const match of readFileSync(new URL(file, folder), 'utf8').matchAll(/'(EMRTD_PACE_[A-Z_]+)'/g)) used.add(match[1]);
  }
  assert.equal([...used].sort(), Object.keys(PACE_ERROR_CODES).sort());
  assert.equal(Object.keys(PACE_ERROR_HINTS).sort(), Object.keys(PACE_ERROR_CODES).sort());
});

test.run();
