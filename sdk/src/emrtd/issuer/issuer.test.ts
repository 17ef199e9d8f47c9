// The test PKI end to end: CSCA → DSC → EF.SOD over DG1/DG2 built with the LDS builders, parsed
// back with parseSod and verified with node:crypto exactly as Passive Authentication will; master
// lists and CRLs read back with the LDS parser and pkijs.
import 'reflect-metadata';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { constants, createHash, createPublicKey, verify, webcrypto } from 'node:crypto';
import { isTesseraError } from '../../errors.js';
import { toHex } from '../codec/bytes.js';
import { derInteger, derOid, derSequence, derSet } from '../lds/der-writer.js';
import {
  buildDg1,
  buildDg2,
  buildEfCom,
  hashByName,
  parseCardSecurity,
  parseDg1,
  parseDg2,
  parseMasterList,
  parseSod,
  readCertificateInfo,
  securityInfosOfKind,
  type HashAlgorithmName,
  type Sod,
} from '../lds/index.js';
import {
  buildMasterList,
  buildSignedData,
  createCaCertificate,
  createCrl,
  createDocumentSigner,
  createMasterListSigner,
  createTestCsca,
  loadTestCertificate,
  signSod,
  type TestCertificate,
} from './index.js';

async function rejectsCode(fn: () => Promise<unknown>, code: string): Promise<void> {
  try {
    await fn();
  } catch (error) {
    assert.ok(isTesseraError(error), `expected a TesseraError, got ${String(error)}`);
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x18, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9);
const DG1 = buildDg1(TD3);
const DG2 = buildDg2({ mediaType: 'image/jpeg', data: JPEG, width: 24, height: 32 });

/**
 * What Passive Authentication does with parseSod's output: the signed attributes' message digest
 * is the hash of eContent, and the signature over signedAttributes.der verifies with the DSC key.
 */
function verifySodSignature(sod: Sod, dscDer: Uint8Array): boolean {
  const si = sod.signerInfos[0];
  const digest = hashByName(si.digestAlgorithm.hash!)!;
  assert.is(toHex(si.signedAttributes!.messageDigest!), toHex(createHash(digest.nodeName).update(sod.eContent).digest()));
  const key = createPublicKey({ key: Buffer.from(readCertificateInfo(dscDer).subjectPublicKeyInfo), format: 'der', type: 'spki' });
  const hash = hashByName(si.signatureAlgorithm.hash ?? si.digestAlgorithm.hash!)!.nodeName;
  const data = si.signedAttributes!.der;
  switch (si.signatureAlgorithm.family) {
    case 'ECDSA':
      return verify(hash, data, { key, dsaEncoding: 'der' }, si.signature);
    case 'RSA-PSS':
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: si.signatureAlgorithm.pss!.saltLength }, si.signature);
    case 'RSA-PKCS1':
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, si.signature);
    default:
      return false;
  }
}

async function verifiesUnder(child: TestCertificate, issuer: TestCertificate): Promise<boolean> {
  return child.certificate.verify({ publicKey: issuer.certificate.publicKey, signatureOnly: true }, webcrypto as unknown as Crypto);
}

// ---- the everyday path -----------------------------------------------------------------------

test('PKI (P-256) + DSC + SOD over DG1/DG2, parsed back with matching hashes', async () => {
  const csca = await createTestCsca({ country: 'UT', commonName: 'CSCA Utopia', organization: 'Utopia Passport Office' });
  const dsc = await createDocumentSigner(csca, { commonName: 'DS Utopia 1' });
  const sodBytes = await signSod({ dsc, dscKey: dsc.keys.privateKey, hashAlgorithm: 'SHA-256', dataGroups: new Map([[1, DG1], [2, DG2]]), signatureAlgorithm: 'ECDSA' });
  assert.is(sodBytes[0], 0x77);
  const sod = parseSod(sodBytes);
  assert.is(sod.lds.version, 0);
  assert.is(sod.lds.hashAlgorithm, 'SHA-256');
  assert.equal([...sod.lds.dataGroupHashes.keys()], [1, 2]);
  assert.is(toHex(sod.lds.dataGroupHashes.get(1)!), toHex(createHash('sha256').update(DG1).digest()));
  assert.is(toHex(sod.lds.dataGroupHashes.get(2)!), toHex(createHash('sha256').update(DG2).digest()));
  const si = sod.signerInfos[0];
  assert.is(si.version, 1);
  assert.is(si.signatureAlgorithm.name, 'ecdsa-with-SHA256');
  assert.is(si.signatureAlgorithm.parameters, undefined);
  assert.is(si.signedAttributes?.contentType, '2.23.136.1.1.1');
  assert.is(sod.certificates.length, 1);
  assert.is(toHex(sod.certificates[0]), toHex(dsc.der));
  const cert = readCertificateInfo(dsc.der);
  assert.ok(si.sid.type === 'issuerAndSerialNumber' && toHex(si.sid.issuerDer) === toHex(cert.issuerDer) && toHex(si.sid.serialNumber) === toHex(cert.serialNumber));
  assert.ok(verifySodSignature(sod, dsc.der));
  assert.ok(await verifiesUnder(dsc, csca));
  assert.ok(await verifiesUnder(csca, csca));
  // and the data groups themselves read back
  assert.equal(parseDg1(DG1).lines, TD3);
  assert.is(parseDg2(DG2).images[0].width, 24);
});

test('certificate profiles: CSCA, Document Signer, Master List Signer', async () => {
  const csca = await createTestCsca({ country: 'UT', commonName: 'CSCA Utopia' });
  const dsc = await createDocumentSigner(csca, { documentTypes: ['P', 'ID'] });
  const mls = await createMasterListSigner(csca);

  const c = readCertificateInfo(csca.der);
  assert.is(c.version, 3);
  assert.is(c.subject, 'C=UT, CN=CSCA Utopia');
  assert.is(toHex(c.subjectDer), toHex(c.issuerDer));
  assert.ok(toHex(c.subjectDer).includes('1302' + '5554')); // C as PrintableString 'UT'
  assert.is(c.serialNumber[0] & 0x80, 0);
  const ext = (info: typeof c, oid: string) => info.extensions.find((e) => e.oid === oid);
  assert.equal(ext(c, '2.5.29.19')?.critical, true);
  assert.is(toHex(ext(c, '2.5.29.19')!.value), '30060101FF020100'); // CA, pathLen 0
  assert.equal(ext(c, '2.5.29.15')?.critical, true);
  assert.is(toHex(ext(c, '2.5.29.15')!.value), '03020106'); // keyCertSign + cRLSign
  assert.is(toHex(c.subjectKeyIdentifier!), toHex(csca.subjectKeyIdentifier));
  assert.is(toHex(c.authorityKeyIdentifier!), toHex(c.subjectKeyIdentifier!));
  assert.ok(ext(c, '2.5.29.16'));

  const d = readCertificateInfo(dsc.der);
  assert.is(toHex(d.issuerDer), toHex(c.subjectDer));
  assert.is(d.subject, 'C=UT, CN=DS UT TEST');
  assert.is(toHex(ext(d, '2.5.29.15')!.value), '03020780'); // digitalSignature
  assert.ok(ext(d, '2.5.29.15')!.critical);
  assert.is(ext(d, '2.5.29.19'), undefined);
  assert.is(toHex(d.authorityKeyIdentifier!), toHex(csca.subjectKeyIdentifier));
  assert.ok(d.subjectKeyIdentifier && toHex(d.subjectKeyIdentifier) !== toHex(csca.subjectKeyIdentifier));
  // DocumentTypeListSyntax { v0, { 'ID', 'P' } } in DER order
  assert.is(toHex(ext(d, '2.23.136.1.1.6.2')!.value), toHex(derSequence(derInteger(0), derSet(Uint8Array.of(0x13, 1, 0x50), Uint8Array.of(0x13, 2, 0x49, 0x44)))));

  const m = readCertificateInfo(mls.der);
  assert.is(toHex(ext(m, '2.5.29.37')!.value), '3008' + '0606678108010103');
  assert.ok(ext(m, '2.5.29.37')!.critical);
  assert.ok(await verifiesUnder(mls, csca));
});

test('CA certificates for an existing key: a link certificate, a re-issue, and rule-breaking legacy ones', async () => {
  const oldCsca = await createTestCsca({ country: 'UT', commonName: 'CSCA Utopia' });
  const newCsca = await createTestCsca({ country: 'UT', commonName: 'CSCA Utopia' });
  const ext = (info: ReturnType<typeof readCertificateInfo>, oid: string) => info.extensions.find((e) => e.oid === oid);
  const n = readCertificateInfo(newCsca.der);
  const o = readCertificateInfo(oldCsca.der);

  // Link: the new key, under the new name, issued and signed by the old CSCA.
  const link = readCertificateInfo(await createCaCertificate({ subject: newCsca, issuer: oldCsca, serialNumber: '42' }));
  assert.is(toHex(link.subjectDer), toHex(n.subjectDer));
  assert.is(toHex(link.issuerDer), toHex(o.subjectDer));
  assert.is(toHex(link.subjectPublicKeyInfo), toHex(n.subjectPublicKeyInfo));
  assert.is(toHex(link.subjectKeyIdentifier!), toHex(newCsca.subjectKeyIdentifier));
  assert.is(toHex(link.authorityKeyIdentifier!), toHex(oldCsca.subjectKeyIdentifier));
  assert.is(toHex(link.serialNumber), '42');
  assert.is(toHex(ext(link, '2.5.29.19')!.value), '30060101FF020100');
  const oldKey = createPublicKey({ key: Buffer.from(o.subjectPublicKeyInfo), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', link.tbsCertificate, oldKey, link.signature), 'signed with the old key');

  // Re-issue: same name and key, other dates, self-signed.
  const reissue = readCertificateInfo(await createCaCertificate({ subject: oldCsca, validity: { notBefore: new Date('2000-01-01'), notAfter: new Date('2005-01-01') } }));
  assert.is(toHex(reissue.issuerDer), toHex(o.subjectDer));
  assert.is(reissue.notAfter.toISOString(), '2005-01-01T00:00:00.000Z');
  assert.ok(verify('sha256', reissue.tbsCertificate, oldKey, reissue.signature));

  // Legacy: another name for the key, no basic constraints; and a CA certificate without keyCertSign.
  const legacy = readCertificateInfo(await createCaCertificate({ subject: oldCsca, subjectName: 'CN=CSCA XX LEGACY', basicConstraints: false }));
  assert.is(legacy.subject, 'CN=CSCA XX LEGACY');
  assert.is(legacy.issuer, 'CN=CSCA XX LEGACY');
  assert.is(ext(legacy, '2.5.29.19'), undefined);
  const signOnly = readCertificateInfo(await createCaCertificate({ subject: oldCsca, keyUsage: ['digitalSignature'] }));
  assert.is(toHex(ext(signOnly, '2.5.29.15')!.value), '03020780');
  try {
    await createCaCertificate({ subject: oldCsca, keyUsage: [] });
    assert.unreachable('an empty key usage was accepted');
  } catch (error) {
    assert.ok(isTesseraError(error));
    assert.is((error as { code: string }).code, 'EMRTD_ISSUER_OPTIONS_INVALID');
  }
});

test('validity and serial number options are honoured', async () => {
  const notBefore = new Date('2020-01-01T00:00:00Z');
  const notAfter = new Date('2035-01-01T00:00:00Z');
  const csca = await createTestCsca({ country: 'UT', validity: { notBefore, notAfter }, serialNumber: '8001' });
  const info = readCertificateInfo(csca.der);
  assert.is(info.notBefore.toISOString(), notBefore.toISOString());
  assert.is(info.notAfter.toISOString(), notAfter.toISOString());
  assert.is(toHex(info.serialNumber), '008001');
});

// ---- other algorithms ------------------------------------------------------------------------

for (const [label, keyAlgorithm, scheme] of [
  ['RSA-2048 with RSASSA-PSS', 'RSA-2048', 'RSA-PSS'],
  ['RSA-2048 with PKCS #1 v1.5', 'RSA-2048', 'RSA-PKCS1'],
] as const) {
  test(`${label}: certificates and SOD verify; PSS parameters read back`, async () => {
    const csca = await createTestCsca({ country: 'UT', keyAlgorithm, rsaSignatureScheme: scheme });
    const dsc = await createDocumentSigner(csca, { keyAlgorithm, rsaSignatureScheme: scheme });
    assert.ok(await verifiesUnder(dsc, csca));
    const sod = parseSod(await signSod({ dsc, dataGroups: new Map([[1, DG1], [2, DG2]]) }));
    const si = sod.signerInfos[0];
    if (scheme === 'RSA-PSS') {
      assert.is(si.signatureAlgorithm.oid, '1.2.840.113549.1.1.10');
      assert.equal(si.signatureAlgorithm.pss, { hash: 'SHA-256', maskGenAlgorithm: '1.2.840.113549.1.1.8', maskGenHash: 'SHA-256', saltLength: 32, trailerField: 1 });
      assert.is(readCertificateInfo(dsc.der).signatureAlgorithm.family, 'RSA-PSS');
    } else {
      assert.is(si.signatureAlgorithm.name, 'sha256WithRSAEncryption');
      assert.is(toHex(si.signatureAlgorithm.parameters!), '0500');
    }
    assert.ok(verifySodSignature(sod, dsc.der));
  });
}

for (const hash of ['SHA-1', 'SHA-224', 'SHA-384', 'SHA-512'] as HashAlgorithmName[]) {
  test(`SOD with ${hash} data-group hashes and signature`, async () => {
    const csca = await createTestCsca({ country: 'UT' });
    const dsc = await createDocumentSigner(csca, { keyAlgorithm: 'ECDSA-P384' });
    const sod = parseSod(await signSod({ dsc, hashAlgorithm: hash, dataGroups: new Map([[1, DG1], [2, DG2]]) }));
    assert.is(sod.lds.hashAlgorithm, hash);
    assert.is(sod.signerInfos[0].signatureAlgorithm.hash, hash);
    assert.is(toHex(sod.lds.dataGroupHashes.get(2)!), toHex(createHash(hashByName(hash)!.nodeName).update(DG2).digest()));
    assert.ok(verifySodSignature(sod, dsc.der));
  });
}

test('SOD options: LDS 1.8 version info, subjectKeyIdentifier sid, signing time, precomputed hashes, extra certificates', async () => {
  const csca = await createTestCsca({ country: 'UT' });
  const dsc = await createDocumentSigner(csca);
  const signingTime = new Date('2024-05-06T07:08:09Z');
  const bogus = new Uint8Array(32).fill(0xee);
  const sod = parseSod(
    await signSod({
      dsc,
      dataGroups: new Map([[1, DG1]]),
      dataGroupHashes: new Map([[2, bogus]]),
      ldsVersionInfo: { ldsVersion: '0108', unicodeVersion: '040000' },
      signerIdentifier: 'subjectKeyIdentifier',
      signingTime,
      extraCertificates: [csca.der],
    }),
  );
  assert.is(sod.lds.version, 1);
  assert.equal(sod.lds.ldsVersionInfo, { ldsVersion: '0108', unicodeVersion: '040000' });
  assert.is(toHex(sod.lds.dataGroupHashes.get(2)!), toHex(bogus));
  const si = sod.signerInfos[0];
  assert.is(si.version, 3);
  assert.ok(si.sid.type === 'subjectKeyIdentifier' && toHex(si.sid.keyIdentifier) === toHex(dsc.subjectKeyIdentifier));
  assert.is(si.signedAttributes?.signingTime?.toISOString(), signingTime.toISOString());
  assert.is(sod.certificates.length, 2);
  assert.ok(verifySodSignature(sod, dsc.der));
});

test('EF.CardSecurity built with the CMS signer reads back with parseCardSecurity', async () => {
  const csca = await createTestCsca({ country: 'UT' });
  const dsc = await createDocumentSigner(csca);
  const infos = derSet(derSequence(derOid('0.4.0.127.0.7.2.2.4.2.2'), derInteger(2), derInteger(12)));
  const bytes = buildSignedData({ eContentType: '0.4.0.127.0.7.3.2.1', eContent: infos, signerCertificate: dsc.der, signerKey: dsc.keys.privateKey, digestAlgorithm: 'SHA-256', signatureScheme: 'ECDSA' });
  const cs = parseCardSecurity(bytes);
  const [pace] = securityInfosOfKind(cs.securityInfos, 'PACEInfo');
  assert.equal([pace.mapping, pace.cipher, pace.parameterId, pace.standardDomainParameters?.curveOid], ['GM', 'AES128', 12, '1.2.840.10045.3.1.7']);
});

// ---- master lists and CRLs -------------------------------------------------------------------

test('master list round trip: three CSCAs, SKI sid, signature verifies, DER order independent of input order', async () => {
  const ut = await createTestCsca({ country: 'UT' });
  const zz = await createTestCsca({ country: 'ZZ', keyAlgorithm: 'ECDSA-P384' });
  const yy = await createTestCsca({ country: 'YY' });
  const signer = await createMasterListSigner(ut);
  const bytes = await buildMasterList({ signerCert: signer, signerKey: signer.keys.privateKey, cscas: [ut, zz.certificate, yy.der], extraCertificates: [ut] });
  const ml = parseMasterList(bytes);
  assert.is(ml.certificates.length, 3);
  assert.equal(new Set(ml.certificates.map(toHex)), new Set([ut, zz, yy].map((c) => toHex(c.der))));
  assert.is(ml.signerCertificates.length, 2);
  const si = ml.signerInfos[0];
  assert.ok(si.sid.type === 'subjectKeyIdentifier' && toHex(si.sid.keyIdentifier) === toHex(signer.subjectKeyIdentifier));
  assert.is(si.signedAttributes?.contentType, '2.23.136.1.1.2');
  const key = createPublicKey({ key: Buffer.from(readCertificateInfo(signer.der).subjectPublicKeyInfo), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', si.signedAttributes!.der, { key, dsaEncoding: 'der' }, si.signature));
  assert.is(toHex(si.signedAttributes!.messageDigest!), toHex(createHash('sha256').update(ml.eContent).digest()));
  const again = parseMasterList(await buildMasterList({ signerCert: signer, cscas: [yy, ut, zz] }));
  assert.is(toHex(again.eContent), toHex(ml.eContent));
});

test('CRL: pkijs reads it, issuer and serials match, the CSCA signature verifies', async () => {
  const csca = await createTestCsca({ country: 'UT' });
  const dsc = await createDocumentSigner(csca);
  const revokedAt = new Date('2025-03-04T05:06:07Z');
  const thisUpdate = new Date('2025-03-05T00:00:00Z');
  const der = await createCrl(csca, csca.keys.privateKey, [{ serial: readCertificateInfo(dsc.der).serialNumber, date: revokedAt }, { serial: 0x1234, date: revokedAt, reason: 1 }], { thisUpdate, crlNumber: 7 });
  const asn = asn1js.fromBER(der);
  assert.is(asn.offset, der.length);
  const crl = new pkijs.CertificateRevocationList({ schema: asn.result });
  assert.is(crl.version, 1); // v2
  assert.is(crl.revokedCertificates?.length, 2);
  assert.is(toHex(new Uint8Array(crl.revokedCertificates![0].userCertificate.valueBlock.valueHexView)), toHex(readCertificateInfo(dsc.der).serialNumber));
  assert.is(crl.revokedCertificates![0].revocationDate.value.toISOString(), revokedAt.toISOString());
  assert.is(toHex(new Uint8Array(crl.issuer.toSchema().toBER())), toHex(readCertificateInfo(csca.der).subjectDer));
  assert.is(crl.thisUpdate.value.toISOString(), thisUpdate.toISOString());
  assert.ok(crl.nextUpdate && crl.nextUpdate.value > thisUpdate);
  assert.ok(crl.crlExtensions?.extensions.some((e) => e.extnID === '2.5.29.20'));
  assert.ok(crl.crlExtensions?.extensions.some((e) => e.extnID === '2.5.29.35'));
  const parsed = new x509.X509Crl(new Uint8Array(der));
  assert.ok(await parsed.verify({ publicKey: csca.certificate.publicKey }, webcrypto as unknown as Crypto));
  assert.ok(parsed.findRevoked(dsc.certificate));
  assert.is(parsed.findRevoked('1234')?.reason, 1);
  // an empty CRL leaves revokedCertificates out
  const empty = new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(await createCrl(csca)).result });
  assert.is(empty.revokedCertificates, undefined);
  await rejectsCode(() => createCrl(csca, dsc.keys.privateKey), 'EMRTD_ISSUER_KEY_MISMATCH');
});

// ---- misuse ----------------------------------------------------------------------------------

test('misuse gives EMRTD_ISSUER_* codes', async () => {
  await rejectsCode(() => createTestCsca({ country: 'UTO' }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => createTestCsca({ country: 'ut' }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => createTestCsca({ country: 'UT', keyAlgorithm: 'ECDSA-brainpoolP256r1' as 'ECDSA-P256' }), 'EMRTD_ISSUER_UNSUPPORTED_ALGORITHM');
  await rejectsCode(() => createTestCsca({ country: 'UT', validity: { notBefore: new Date('2030-01-01'), notAfter: new Date('2020-01-01') } }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => createTestCsca({ country: 'UT', serialNumber: '00' }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  const csca = await createTestCsca({ country: 'UT' });
  const dsc = await createDocumentSigner(csca);
  const other = await createDocumentSigner(csca);
  await rejectsCode(() => createDocumentSigner(csca, { country: 'ZZ' }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => createDocumentSigner(dsc), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => signSod({ dsc, dscKey: other.keys.privateKey, dataGroups: new Map([[1, DG1]]) }), 'EMRTD_ISSUER_KEY_MISMATCH');
  await rejectsCode(() => signSod({ dsc, dataGroups: new Map([[2, DG1]]) }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => signSod({ dsc, dataGroups: new Map() }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => signSod({ dsc: dsc.der, dataGroups: new Map([[1, DG1]]) }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => signSod({ dsc, dataGroups: new Map([[1, DG1]]), signatureAlgorithm: 'RSA-PSS' }), 'EMRTD_ISSUER_UNSUPPORTED_ALGORITHM');
  await rejectsCode(() => signSod({ dsc, hashAlgorithm: 'MD5' as 'SHA-1', dataGroups: new Map([[1, DG1]]) }), 'EMRTD_ISSUER_UNSUPPORTED_ALGORITHM');
  await rejectsCode(() => createCrl(dsc, undefined, []), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => createCrl(csca, undefined, [{ serial: -1, date: new Date() }]), 'EMRTD_ISSUER_OPTIONS_INVALID');
  await rejectsCode(() => buildMasterList({ signerCert: dsc.der, cscas: [csca] }), 'EMRTD_ISSUER_OPTIONS_INVALID');
  // EF.COM for the virtual chip, to round off what a chip needs
  assert.ok(buildEfCom({ dataGroups: [1, 2] }).length > 0);
});

// ---- a persisted PKI read back ---------------------------------------------------------------

const pkcs8 = async (cert: TestCertificate) => new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', cert.keys.privateKey));

test('loadTestCertificate: a CSCA and DSC read back from DER + PKCS #8 keep issuing what verifies', async () => {
  const csca = await createTestCsca({ country: 'UT', keyAlgorithm: 'ECDSA-P384' });
  const dsc = await createDocumentSigner(csca);
  const loadedCsca = await loadTestCertificate('CSCA', csca.der, await pkcs8(csca));
  const loadedDsc = await loadTestCertificate('DocumentSigner', dsc.der, await pkcs8(dsc));
  assert.is(toHex(loadedCsca.der), toHex(csca.der));
  assert.equal([loadedCsca.keyAlgorithm, loadedCsca.signatureScheme, loadedCsca.signatureHash, loadedCsca.country], ['ECDSA-P384', 'ECDSA', 'SHA-384', 'UT']);
  assert.is(toHex(loadedDsc.subjectKeyIdentifier), toHex(dsc.subjectKeyIdentifier));
  // The loaded DSC signs an SOD that verifies; the loaded CSCA issues a new signer that chains to it.
  const sod = parseSod(await signSod({ dsc: loadedDsc, dataGroups: new Map([[1, buildDg1(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'])]]) }));
  assert.ok(verifySodSignature(sod, dsc.der));
  const next = await createDocumentSigner(loadedCsca);
  assert.ok(await next.certificate.verify({ publicKey: csca.certificate.publicKey, signatureOnly: true }, webcrypto as unknown as Crypto));
});

test("loadTestCertificate: a key that is not the certificate's, or no bytes, is refused", async () => {
  const csca = await createTestCsca({ country: 'UT' });
  const other = await createTestCsca({ country: 'UT' });
  await rejectsCode(() => loadTestCertificate('CSCA', csca.der, undefined as never), 'EMRTD_ISSUER_OPTIONS_INVALID');
  const otherKey = await pkcs8(other);
  await rejectsCode(() => loadTestCertificate('CSCA', csca.der, otherKey), 'EMRTD_ISSUER_KEY_MISMATCH');
});

test.run();
