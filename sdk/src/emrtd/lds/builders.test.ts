// Builders and parsers of the LDS files against each other, and the parsers on hand-built
// files for the data groups the reference sets lack (DG7, DG11, DG12, EF.CardAccess, 39794-5 faces).
import { test } from 'uvu';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { decodeTlvObject, encodeTlv } from '../codec/ber-tlv.js';
import { concatBytes, fromHex, toHex } from '../codec/bytes.js';
import { isTesseraError } from '../../errors.js';
import { derInteger, derOid, derSequence, derSet, toDer } from './der-writer.js';
import { encodeIso19794Face } from './face-record.js';
import {
  PACE_STANDARD_DOMAIN_PARAMETERS,
  buildDg1,
  buildDg11,
  buildDg12,
  buildDg14,
  buildDg15,
  buildDg2,
  buildEfCom,
  buildSecurityInfos,
  encodeSecurityInfo,
  dataGroupFileId,
  dataGroupFromFileId,
  dataGroupFromTag,
  dataGroupTag,
  encodeLdsSecurityObject,
  parseCardAccess,
  parseDg1,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseDg2,
  parseDg7,
  parseEfCom,
  readImageSize,
  securityInfosOfKind,
  standardDomainParameters,
  type SecurityInfo,
  type SecurityInfoInput,
} from './index.js';

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), `expected a TesseraError, got ${String(error)}`);
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const ascii = (s: string) => new TextEncoder().encode(s);

/** A tiny but well-formed JPEG header: SOI, APP0/JFIF, SOF0 with 640×480. */
const JPEG = fromHex('FFD8 FFE0 0010 4A464946 00 0101 00 0001 0001 0000 FFC0 0011 08 01E0 0280 03 012200 021101 031101 FFD9');
/** A JPEG 2000 codestream start: SOC, SIZ with 300×400. */
const J2K = fromHex('FF4F FF51 0029 0000 0000012C 00000190 00000000 00000000 0000012C 00000190 00000000 00000000 0003 070101 070101 070101 FFD9');

// ---- file identifiers -----------------------------------------------------------------------

test('data-group numbers, tags and file identifiers map both ways', () => {
  assert.is(dataGroupTag(1), 0x61);
  assert.is(dataGroupTag(2), 0x75);
  assert.is(dataGroupTag(14), 0x6e);
  assert.is(dataGroupTag(16), 0x70);
  assert.is(dataGroupTag(17), undefined);
  assert.is(dataGroupFileId(15), 0x010f);
  assert.is(dataGroupFromFileId(0x0110), 16);
  assert.is(dataGroupFromFileId(0x011d), undefined);
  for (let n = 1; n <= 16; n++) assert.is(dataGroupFromTag(dataGroupTag(n)!), n);
});

// ---- EF.COM ---------------------------------------------------------------------------------

test('EF.COM round trip', () => {
  const bytes = buildEfCom({ dataGroups: [1, 2, 14, 15], ldsVersion: '1.8', unicodeVersion: '040000' });
  const com = parseEfCom(bytes);
  assert.is(com.ldsVersionRaw, '0108');
  assert.is(com.unicodeVersion, '4.0.0');
  assert.equal(com.dataGroups, [1, 2, 14, 15]);
  assert.equal(com.tags, [0x61, 0x75, 0x6e, 0x6f]);
});

test('EF.COM builder matches the BSI 2008 file byte for byte', () => {
  assert.is(toHex(buildEfCom({ dataGroups: [1, 2, 3, 14], ldsVersion: '0107', unicodeVersion: '4.0.0' })), '60165F0104303130375F3606303430303030' + '5C0461756' + '36E');
});

test('EF.COM: unknown tags are reported, bad versions and builder input rejected', () => {
  const com = parseEfCom(encodeTlv(0x60, [encodeTlv(0x5f01, ascii('0107')), encodeTlv(0x5f36, ascii('040000')), encodeTlv(0x5c, Uint8Array.of(0x61, 0x99))]));
  assert.equal(com.unknownTags, [0x99]);
  assert.equal(com.dataGroups, [1]);
  throwsCode(() => parseEfCom(encodeTlv(0x60, [encodeTlv(0x5f01, ascii('1.7')), encodeTlv(0x5f36, ascii('040000')), encodeTlv(0x5c, Uint8Array.of(0x61))])), 'EMRTD_LDS_MALFORMED');
  throwsCode(() => parseEfCom(encodeTlv(0x60, [encodeTlv(0x5f01, ascii('0107')), encodeTlv(0x5c, Uint8Array.of(0x61))])), 'EMRTD_LDS_MISSING_FIELD');
  throwsCode(() => buildEfCom({ dataGroups: [0] }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildEfCom({ dataGroups: [1, 1] }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildEfCom({ dataGroups: [1], ldsVersion: 'x' }), 'EMRTD_LDS_BUILD_INVALID');
});

// ---- DG1 ------------------------------------------------------------------------------------

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

test('DG1 round trip for TD3, TD2 and TD1', () => {
  for (const [lines, format] of [
    [TD3, 'TD3'],
    [TD2, 'TD2'],
    [TD1, 'TD1'],
  ] as const) {
    const dg1 = parseDg1(buildDg1(lines));
    assert.is(dg1.format, format);
    assert.equal(dg1.lines, [...lines]);
    assert.ok(dg1.alphabetValid);
  }
  assert.equal(parseDg1(buildDg1(TD3.join('\n'))).lines, TD3);
});

test('DG1: wrong lengths and characters', () => {
  throwsCode(() => parseDg1(encodeTlv(0x61, [encodeTlv(0x5f1f, ascii('P<UTO'))])), 'EMRTD_DG1_INVALID_MRZ');
  throwsCode(() => parseDg1(encodeTlv(0x61, [encodeTlv(0x5f1f, new Uint8Array(88))])), 'EMRTD_DG1_INVALID_MRZ');
  throwsCode(() => parseDg1(encodeTlv(0x61, [encodeTlv(0x5f20, ascii(TD3.join('')))])), 'EMRTD_LDS_MISSING_FIELD');
  const lower = parseDg1(encodeTlv(0x61, [encodeTlv(0x5f1f, ascii(TD3.join('').toLowerCase()))]));
  assert.not.ok(lower.alphabetValid);
  throwsCode(() => buildDg1([TD3[0]]), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg1([TD3[0].toLowerCase(), TD3[1]]), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => parseDg1(buildDg2({ mediaType: 'image/jpeg', data: JPEG, width: 640, height: 480 })), 'EMRTD_LDS_WRONG_TAG');
});

// ---- DG2 ------------------------------------------------------------------------------------

test('DG2 19794-5 round trip: JPEG', () => {
  const dg2 = parseDg2(buildDg2({ mediaType: 'image/jpeg', data: JPEG, width: 640, height: 480 }));
  assert.is(dg2.templates[0].encoding, 'ISO19794-5');
  assert.is(dg2.templates[0].header.formatType, 0x0008);
  const [face] = dg2.images;
  assert.is(face.mediaType, 'image/jpeg');
  assert.is(face.container, 'jpeg');
  assert.is(face.width, 640);
  assert.is(face.height, 480);
  assert.equal(face.imageSize, { width: 640, height: 480 });
  assert.is(toHex(face.data), toHex(JPEG));
  assert.is(face.iso19794?.imageDataType, 0);
  assert.is(face.iso19794?.faceImageType, 1);
});

test('DG2 19794-5 round trip: two faces, JPEG 2000 codestream', () => {
  const dg2 = parseDg2(buildDg2([
    { mediaType: 'image/jp2', data: J2K, width: 300, height: 400, gender: 2 },
    { mediaType: 'image/jpeg', data: JPEG, width: 640, height: 480 },
  ]));
  assert.is(dg2.templates.length, 2);
  assert.is(dg2.images[0].mediaType, 'image/jp2');
  assert.is(dg2.images[0].container, 'j2k');
  assert.equal(dg2.images[0].imageSize, { width: 300, height: 400 });
  assert.is(dg2.images[0].iso19794?.gender, 2);
  assert.is(dg2.images[1].mediaType, 'image/jpeg');
});

test('DG2 39794-5 round trip (7F2E / A1 / [APPLICATION 5])', () => {
  const bytes = buildDg2({ mediaType: 'image/jp2', data: J2K, width: 300, height: 400 }, { encoding: 'ISO39794-5' });
  const dg2 = parseDg2(bytes);
  assert.is(dg2.templates[0].encoding, 'ISO39794-5');
  assert.is(dg2.templates[0].header.formatType, 0x002a);
  const [face] = dg2.images;
  assert.is(face.encoding, 'ISO39794-5');
  assert.is(face.mediaType, 'image/jp2');
  assert.is(face.iso39794FormatCode, 3);
  assert.is(face.width, 300);
  assert.is(face.height, 400);
  assert.is(toHex(face.data), toHex(J2K));
});

test('DG2 39794-5 variants: no [APPLICATION 5] wrapper, under 5F2E, no size block', () => {
  const twoD = encodeTlv(0xa0, [encodeTlv(0x80, JPEG), encodeTlv(0xa1, [encodeTlv(0xa0, [encodeTlv(0x80, Uint8Array.of(2))])])]);
  const rep = encodeTlv(0x30, [encodeTlv(0x80, Uint8Array.of(0)), encodeTlv(0xa1, [encodeTlv(0xa0, [twoD])])]);
  const bare = encodeTlv(0xa1, [encodeTlv(0xa0, [encodeTlv(0x80, Uint8Array.of(3)), encodeTlv(0x81, Uint8Array.of(0x07, 0xe3))]), encodeTlv(0xa1, [rep])]);
  const wrap = (bdb: Uint8Array) => encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x7f60, [encodeTlv(0xa1, [encodeTlv(0x81, Uint8Array.of(2))]), bdb])])]);
  for (const bdb of [encodeTlv(0x7f2e, bare), encodeTlv(0x5f2e, bare)]) {
    const [face] = parseDg2(wrap(bdb)).images;
    assert.is(face.mediaType, 'image/jpeg');
    assert.is(face.iso39794FormatCode, 2);
    // no size block: the size comes from the JPEG's frame header
    assert.is(face.width, 640);
    assert.is(face.height, 480);
  }
  // An unknown format code and unrecognisable bytes: not something to show.
  const png = encodeTlv(0xa0, [encodeTlv(0x80, Uint8Array.of(1, 2, 3, 4)), encodeTlv(0xa1, [encodeTlv(0xa0, [encodeTlv(0x80, Uint8Array.of(5))])])]);
  const pngRep = encodeTlv(0x30, [encodeTlv(0x80, Uint8Array.of(0)), encodeTlv(0xa1, [encodeTlv(0xa0, [png])])]);
  throwsCode(() => parseDg2(wrap(encodeTlv(0x7f2e, encodeTlv(0xa1, [encodeTlv(0xa0, []), encodeTlv(0xa1, [pngRep])])))), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
  throwsCode(() => parseDg2(wrap(encodeTlv(0x7f2e, encodeTlv(0xa1, [encodeTlv(0x30, [])])))), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
  throwsCode(() => parseDg2(wrap(encodeTlv(0x5f2e, ascii('not a face')))), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
});

test('DG2: structural problems in the templates and the 19794-5 record', () => {
  const face = (bdb: Uint8Array, count = 1) => encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(count)), encodeTlv(0x7f60, [encodeTlv(0xa1, []), encodeTlv(0x5f2e, bdb)])])]);
  const fac = (version: string, rest: Uint8Array) => concatBytes(ascii('FAC\0'), ascii(version), rest);
  // count mismatch
  throwsCode(() => parseDg2(face(fac('010\0', new Uint8Array(6)), 2)), 'EMRTD_DG2_MALFORMED');
  // record length beyond the block
  throwsCode(() => parseDg2(face(fac('010\0', fromHex('00010000 0001')))), 'EMRTD_DG2_MALFORMED');
  // zero images
  throwsCode(() => parseDg2(face(fac('010\0', fromHex('0000000E 0000')))), 'EMRTD_DG2_MALFORMED');
  // block length beyond the record
  throwsCode(() => parseDg2(face(fac('010\0', concatBytes(fromHex('0000003A 0001'), fromHex('000000FF'), new Uint8Array(40))))), 'EMRTD_DG2_MALFORMED');
  // 19794-5:2011
  throwsCode(() => parseDg2(face(fac('030\0', new Uint8Array(20)))), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
  // image data type 7
  const record = encodeIso19794Face({ mediaType: 'image/jpeg', data: Uint8Array.of(1, 2, 3), width: 1, height: 1 });
  record[14 + 20 + 1] = 7;
  const bad = face(record);
  throwsCode(() => parseDg2(bad), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
  // no group template, no data block, protected template
  throwsCode(() => parseDg2(encodeTlv(0x75, [encodeTlv(0x02, Uint8Array.of(1))])), 'EMRTD_DG2_MALFORMED');
  throwsCode(() => parseDg2(encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x7f60, [encodeTlv(0xa1, [])])])])), 'EMRTD_DG2_MALFORMED');
  throwsCode(() => parseDg2(encodeTlv(0x75, [encodeTlv(0x7f61, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x7f60, [encodeTlv(0x7d, [encodeTlv(0x85, new Uint8Array(8))])])])])), 'EMRTD_DG2_UNSUPPORTED_FORMAT');
  // builder input
  throwsCode(() => buildDg2({ mediaType: 'image/png' as 'image/jpeg', data: JPEG, width: 1, height: 1 }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg2({ mediaType: 'image/jpeg', data: new Uint8Array(0), width: 1, height: 1 }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg2({ mediaType: 'image/jpeg', data: JPEG, width: 70000, height: 1 }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg2([]), 'EMRTD_LDS_BUILD_INVALID');
});

test('image sizes from JPEG, J2K and JP2 headers; garbage gives undefined', () => {
  assert.equal(readImageSize(JPEG), { width: 640, height: 480 });
  assert.equal(readImageSize(J2K), { width: 300, height: 400 });
  // signature box, then 'jp2h' (30 bytes) holding 'ihdr' (22 bytes): height 100, width 200
  const jp2 = concatBytes(fromHex('0000000C6A5020200D0A870A'), fromHex('0000001E 6A703268 00000016 69686472 00000064 000000C8 0003 07 07 00 00'));
  assert.equal(readImageSize(jp2), { width: 200, height: 100 });
  assert.is(readImageSize(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00)), undefined);
  assert.is(readImageSize(Uint8Array.of(1, 2, 3)), undefined);
});

// ---- DG7, DG11, DG12 ------------------------------------------------------------------------

test('DG11: all personal detail fields, other names, BCD date of an old chip', () => {
  const t = (tag: number, s: string) => encodeTlv(tag, new TextEncoder().encode(s));
  const dg11 = parseDg11(
    encodeTlv(0x6b, [
      encodeTlv(0x5c, fromHex('5F0E 5F10 5F2B 5F11 5F42 5F12 5F13 5F14 5F15 5F17 5F18 A0')),
      t(0x5f0e, 'ERIKSSON<<ANNA<MARIA'),
      encodeTlv(0xa0, [encodeTlv(0x02, Uint8Array.of(2)), t(0x5f0f, 'ERIKSSON<<ANNA'), t(0x5f0f, 'SVENSSON<<ANNA')]),
      t(0x5f10, '123456789'),
      t(0x5f2b, '19740812'),
      t(0x5f11, 'ZENITH'),
      t(0x5f42, '123 MAPLE RD<ANYTOWN<NY'),
      t(0x5f12, '1-555-555-1212'),
      t(0x5f13, 'TRAVEL GUIDE'),
      t(0x5f14, 'DR'),
      t(0x5f15, 'ÅSA <3 UTF-8'),
      encodeTlv(0x5f16, JPEG),
      t(0x5f17, 'ZE184226<ZE184227'),
      t(0x5f18, 'NONE'),
      encodeTlv(0x5f60, Uint8Array.of(1)),
    ]),
  );
  assert.is(dg11.fullName, 'ERIKSSON<<ANNA<MARIA');
  assert.equal(dg11.otherNames, ['ERIKSSON<<ANNA', 'SVENSSON<<ANNA']);
  assert.is(dg11.personalNumber, '123456789');
  assert.is(dg11.fullDateOfBirth, '19740812');
  assert.is(dg11.placeOfBirth, 'ZENITH');
  assert.is(dg11.permanentAddress, '123 MAPLE RD<ANYTOWN<NY');
  assert.is(dg11.telephone, '1-555-555-1212');
  assert.is(dg11.profession, 'TRAVEL GUIDE');
  assert.is(dg11.title, 'DR');
  assert.is(dg11.personalSummary, 'ÅSA <3 UTF-8');
  assert.is(toHex(dg11.proofOfCitizenship!), toHex(JPEG));
  assert.is(dg11.otherValidTdNumbers, 'ZE184226<ZE184227');
  assert.is(dg11.custodyInformation, 'NONE');
  assert.equal(dg11.tagList, [0x5f0e, 0x5f10, 0x5f2b, 0x5f11, 0x5f42, 0x5f12, 0x5f13, 0x5f14, 0x5f15, 0x5f17, 0x5f18, 0xa0]);
  assert.equal(dg11.otherDataObjects, [{ tag: 0x5f60, value: Uint8Array.of(1) }]);
  // LDS 1.6-era BCD date and Latin-1 text
  const old = parseDg11(encodeTlv(0x6b, [encodeTlv(0x5f2b, fromHex('19740812')), encodeTlv(0x5f11, Uint8Array.of(0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e))]));
  assert.is(old.fullDateOfBirth, '19740812');
  assert.is(old.placeOfBirth, 'München');
  throwsCode(() => parseDg11(encodeTlv(0x6b, [encodeTlv(0x5f2b, ascii('1974'))])), 'EMRTD_LDS_MALFORMED');
});

test('DG12: document details and personalisation time', () => {
  const t = (tag: number, s: string) => encodeTlv(tag, new TextEncoder().encode(s));
  const dg12 = parseDg12(
    encodeTlv(0x6c, [
      encodeTlv(0x5c, fromHex('5F19 5F26 5F1B 5F1C 5F55 5F56 A0 5F1D')),
      t(0x5f19, 'UTOPIA PASSPORT OFFICE'),
      t(0x5f26, '20200115'),
      encodeTlv(0xa0, [encodeTlv(0x02, Uint8Array.of(1)), t(0x5f1a, 'ERIKSSON<<OLLE')]),
      t(0x5f1b, 'NONE'),
      t(0x5f1c, 'EXEMPT'),
      encodeTlv(0x5f1d, JPEG),
      t(0x5f55, '20200115143000'),
      t(0x5f56, 'PS-0001'),
    ]),
  );
  assert.is(dg12.issuingAuthority, 'UTOPIA PASSPORT OFFICE');
  assert.is(dg12.dateOfIssue, '20200115');
  assert.equal(dg12.otherPersons, ['ERIKSSON<<OLLE']);
  assert.is(dg12.endorsementsAndObservations, 'NONE');
  assert.is(dg12.taxOrExitRequirements, 'EXEMPT');
  assert.is(toHex(dg12.imageOfFront!), toHex(JPEG));
  assert.is(dg12.imageOfRear, undefined);
  assert.is(dg12.personalizationDateTime, '20200115143000');
  assert.is(dg12.personalizationSystemSerialNumber, 'PS-0001');
  assert.is(parseDg12(encodeTlv(0x6c, [encodeTlv(0x5f55, fromHex('20200115143000'))])).personalizationDateTime, '20200115143000');
});

test('DG7: displayed signature images and count check', () => {
  const dg7 = parseDg7(encodeTlv(0x67, [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x5f43, JPEG)]));
  assert.is(dg7.images.length, 1);
  assert.is(dg7.images[0].container, 'jpeg');
  throwsCode(() => parseDg7(encodeTlv(0x67, [encodeTlv(0x02, Uint8Array.of(2)), encodeTlv(0x5f43, JPEG)])), 'EMRTD_LDS_MALFORMED');
  throwsCode(() => parseDg7(encodeTlv(0x67, [encodeTlv(0x02, Uint8Array.of(0))])), 'EMRTD_LDS_MISSING_FIELD');
});

// ---- SecurityInfos --------------------------------------------------------------------------

test('PACE standardized domain parameters table (9303-11 §9.5.1)', () => {
  assert.equal(PACE_STANDARD_DOMAIN_PARAMETERS.map((p) => p.id), [0, 1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  assert.is(standardDomainParameters(0)?.name, '1024-bit MODP Group with 160-bit Prime Order Subgroup');
  assert.equal([standardDomainParameters(1)?.fieldBits, standardDomainParameters(1)?.orderBits], [2048, 224]);
  assert.equal([standardDomainParameters(2)?.fieldBits, standardDomainParameters(2)?.orderBits], [2048, 256]);
  assert.is(standardDomainParameters(8)?.curveOid, '1.2.840.10045.3.1.1');
  assert.is(standardDomainParameters(12)?.curveOid, '1.2.840.10045.3.1.7');
  assert.is(standardDomainParameters(13)?.curveOid, '1.3.36.3.3.2.8.1.1.7');
  assert.is(standardDomainParameters(15)?.curveOid, '1.3.132.0.34');
  assert.is(standardDomainParameters(18)?.curveOid, '1.3.132.0.35');
  for (const reserved of [3, 4, 5, 6, 7, 19, 31]) assert.is(standardDomainParameters(reserved), undefined);
});

test('EF.CardAccess: the ICAO 9303-11 worked example (ECDH-GM, AES-128, brainpoolP256r1)', () => {
  const { securityInfos } = parseCardAccess(fromHex('3114 3012 060A 04007F00070202040202 0201 02 0201 0D'));
  const [pace] = securityInfosOfKind(securityInfos, 'PACEInfo');
  assert.is(pace.protocol, '0.4.0.127.0.7.2.2.4.2.2');
  assert.is(pace.version, 2);
  assert.is(pace.keyAgreement, 'ECDH');
  assert.is(pace.mapping, 'GM');
  assert.is(pace.cipher, 'AES128');
  assert.is(pace.parameterId, 13);
  assert.is(pace.standardDomainParameters?.name, 'BrainpoolP256r1');
});

test('EF.CardAccess: every PACE mapping and cipher, domain parameter info, unknown protocols', () => {
  const info = (oid: string, ...rest: Uint8Array[]) => derSequence(derOid(oid), ...rest);
  const bytes = derSet(
    info('0.4.0.127.0.7.2.2.4.1.1', derInteger(2), derInteger(0)),
    info('0.4.0.127.0.7.2.2.4.3.4', derInteger(2), derInteger(2)),
    info('0.4.0.127.0.7.2.2.4.4.3', derInteger(2), derInteger(16)),
    info('0.4.0.127.0.7.2.2.4.6.4', derInteger(2), derInteger(18)),
    info('0.4.0.127.0.7.2.2.4.2.4', derInteger(2)),
    info('0.4.0.127.0.7.2.2.4.2', derSequence(derOid('0.4.0.127.0.7.1.2'), derInteger(1)), derInteger(31)),
    info('0.4.0.127.0.7.2.2.6', encodeTlv(0x16, ascii('http://example.test'))),
    info('0.4.0.127.0.7.2.2.4.6.1', derInteger(2)), // CAM with 3DES does not exist
  );
  const infos = parseCardAccess(bytes).securityInfos;
  const pace = securityInfosOfKind(infos, 'PACEInfo');
  assert.equal(pace.map((p) => [p.keyAgreement, p.mapping, p.cipher, p.parameterId ?? null]), [
    ['DH', 'GM', '3DES', 0],
    ['DH', 'IM', 'AES256', 2],
    ['ECDH', 'IM', 'AES192', 16],
    ['ECDH', 'CAM', 'AES256', 18],
    ['ECDH', 'GM', 'AES256', null],
  ]);
  const [dp] = securityInfosOfKind(infos, 'PACEDomainParameterInfo');
  assert.is(dp.mapping, 'GM');
  assert.is(dp.domainParameter.oid, '0.4.0.127.0.7.1.2');
  assert.is(dp.parameterId, 31);
  const others = securityInfosOfKind(infos, 'Other');
  assert.equal(others.map((o) => o.name), ['CardInfoLocator', 'unknown PACE/CA variant']);
});

test('DG14 with CA key ids, domain parameters and Active Authentication info', () => {
  const info = (oid: string, ...rest: Uint8Array[]) => derSequence(derOid(oid), ...rest);
  const spki = derSequence(derSequence(derOid('1.2.840.10045.2.1'), derOid('1.2.840.10045.3.1.7')), encodeTlv(0x03, concatBytes(Uint8Array.of(0, 4), new Uint8Array(64))));
  const dg14 = encodeTlv(0x6e, [
    derSet(
      info('0.4.0.127.0.7.2.2.1.2', spki, derInteger(7)),
      info('0.4.0.127.0.7.2.2.3.2.4', derInteger(2), derInteger(7)),
      info('0.4.0.127.0.7.2.2.3.1', derSequence(derOid('0.4.0.127.0.7.1.2'), derInteger(2)), derInteger(8)),
      info('2.23.136.1.1.5', derInteger(1), derOid('0.4.0.127.0.7.1.1.4.1.3')),
    ),
  ]);
  const { securityInfos } = parseDg14(dg14);
  const [pk] = securityInfosOfKind(securityInfos, 'ChipAuthenticationPublicKeyInfo');
  assert.is(pk.keyId, 7);
  assert.is(pk.publicKey.ec?.curveName, 'P-256');
  assert.not.ok(pk.publicKey.ec?.explicitParameters);
  const [ca] = securityInfosOfKind(securityInfos, 'ChipAuthenticationInfo');
  assert.equal([ca.version, ca.cipher, ca.keyId], [2, 'AES256', 7]);
  const [cadp] = securityInfosOfKind(securityInfos, 'ChipAuthenticationDomainParameterInfo');
  assert.equal([cadp.keyAgreement, cadp.keyId], ['DH', 8]);
  const [aa] = securityInfosOfKind(securityInfos, 'ActiveAuthenticationInfo');
  assert.equal([aa.version, aa.signatureAlgorithmName], [1, 'ecdsa-plain-SHA256']);
  // Missing required fields
  throwsCode(() => parseDg14(encodeTlv(0x6e, [derSet(info('0.4.0.127.0.7.2.2.3.2.1'))])), 'EMRTD_SECURITY_INFOS_MALFORMED');
  throwsCode(() => parseDg14(encodeTlv(0x6e, [derSet(info('2.23.136.1.1.5', derInteger(1)))])), 'EMRTD_SECURITY_INFOS_MALFORMED');
  throwsCode(() => parseDg14(encodeTlv(0x6e, [derSequence()])), 'EMRTD_SECURITY_INFOS_MALFORMED');
});

// ---- LDS security object --------------------------------------------------------------------

test('LDS security object encoding: v0, and v1 with LDS version info', () => {
  const hashes = new Map([[2, new Uint8Array(32).fill(2)], [1, new Uint8Array(32).fill(1)]]);
  const v0 = encodeLdsSecurityObject({ hashAlgorithm: 'SHA-256', dataGroupHashes: hashes });
  assert.ok(toHex(v0).startsWith('30'));
  assert.ok(toHex(v0).includes('020101'));
  const v1 = encodeLdsSecurityObject({ hashAlgorithm: 'SHA-256', dataGroupHashes: hashes, ldsVersionInfo: { ldsVersion: '0108', unicodeVersion: '040000' } });
  assert.ok(toHex(v1).endsWith(toHex(derSequence(encodeTlv(0x13, ascii('0108')), encodeTlv(0x13, ascii('040000'))))));
  throwsCode(() => encodeLdsSecurityObject({ hashAlgorithm: 'SHA-256', dataGroupHashes: new Map([[1, new Uint8Array(20)]]) }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => encodeLdsSecurityObject({ hashAlgorithm: 'MD5' as 'SHA-1', dataGroupHashes: hashes }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => encodeLdsSecurityObject({ hashAlgorithm: 'SHA-256', dataGroupHashes: new Map([[17, new Uint8Array(32)]]) }), 'EMRTD_LDS_BUILD_INVALID');
});

// ---- card-side builders: DG11, DG12, DG14, DG15, EF.CardAccess ---------------------------------

const BSI_DATA = new URL('../../../../../shared/data/', import.meta.url);
const bsiFile = (set: string, name: string) => new Uint8Array(readFileSync(new URL(`${set}/${name}`, BSI_DATA)));

/** The SecurityInfoInput a parsed info was built from (the kinds a chip's DG14 carries). */
function asInput(info: SecurityInfo): SecurityInfoInput {
  switch (info.kind) {
    case 'ChipAuthenticationInfo':
      return { kind: info.kind, protocol: info.protocol, version: info.version, ...(info.keyId !== undefined ? { keyId: info.keyId } : {}) };
    case 'ChipAuthenticationPublicKeyInfo':
      return { kind: info.kind, protocol: info.protocol, subjectPublicKeyInfo: info.publicKey.key, ...(info.keyId !== undefined ? { keyId: info.keyId } : {}) };
    case 'ActiveAuthenticationInfo':
      return { kind: info.kind, version: info.version, signatureAlgorithm: info.signatureAlgorithm };
    case 'PACEInfo':
      return { kind: info.kind, protocol: info.protocol, version: info.version, ...(info.parameterId !== undefined ? { parameterId: info.parameterId } : {}) };
    case 'TerminalAuthenticationInfo':
      return { kind: info.kind, version: info.version, ...(info.efCvca ? { efCvca: info.efCvca } : {}) };
    default:
      throw new Error(`no input form for ${info.kind}`);
  }
}

test('DG14 and DG15 builders reproduce the BSI TR-03105 files (DG14 in DER order) byte for byte', () => {
  for (const set of ['bsi-tr03105-2008', 'bsi-tr03105-2013']) {
    const dg14 = bsiFile(set, 'Datagroup14.bin');
    // The BSI files list the SET OF SecurityInfo unsorted (BER); the builder writes DER, which sorts
    // the elements by their encodings — the same bytes once the file is re-encoded as DER.
    assert.is(toHex(buildDg14(parseDg14(dg14).securityInfos.map(asInput))), toHex(toDer(decodeTlvObject(dg14))), `${set} DG14`);
    const dg15 = bsiFile(set, 'Datagroup15.bin');
    assert.is(toHex(buildDg15(parseDg15(dg15).key)), toHex(dg15), `${set} DG15`);
  }
});

test('EF.CardAccess builder reproduces the ICAO 9303-11 worked example', () => {
  const example = fromHex('3114 3012 060A 04007F00070202040202 0201 02 0201 0D');
  assert.is(toHex(buildSecurityInfos([{ kind: 'PACEInfo', protocol: '0.4.0.127.0.7.2.2.4.2.2', version: 2, parameterId: 13 }])), toHex(example));
});

test('security info builders refuse what no chip may state', () => {
  throwsCode(() => buildSecurityInfos([]), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg14([{ kind: 'ChipAuthenticationPublicKeyInfo', protocol: '0.4.0.127.0.7.2.2.1.2', subjectPublicKeyInfo: Uint8Array.of(4, 0) }]), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => encodeSecurityInfo({ kind: 'ChipAuthenticationDomainParameterInfo' } as unknown as SecurityInfoInput), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg14([{ kind: 'ChipAuthenticationInfo', protocol: 'not.an.oid', version: 1 }]), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg15(Uint8Array.of(0x02, 0x01, 0x00)), 'EMRTD_LDS_BUILD_INVALID');
});

test('DG11 and DG12 builders round-trip through the parsers, with a tag list of what is present', () => {
  const dg11 = parseDg11(buildDg11({ fullName: 'HAPPY<<JOHN<DOE', fullDateOfBirth: '19740812', placeOfBirth: 'ZÜRICH', telephone: '+41 1 234' }));
  assert.is(dg11.fullName, 'HAPPY<<JOHN<DOE');
  assert.is(dg11.fullDateOfBirth, '19740812');
  assert.is(dg11.placeOfBirth, 'ZÜRICH');
  assert.is(dg11.telephone, '+41 1 234');
  assert.equal(dg11.tagList, [0x5f0e, 0x5f11, 0x5f12, 0x5f2b]);
  const front = Uint8Array.of(0xff, 0xd8, 0xff, 0xd9);
  const dg12 = parseDg12(buildDg12({ issuingAuthority: 'UTOPIA', dateOfIssue: '20200101', personalizationDateTime: '20200101120000', imageOfFront: front }));
  assert.is(dg12.issuingAuthority, 'UTOPIA');
  assert.is(dg12.dateOfIssue, '20200101');
  assert.is(dg12.personalizationDateTime, '20200101120000');
  assert.equal(dg12.imageOfFront, front);
});

test('DG11 and DG12 builders refuse unknown fields, malformed dates and wrong value types', () => {
  throwsCode(() => buildDg11({ nickname: 'JOE' } as never), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg11({ fullDateOfBirth: '1974-08-12' }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg12({ personalizationDateTime: '20200101' }), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg12({ imageOfFront: 'not bytes' } as never), 'EMRTD_LDS_BUILD_INVALID');
  throwsCode(() => buildDg11({ fullName: new Uint8Array(2) } as never), 'EMRTD_LDS_BUILD_INVALID');
});

test.run();
