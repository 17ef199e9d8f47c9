// The LDS parsers against real reference data: the BSI TR-03105 eMRTD sets of 2008 and 2013 and
// the Netherlands' CSCA master list of 2021-12-07 (read from ../shared/data, never copied here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toHex } from '../codec/bytes.js';
import {
  parseDg1,
  parseDg14,
  parseDg15,
  parseDg2,
  parseEfCom,
  parseMasterList,
  parsePublicKeyInfo,
  parseSod,
  readCertificateInfo,
  securityInfosOfKind,
  type Sod,
} from './index.js';

/** pkijs' reading of a ContentInfo with SignedData: the cross-check of the SDK's own CMS reader. */
function readWithPkijs(contentInfo: Uint8Array): pkijs.SignedData {
  const asn = asn1js.fromBER(contentInfo, { maxNodes: Math.max(10_000, contentInfo.length) });
  assert.is.not(asn.offset, -1, 'asn1js decodes the ContentInfo');
  return new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn.result }).content });
}

const DATA = new URL('../../../../../shared/data/', import.meta.url);

function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, DATA)));
}

const sets = {
  2008: (f: string) => read(`bsi-tr03105-2008/${f}`),
  2013: (f: string) => read(`bsi-tr03105-2013/${f}`),
};

const sha = (alg: string, bytes: Uint8Array) => toHex(createHash(alg).update(bytes).digest());

const JP2_SIGNATURE = '0000000C6A5020200D0A870A';
const J2K_SIGNATURE = 'FF4FFF51';

test('the reference data is where the tests expect it', () => {
  assert.ok(existsSync(new URL('README.md', DATA)), `expected ${DATA.pathname}README.md`);
});

// ---- EF.COM ---------------------------------------------------------------------------------

test('EF.COM 2008: LDS 1.7, Unicode 4.0.0, DG1 DG2 DG3 DG14', () => {
  const com = parseEfCom(sets[2008]('EF_COM.bin'));
  assert.is(com.ldsVersion, '1.7');
  assert.is(com.ldsVersionRaw, '0107');
  assert.is(com.unicodeVersion, '4.0.0');
  assert.equal(com.tags, [0x61, 0x75, 0x63, 0x6e]);
  assert.equal(com.dataGroups, [1, 2, 3, 14]);
  assert.equal(com.unknownTags, []);
});

test('EF.COM 2013: DG1 DG2 DG3 DG4 DG14', () => {
  const com = parseEfCom(sets[2013]('EF_COM.bin'));
  assert.is(com.ldsVersion, '1.7');
  assert.equal(com.dataGroups, [1, 2, 3, 4, 14]);
});

for (const year of [2008, 2013] as const) {
  test(`EF.COM ${year}: every listed data group has a file, and the list equals the SOD's hash list`, () => {
    const com = parseEfCom(sets[year]('EF_COM.bin'));
    for (const dg of com.dataGroups) assert.ok(existsSync(new URL(`bsi-tr03105-${year}/Datagroup${dg}.bin`, DATA)), `DG${dg}`);
    const sod = parseSod(sets[year]('EF_SOD.bin'));
    assert.equal([...sod.lds.dataGroupHashes.keys()].sort((a, b) => a - b), [...com.dataGroups].sort((a, b) => a - b));
    // Quirk of the reference sets: DG15 (and in 2008 also DG4) files exist but neither EF.COM nor EF.SOD lists them.
    assert.not.ok(com.dataGroups.includes(15));
    assert.ok(existsSync(new URL(`bsi-tr03105-${year}/Datagroup15.bin`, DATA)));
  });
}

// ---- DG1 ------------------------------------------------------------------------------------

test('DG1 2008: TD3 MRZ of Erika Mustermann, expiry 2013-10-31', () => {
  const dg1 = parseDg1(sets[2008]('Datagroup1.bin'));
  assert.is(dg1.format, 'TD3');
  assert.ok(dg1.alphabetValid);
  assert.equal(dg1.lines, ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C11T002JM4D<<9608122F1310317<<<<<<<<<<<<<<<6']);
});

test('DG1 2013: same holder, expiry 2023-10-31', () => {
  const dg1 = parseDg1(sets[2013]('Datagroup1.bin'));
  assert.equal(dg1.lines, ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4']);
});

// ---- DG2 ------------------------------------------------------------------------------------

for (const year of [2008, 2013] as const) {
  test(`DG2 ${year}: one ISO/IEC 19794-5 face, JPEG 2000 (JP2 file), header 337×449, image 413×531`, () => {
    const dg2 = parseDg2(sets[year]('Datagroup2.bin'));
    assert.is(dg2.templates.length, 1);
    const t = dg2.templates[0];
    assert.is(t.encoding, 'ISO19794-5');
    assert.is(t.header.biometricType, 2);
    assert.is(t.header.formatOwner, 0x0101);
    assert.is(t.header.formatType, 0x0008);
    assert.is(dg2.images.length, 1);
    const face = dg2.images[0];
    assert.is(face.mediaType, 'image/jp2');
    assert.is(face.declaredMediaType, 'image/jp2');
    assert.is(face.container, 'jp2');
    assert.is(face.iso19794?.imageDataType, 1);
    assert.is(face.iso19794?.faceImageType, 1);
    assert.is(face.width, 337);
    assert.is(face.height, 449);
    // The record header and the JPEG 2000 headers (ihdr and SIZ) disagree in the reference file.
    assert.equal(face.imageSize, { width: 413, height: 531 });
    assert.is(face.data.length, 14999);
    const head = toHex(face.data.subarray(0, 12));
    assert.ok(head === JP2_SIGNATURE || head.startsWith(J2K_SIGNATURE), head);
    assert.ok(head === JP2_SIGNATURE);
  });
}

// ---- DG14 / DG15 ----------------------------------------------------------------------------

for (const year of [2008, 2013] as const) {
  test(`DG14 ${year}: CA public key (ECDH, explicit brainpoolP224r1), CA info 3DES v1, TA v1`, () => {
    const { securityInfos } = parseDg14(sets[year]('Datagroup14.bin'));
    assert.equal(
      securityInfos.map((i) => i.kind),
      ['ChipAuthenticationPublicKeyInfo', 'ChipAuthenticationInfo', 'TerminalAuthenticationInfo'],
    );
    const [pk] = securityInfosOfKind(securityInfos, 'ChipAuthenticationPublicKeyInfo');
    assert.is(pk.protocol, '0.4.0.127.0.7.2.2.1.2');
    assert.is(pk.keyAgreement, 'ECDH');
    assert.is(pk.keyId, undefined);
    assert.is(pk.publicKey.algorithm, 'EC');
    assert.ok(pk.publicKey.ec?.explicitParameters);
    assert.is(pk.publicKey.ec?.curveName, 'brainpoolP224r1');
    assert.is(pk.publicKey.ec?.curveOid, '1.3.36.3.3.2.8.1.1.5');
    assert.is(pk.publicKey.ec?.fieldBits, 224);
    assert.is(toHex(pk.publicKey.ec!.parameters!.prime), 'D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF');
    assert.is(pk.publicKey.ec?.publicPoint.length, 57);
    assert.is(pk.publicKey.ec?.publicPoint[0], 0x04);
    const [ca] = securityInfosOfKind(securityInfos, 'ChipAuthenticationInfo');
    assert.is(ca.protocol, '0.4.0.127.0.7.2.2.3.2.1');
    assert.is(ca.version, 1);
    assert.is(ca.keyAgreement, 'ECDH');
    assert.is(ca.cipher, '3DES');
    const [ta] = securityInfosOfKind(securityInfos, 'TerminalAuthenticationInfo');
    assert.is(ta.version, 1);
  });
}

test('DG14 2013: the CA public key equals the set’s DG14_pk.bin', () => {
  const [pk] = securityInfosOfKind(parseDg14(sets[2013]('Datagroup14.bin')).securityInfos, 'ChipAuthenticationPublicKeyInfo');
  assert.is(toHex(pk.publicKey.key), toHex(sets[2013]('DG14_pk.bin')));
});

test('DG15 2008: RSA-1024, modulus encoded without its sign byte', () => {
  const dg15 = parseDg15(sets[2008]('Datagroup15.bin'));
  assert.is(dg15.algorithm, 'RSA');
  assert.is(dg15.algorithmOid, '1.2.840.113549.1.1.1');
  assert.is(dg15.rsa?.bits, 1024);
  assert.is(toHex(dg15.rsa!.publicExponent), '010001');
  assert.ok(dg15.rsa?.modulusMissingSignByte);
});

test('DG15 2013: RSA-1024, the key equals DG15_pk.bin', () => {
  const dg15 = parseDg15(sets[2013]('Datagroup15.bin'));
  assert.is(dg15.algorithm, 'RSA');
  assert.is(dg15.rsa?.bits, 1024);
  assert.is(dg15.rsa?.modulusMissingSignByte, undefined);
  assert.is(toHex(dg15.key), toHex(sets[2013]('DG15_pk.bin')));
});

test('DG14_pk.bin read alone as a SubjectPublicKeyInfo', () => {
  const pk = parsePublicKeyInfo(sets[2013]('DG14_pk.bin'), { file: 'DG14_pk.bin', code: 'EMRTD_SECURITY_INFOS_MALFORMED' });
  assert.is(pk.ec?.curveName, 'brainpoolP224r1');
});

// ---- EF.SOD ---------------------------------------------------------------------------------

function checkHashesAgainstFiles(sod: Sod, year: 2008 | 2013, nodeHash: string): void {
  for (const [dg, digest] of sod.lds.dataGroupHashes) {
    assert.is(toHex(digest), sha(nodeHash, sets[year](`Datagroup${dg}.bin`)), `DG${dg}`);
  }
}

test('EF.SOD 2008: SHA-1 data-group hashes match the files; ECDSA with SHA-1', () => {
  const sod = parseSod(sets[2008]('EF_SOD.bin'));
  assert.is(sod.lds.version, 0);
  assert.is(sod.lds.hashAlgorithm, 'SHA-1');
  assert.is(sod.lds.ldsVersionInfo, undefined);
  assert.equal([...sod.lds.dataGroupHashes.keys()], [1, 2, 3, 14]);
  checkHashesAgainstFiles(sod, 2008, 'sha1');
  assert.is(sod.eContentType, '2.23.136.1.1.1');
  assert.is(sod.version, 3);
  assert.equal(sod.digestAlgorithms.map((d) => d.hash), ['SHA-1']);
  assert.is(sod.certificates.length, 1);
  assert.is(sod.signerInfos.length, 1);
  const si = sod.signerInfos[0];
  assert.is(si.version, 1);
  assert.is(si.digestAlgorithm.hash, 'SHA-1');
  assert.is(si.signatureAlgorithm.oid, '1.2.840.10045.4.1');
  assert.is(si.signatureAlgorithm.name, 'ecdsa-with-SHA1');
  assert.is(si.signatureAlgorithm.family, 'ECDSA');
  assert.is(si.signatureAlgorithm.hash, 'SHA-1');
  // This issuer wrote an explicit NULL after ecdsa-with-SHA1 (RFC 5758 says absent); kept as sent.
  assert.is(toHex(si.signatureAlgorithm.parameters!), '0500');
  assert.is(si.sid.type, 'issuerAndSerialNumber');
  if (si.sid.type === 'issuerAndSerialNumber') {
    assert.is(si.sid.issuer, 'CN=CSCA BDR TEST 19.09.07');
    assert.is(si.sid.serialNumberHex, '1267');
  }
  assert.is(si.signedAttributes?.contentType, '2.23.136.1.1.1');
  assert.is(toHex(si.signedAttributes!.messageDigest!), sha('sha1', sod.eContent));
  assert.is(si.signedAttributes!.der[0], 0x31);
  assert.is(si.signature[0], 0x30); // DER Ecdsa-Sig-Value
});

test('EF.SOD 2013: SHA-256 hashes, the three known values, RSASSA-PSS with SHA-256 / MGF1-SHA-256 / salt 32', () => {
  const sod = parseSod(sets[2013]('EF_SOD.bin'));
  assert.is(sod.lds.hashAlgorithm, 'SHA-256');
  assert.is(sod.lds.hashAlgorithmOid, '2.16.840.1.101.3.4.2.1');
  assert.equal([...sod.lds.dataGroupHashes.keys()], [1, 2, 3, 14, 4]);
  checkHashesAgainstFiles(sod, 2013, 'sha256');
  assert.is(toHex(sod.lds.dataGroupHashes.get(1)!), '4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6');
  assert.is(toHex(sod.lds.dataGroupHashes.get(2)!), 'A9A1B09DFD598087AB3FCE4AE2EC65B1A1525BD258BFC27DF4419F8A65E54745');
  assert.is(toHex(sod.lds.dataGroupHashes.get(14)!), 'CF5004FFCCD64E1A8BD3A42FD53814EC3D4481640BE1906D0ECFEB016EF6A6AE');
  const si = sod.signerInfos[0];
  assert.is(si.digestAlgorithm.hash, 'SHA-256');
  assert.is(si.signatureAlgorithm.oid, '1.2.840.113549.1.1.10');
  assert.is(si.signatureAlgorithm.family, 'RSA-PSS');
  assert.is(si.signatureAlgorithm.hash, 'SHA-256');
  assert.equal(si.signatureAlgorithm.pss, { hash: 'SHA-256', maskGenAlgorithm: '1.2.840.113549.1.1.8', maskGenHash: 'SHA-256', saltLength: 32, trailerField: 1 });
  assert.is(si.signature.length, 256);
  assert.is(toHex(si.signedAttributes!.messageDigest!), sha('sha256', sod.eContent));
  if (si.sid.type === 'issuerAndSerialNumber') assert.is(si.sid.issuer, 'C=DE, O=HJP Consulting, OU=Country Signer, CN=HJP PB CS');
  else assert.unreachable('issuerAndSerialNumber expected');
});

test('EF.SOD 2013: the embedded DSC is "HJP PB DS", matches the sid, and pkijs agrees', () => {
  const sod = parseSod(sets[2013]('EF_SOD.bin'));
  const dsc = readCertificateInfo(sod.certificates[0]);
  assert.is(dsc.subject, 'C=DE, O=HJP Consulting, OU=Document Signer, CN=HJP PB DS');
  assert.is(dsc.issuer, 'C=DE, O=HJP Consulting, OU=Country Signer, CN=HJP PB CS');
  assert.is(dsc.signatureAlgorithm.family, 'RSA-PSS');
  const si = sod.signerInfos[0];
  assert.ok(si.sid.type === 'issuerAndSerialNumber' && toHex(si.sid.issuerDer) === toHex(dsc.issuerDer) && toHex(si.sid.serialNumber) === toHex(dsc.serialNumber));
  assert.is(toHex(parsePublicKeyInfo(dsc.subjectPublicKeyInfo, { file: 'DSC', code: 'EMRTD_CERTIFICATE_MALFORMED' }).rsa!.modulus).length, 512);
  // An independent reading (pkijs) of the same structure agrees.
  const byPkijs = readWithPkijs(sod.contentInfoDer);
  assert.is(byPkijs.encapContentInfo.eContentType, sod.eContentType);
  assert.is(byPkijs.signerInfos.length, sod.signerInfos.length);
  assert.is(byPkijs.certificates?.length, sod.certificates.length);
  assert.is(byPkijs.signerInfos[0].signatureAlgorithm.algorithmId, si.signatureAlgorithm.oid);
  assert.is(toHex(byPkijs.signerInfos[0].signature.valueBlock.valueHexView), toHex(si.signature));
});

test('EF.SOD 2008: the DSC carries explicit EC parameters (brainpoolP224r1)', () => {
  const sod = parseSod(sets[2008]('EF_SOD.bin'));
  const dsc = readCertificateInfo(sod.certificates[0]);
  assert.is(dsc.issuer, 'CN=CSCA BDR TEST 19.09.07');
  const key = parsePublicKeyInfo(dsc.subjectPublicKeyInfo, { file: 'DSC', code: 'EMRTD_CERTIFICATE_MALFORMED' });
  assert.ok(key.ec?.explicitParameters);
  assert.is(key.ec?.curveName, 'brainpoolP224r1');
});

// ---- master list ----------------------------------------------------------------------------

test('NL master list 2021-12-07: 306 CSCA certificates, one signer, all readable', () => {
  const ml = parseMasterList(read('trust/NL_MASTERLIST_20211207.mls'));
  assert.is(ml.eContentType, '2.23.136.1.1.2');
  assert.is(ml.version, 0);
  assert.is(ml.certificates.length, 306);
  assert.is(ml.signerCertificates.length, 1);
  assert.is(ml.signerInfos.length, 1);
  const si = ml.signerInfos[0];
  assert.is(si.sid.type, 'subjectKeyIdentifier');
  assert.is(si.signatureAlgorithm.name, 'sha256WithRSAEncryption');
  assert.ok(si.signedAttributes?.signingTime instanceof Date);
  assert.is(si.signedAttributes!.signingTime!.toISOString(), '2021-12-07T11:26:15.000Z');
  const signer = readCertificateInfo(ml.signerCertificates[0]);
  assert.ok(signer.subject.includes('CN=Masterlist Signer NL'));
  assert.ok(si.sid.type === 'subjectKeyIdentifier' && toHex(si.sid.keyIdentifier) === toHex(signer.subjectKeyIdentifier!));
  assert.ok(signer.extensions.some((e) => e.oid === '2.5.29.37'));
  const countries = new Set<string>();
  for (const der of ml.certificates) {
    const info = readCertificateInfo(der);
    const c = /(?:^|, )C=([A-Za-z]{2})/.exec(info.subject);
    if (c) countries.add(c[1].toUpperCase());
  }
  assert.ok(countries.size > 50, `${countries.size} countries`);
  assert.ok(countries.has('NL'));
  assert.is(readWithPkijs(ml.contentInfoDer).certificates?.length, ml.signerCertificates.length);
});

test.run();
