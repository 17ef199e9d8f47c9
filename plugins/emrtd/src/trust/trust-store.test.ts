// The trust store against real published data: the Netherlands CSCA master list (December 2021)
// and Colombia's CSCA CRL (May 2020), read from the shared reference data, plus damaged copies
// of both to show that nothing unauthenticated gets in, and a few certificates built here for the
// skip rules the real list does not exercise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '@tessera/sdk';
import { TrustStore, certificateSignedBy } from './trust-store.js';
import { parseSignedData } from './cms.js';
import { ASN1, type DerContext, parseDer } from '@tessera/sdk/emrtd';
import { identifySignatureAlgorithm, loadPublicKey, verifySignature } from './signature.js';
import { readData } from './test-fixtures.js';
import { createCaCertificate, createTestCsca } from '@tessera/sdk/emrtd/issuer';

/** What DER reading errors here say: PA_ASN1_MALFORMED, naming the structure. */
const DER: DerContext = { file: 'test input', code: 'PA_ASN1_MALFORMED', hint: 'A test input is not well-formed DER.' };

const NL_ML = readData('trust/NL_MASTERLIST_20211207.mls');
const COL_CRL = readData('trust/COL.crl');

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isTesseraError(e), `expected a TesseraError, got ${String(e)}`);
    assert.is((e as { code: string }).code, code, (e as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('NL master list: signature verified, signer chains to CSCA NL in the list, 306 CSCAs kept', () => {
  const store = new TrustStore();
  const report = store.addMasterList(NL_ML, { source: 'NL_MASTERLIST_20211207.mls' });
  // The list holds 306 certificates, all distinct CA certificates: nothing is skipped.
  assert.is(report.total, 306);
  assert.is(report.added, 306);
  assert.equal(report.skipped, []);
  assert.is(store.size, 306);
  assert.ok(report.signer);
  assert.match(report.signer!.subject, /CN=Masterlist Signer NL/);
  assert.match(report.signer!.chainedTo, /CN=CSCA NL/);
  assert.is(report.signer!.chainedToSource, 'list');
  assert.is(report.signer!.algorithm, 'RSA PKCS#1 v1.5 with SHA-256');
  assert.is(report.signer!.signingTime, '2021-12-07T11:26:15.000Z');
  // Expired CSCAs are kept, with a note saying so.
  const expired = report.notes.filter((n) => n.note.startsWith('expired'));
  assert.ok(expired.length > 0);
  assert.ok(store.entries().some((e) => e.certificate.notAfter < new Date()));
  // Indexed by key identifier and by subject name.
  const col = store.entries().find((e) => e.certificate.subject.country === 'CO')!;
  assert.ok(col);
  assert.is(store.findByKeyId(col.certificate.ski!)[0], col);
  assert.ok(store.findBySubject(col.certificate.subject.key).includes(col));
});

test('every NL CSCA self-signature verifies (RSA PKCS#1, RSASSA-PSS, ECDSA on NIST and Brainpool curves)', () => {
  const store = new TrustStore();
  store.addMasterList(NL_ML);
  const algorithms = new Set<string>();
  for (const { certificate } of store.entries()) {
    algorithms.add(identifySignatureAlgorithm(certificate.signatureAlgorithm).name);
    assert.ok(certificateSignedBy(certificate, certificate), certificate.subject.text);
  }
  assert.ok(algorithms.has('RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)'));
  assert.ok(algorithms.has('ECDSA with SHA-1'));
  assert.ok(algorithms.size >= 8);
});

test('the @noble/curves fallback verifies the NL CSCAs whose keys carry explicit EC parameters', () => {
  const store = new TrustStore();
  store.addMasterList(NL_ML);
  // One certificate per distinct curve: pure-JS verification costs ~30 ms each.
  const byCurve = new Map<string, (typeof explicitAll)[number]>();
  const explicitAll = store.entries().filter(({ certificate }) => parseDer(certificate.spki, DER).child(0).children[1]?.tag === ASN1.SEQUENCE);
  for (const e of explicitAll) byCurve.set(Buffer.from(parseDer(e.certificate.spki, DER).child(0).child(1).raw).toString('hex'), e);
  const explicit = [...byCurve.values()];
  assert.ok(explicitAll.length > 10, `${explicitAll.length} explicit-parameter keys`);
  assert.ok(explicit.length >= 3, `${explicit.length} distinct explicit curves`);
  for (const { certificate } of explicit) {
    const key = loadPublicKey(certificate.spki, { forceNoble: true });
    const alg = identifySignatureAlgorithm(certificate.signatureAlgorithm);
    assert.ok(verifySignature(alg, key, certificate.tbs, certificate.signatureValue).valid, certificate.subject.text);
  }
});

test('NL master list loaded twice: the second time every certificate is reported as a duplicate', () => {
  const store = new TrustStore();
  store.addMasterList(NL_ML, { source: 'first' });
  const again = store.addMasterList(NL_ML, { source: 'second' });
  assert.is(again.added, 0);
  assert.is(again.skipped.length, 306);
  assert.ok(again.skipped.every((s) => s.code === 'PA_CERT_DUPLICATE'));
  assert.is(store.size, 306);
  assert.equal(store.entries()[0]!.sources, ['first', 'second']);
});

test('master list with a broken signature is rejected with PA_MASTER_LIST_SIGNATURE_INVALID and adds nothing', () => {
  const broken = NL_ML.slice();
  broken[broken.length - 10] ^= 0x01; // inside the SignerInfo signature value (the last field)
  const store = new TrustStore();
  throwsCode(() => store.addMasterList(broken), 'PA_MASTER_LIST_SIGNATURE_INVALID');
  assert.is(store.size, 0);
});

test('master list whose certificate list was altered (message digest mismatch) is rejected, nothing added', () => {
  const sd = parseSignedData(NL_ML);
  const list = parseDer(sd.eContent!, DER);
  // Flip a byte inside the first certificate's signature, deep in the signed content.
  const firstCert = list.child(1).child(0);
  const offsetInContent = firstCert.node.offset + firstCert.raw.length - 3;
  const contentStart = sd.eContent!.byteOffset - NL_ML.byteOffset; // the parser returns views, not copies
  const altered = NL_ML.slice();
  altered[contentStart + offsetInContent] ^= 0x01;
  const store = new TrustStore();
  try {
    store.addMasterList(altered);
    assert.unreachable('should throw');
  } catch (e) {
    assert.is((e as { code: string }).code, 'PA_MASTER_LIST_SIGNATURE_INVALID');
    assert.match((e as Error).message, /message digest/);
  }
  assert.is(store.size, 0);
});

test('a master list pinned to a CSCA that did not sign it is rejected as untrusted', () => {
  const store = new TrustStore();
  store.addMasterList(NL_ML);
  const foreign = store.entries().find((e) => e.certificate.subject.country === 'CO')!.certificate.der;
  throwsCode(() => new TrustStore().addMasterList(NL_ML, { signerAnchors: [foreign] }), 'PA_MASTER_LIST_SIGNER_UNTRUSTED');
  const csca = store.entries().find((e) => /CN=CSCA NL/.test(e.certificate.subject.text) && e.certificate.subject.text.includes('serialNumber=6'))!.certificate.der;
  const pinned = new TrustStore().addMasterList(NL_ML, { signerAnchors: [csca] });
  assert.is(pinned.signer!.chainedToSource, 'pinned');
});

test('garbage is not a master list: PA_MASTER_LIST_MALFORMED', () => {
  throwsCode(() => new TrustStore().addMasterList(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)), 'PA_MASTER_LIST_MALFORMED');
  throwsCode(() => new TrustStore().addMasterList(NL_ML.subarray(0, 1000)), 'PA_MASTER_LIST_MALFORMED');
});

test('COL.crl with an empty store: parsed, reported unverified with a reason, and ignored', () => {
  const store = new TrustStore();
  const r = store.addCrl(COL_CRL, { source: 'COL.crl' });
  assert.is(r.status, 'unverified');
  assert.match(r.issuer, /CN=Government of Colombia CSCA/);
  assert.is(r.revokedCount, 15);
  assert.is(r.thisUpdate, '2020-05-08T12:38:29.000Z');
  assert.is(r.nextUpdate, '2020-08-06T12:38:29.000Z');
  assert.match(r.reason, /not in the trust store/);
});

test('COL.crl is verified once the Colombian CSCA (present in the NL list) is in the store', () => {
  // Loaded after the list: verified straight away.
  const store = new TrustStore();
  store.addMasterList(NL_ML);
  const r = store.addCrl(COL_CRL, { source: 'COL.crl' });
  assert.is(r.status, 'verified');
  assert.match(r.verifiedBy!, /Government of Colombia CSCA/);
  // Loaded before the list: kept aside, then verified when the list arrives.
  const early = new TrustStore();
  assert.is(early.addCrl(COL_CRL).status, 'unverified');
  const report = early.addMasterList(NL_ML);
  assert.is(report.crlsVerified, 1);
  assert.equal(early.crlReports().map((c) => c.status), ['verified']);
});

test('a CRL with a damaged signature is rejected when its CSCA is present (PA_CRL_SIGNATURE_INVALID)', () => {
  const store = new TrustStore();
  store.addMasterList(NL_ML);
  const damaged = COL_CRL.slice();
  damaged[damaged.length - 5] ^= 0x01;
  throwsCode(() => store.addCrl(damaged), 'PA_CRL_SIGNATURE_INVALID');
  assert.equal(store.crlReports(), []);
  throwsCode(() => store.addCrl(Uint8Array.of(1, 2, 3)), 'PA_CRL_MALFORMED');
});

test('individual certificates: DER and PEM accepted; DSCs and garbage skipped with reasons', () => {
  const ml = new TrustStore();
  ml.addMasterList(NL_ML);
  const [a, b] = ml.entries().map((e) => e.certificate.der);
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(b!).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  const sod2013 = parseSignedData(readData('bsi-tr03105-2013/EF_SOD.bin'));
  const sod2008 = parseSignedData(readData('bsi-tr03105-2008/EF_SOD.bin'));
  const store = new TrustStore();
  const r = store.addCertificates([a!, pem, sod2013.certificates[0]!, sod2008.certificates[0]!, Uint8Array.of(0x30, 0x00)], { source: 'operator' });
  assert.is(r.total, 5);
  assert.is(r.added, 2);
  assert.equal(
    r.skipped.map((s) => s.code),
    ['PA_CERT_NOT_CA', 'PA_CERT_NOT_CA', 'PA_CERT_MALFORMED'],
  );
  assert.match(r.skipped[0]!.subject!, /HJP PB DS/);
  assert.ok(r.skipped.every((s) => s.reason.length > 10));
  assert.is(store.size, 2);
});

test('a CA certificate without keyCertSign is skipped; a legacy self-signed CSCA without basic constraints is kept with a note', async () => {
  const key = await createTestCsca({ country: 'XX' });
  const legacyName = { subject: key, subjectName: 'CN=CSCA XX LEGACY', validity: { notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01') } };
  const noCertSign = await createCaCertificate({ ...legacyName, serialNumber: '01', keyUsage: ['digitalSignature'] });
  const legacy = await createCaCertificate({ ...legacyName, serialNumber: '02', basicConstraints: false });
  const store = new TrustStore();
  const r = store.addCertificates([noCertSign, legacy]);
  assert.equal(r.skipped.map((s) => s.code), ['PA_CERT_NO_KEY_CERT_SIGN']);
  assert.is(r.added, 1);
  assert.equal(r.notes.map((n) => n.note), ['no basic constraints extension', 'no country (C=) in the subject name']);
});

test.run();
