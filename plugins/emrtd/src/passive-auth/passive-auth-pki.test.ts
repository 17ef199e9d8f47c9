// Passive Authentication against documents issued by the SDK's test PKI, one per outcome: a fully
// valid chain (EC and RSA-PSS), an expired DSC, an unknown signer, a CSCA of another country, a
// revoked DSC, a forged DSC, a link certificate after a CSCA key rollover, and a master list
// whose signature is broken. The data groups are the BSI 2013 files, re-signed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMasterList, createCaCertificate, createCrl, createDocumentSigner, createMasterListSigner, createTestCsca, signSod, type TestCertificate } from '@tessera/sdk/emrtd/issuer';
import { parseCertificate } from '../trust/certificate.js';
import { TrustStore } from '../trust/trust-store.js';
import { loadBsiSet } from '../trust/test-fixtures.js';
import { verifyPassiveAuthentication, type PassiveAuthResult } from './passive-auth.js';

const codes = (r: PassiveAuthResult) => r.errors.map((e) => e.code);
const warningCodes = (r: PassiveAuthResult) => r.warnings.map((e) => e.code);
const BSI = loadBsiSet(2013);
const DATA_GROUPS = new Map([1, 2, 14].map((dg) => [dg, BSI.dataGroups.get(dg)!]));

// One German test CSCA valid 2009–2039, its DSC, and a master list holding it.
const csca = await createTestCsca({ country: 'DE', commonName: 'CSCA DE TEST', validity: { notBefore: new Date('2009-01-01'), notAfter: new Date('2039-01-01') } });
const dsc = await createDocumentSigner(csca);
const mlSigner = await createMasterListSigner(csca);
const masterList = await buildMasterList({ signerCert: mlSigner, cscas: [csca] });
const sod = await signSod({ dsc, dataGroups: DATA_GROUPS });

function storeWith(...extra: Uint8Array[]): TrustStore {
  const store = new TrustStore();
  store.addMasterList(masterList, { source: 'test master list' });
  if (extra.length) store.addCertificates(extra, { source: 'extra' });
  return store;
}

async function documentFrom(signer: TestCertificate): Promise<Uint8Array> {
  return signSod({ dsc: signer, dataGroups: DATA_GROUPS });
}

test('test master list loads: signed by the master-list signer of CSCA DE TEST, one CSCA', () => {
  const store = new TrustStore();
  const r = store.addMasterList(masterList);
  assert.is(r.added, 1);
  assert.is(r.signer!.chainedToSource, 'list');
  assert.match(r.signer!.chainedTo, /CN=CSCA DE TEST/);
});

test('a fully valid document (ECDSA P-256) → valid, chain DSC → CSCA, country DE matches D', () => {
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: storeWith(), issuingState: 'D<<' });
  assert.equal(codes(r), []);
  assert.is(r.verdict, 'valid');
  assert.is(r.signature.valid, true);
  assert.is(r.signature.algorithm, 'ECDSA with SHA-256');
  assert.is(r.chain.valid, true);
  assert.is(r.chain.path.length, 2);
  assert.match(r.chain.path[0]!.subject, /CN=DS DE TEST/);
  assert.match(r.chain.path[1]!.subject, /CN=CSCA DE TEST/);
  assert.is(r.csca!.kind, 'csca');
  assert.equal(r.csca!.sources, ['test master list']);
  assert.is(r.country.status, 'match');
  assert.is(r.country.expected, 'DE');
  // No CRL loaded: a warning only, under the default best-effort policy.
  assert.is(r.chain.revocation.status, 'unknown');
  assert.ok(warningCodes(r).includes('PA_REVOCATION_UNKNOWN'));
});

test('RSA-2048 CSCA and DSC, RSASSA-PSS, signer identified by key identifier → valid', async () => {
  const rsaCsca = await createTestCsca({ country: 'NL', keyAlgorithm: 'RSA-2048' });
  const rsaDsc = await createDocumentSigner(rsaCsca, { keyAlgorithm: 'RSA-2048' });
  const rsaSod = await signSod({ dsc: rsaDsc, dataGroups: DATA_GROUPS, signerIdentifier: 'subjectKeyIdentifier', hashAlgorithm: 'SHA-384' });
  const store = new TrustStore();
  store.addCertificates(rsaCsca.der);
  const r = verifyPassiveAuthentication({ sod: rsaSod, dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'NLD' });
  assert.equal(codes(r), []);
  assert.is(r.verdict, 'valid');
  assert.match(r.signature.algorithm, /^RSASSA-PSS \(SHA-384, MGF1 SHA-384/);
  assert.is(r.signature.ldsHashAlgorithm, 'SHA-384');
});

test('an expired DSC → invalid (PA_DSC_EXPIRED); valid again when `at` is a date inside its validity', async () => {
  const old = await createDocumentSigner(csca, { validity: { notBefore: new Date('2010-01-01'), notAfter: new Date('2012-01-01') } });
  const oldSod = await documentFrom(old);
  const r = verifyPassiveAuthentication({ sod: oldSod, dataGroups: DATA_GROUPS, trustStore: storeWith(), issuingState: 'D' });
  assert.is(r.verdict, 'invalid');
  assert.equal(codes(r), ['PA_DSC_EXPIRED']);
  assert.is(r.chain.valid, false);
  assert.is(r.signature.valid, true);
  assert.match(r.errors[0]!.message, /expired on 2012-01-01/);
  const then = verifyPassiveAuthentication({ sod: oldSod, dataGroups: DATA_GROUPS, trustStore: storeWith(), issuingState: 'D', at: new Date('2011-06-01') });
  assert.is(then.verdict, 'valid', then.errors.map((e) => e.message).join());
  assert.equal(then.referenceTime, { at: '2011-06-01T00:00:00.000Z', source: 'at' });
});

test('the SOD signing time is the reference time when `at` is not given', async () => {
  const old = await createDocumentSigner(csca, { validity: { notBefore: new Date('2010-01-01'), notAfter: new Date('2012-01-01') } });
  const signed = await signSod({ dsc: old, dataGroups: DATA_GROUPS, signingTime: new Date('2010-03-01T00:00:00Z') });
  const r = verifyPassiveAuthentication({ sod: signed, dataGroups: DATA_GROUPS, trustStore: storeWith() });
  assert.is(r.referenceTime.source, 'signing-time');
  assert.is(r.verdict, 'valid');
});

test('a signer whose CSCA is not in the trust store → unknown (PA_CSCA_NOT_FOUND)', async () => {
  const strangerCsca = await createTestCsca({ country: 'DE', commonName: 'CSCA DE OTHER' });
  const stranger = await documentFrom(await createDocumentSigner(strangerCsca));
  const r = verifyPassiveAuthentication({ sod: stranger, dataGroups: DATA_GROUPS, trustStore: storeWith(), issuingState: 'D' });
  assert.is(r.verdict, 'unknown');
  assert.equal(codes(r), ['PA_CSCA_NOT_FOUND']);
  assert.is(r.signature.valid, true);
  assert.is(r.chain.status, 'no-anchor');
  assert.is(r.csca, null);
});

test('same CSCA name but a key the store does not hold → unknown, not a forgery', async () => {
  const sameName = await createTestCsca({ country: 'DE', commonName: 'CSCA DE TEST' });
  const r = verifyPassiveAuthentication({ sod: await documentFrom(await createDocumentSigner(sameName)), dataGroups: DATA_GROUPS, trustStore: storeWith() });
  assert.is(r.verdict, 'unknown');
  assert.equal(codes(r), ['PA_CSCA_NOT_FOUND']);
  assert.match(r.chain.detail, /not the key that signed/);
});

test('a CSCA of another country than the MRZ says → invalid (PA_COUNTRY_MISMATCH); EUE cannot be compared', () => {
  const store = storeWith();
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'FRA' });
  assert.is(r.verdict, 'invalid');
  assert.equal(codes(r), ['PA_COUNTRY_MISMATCH']);
  assert.equal([r.country.status, r.country.expected, r.country.cscaCountry], ['mismatch', 'FR', 'DE']);
  const eu = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'EUE' });
  assert.is(eu.verdict, 'valid');
  assert.is(eu.country.status, 'cannot-compare');
  assert.ok(warningCodes(eu).includes('PA_COUNTRY_NOT_COMPARABLE'));
});

test('a DSC revoked by a CRL of its CSCA → invalid (PA_DSC_REVOKED); not listed → revocation good', async () => {
  const dscSerial = parseCertificate(dsc.der).serialHex;
  const revoking = await createCrl(csca, undefined, [{ serial: dscSerial, date: new Date(Date.now() - 86_400_000) }]);
  const store = storeWith();
  assert.is(store.addCrl(revoking, { source: 'DE.crl' }).status, 'verified');
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'D' });
  assert.is(r.verdict, 'invalid');
  assert.equal(codes(r), ['PA_DSC_REVOKED']);
  assert.is(r.chain.revocation.status, 'revoked');
  assert.ok(r.signature.valid && r.hashes.every((h) => h.valid));

  const clean = storeWith();
  clean.addCrl(await createCrl(csca, undefined, [{ serial: '01', date: new Date('2020-01-01') }]));
  const ok = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: clean, issuingState: 'D' });
  assert.is(ok.verdict, 'valid');
  assert.is(ok.chain.revocation.status, 'good');
  assert.not.ok(warningCodes(ok).includes('PA_REVOCATION_UNKNOWN'));
});

test("revocation 'require': no CRL → unknown; an overdue CRL → unknown", async () => {
  const none = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: storeWith(), revocation: 'require' });
  assert.is(none.verdict, 'unknown');
  assert.equal(codes(none), ['PA_REVOCATION_UNKNOWN']);
  const stale = storeWith();
  stale.addCrl(await createCrl(csca, undefined, [], { thisUpdate: new Date('2019-01-01'), nextUpdate: new Date('2019-04-01') }));
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: stale, revocation: 'require' });
  assert.is(r.verdict, 'unknown');
  assert.match(r.chain.revocation.detail, /due for renewal on 2019-04-01/);
});

test('a forged DSC (its certificate signature altered inside EF.SOD) → invalid (PA_CHAIN_SIGNATURE_INVALID)', () => {
  // The certificates field is not covered by the SOD signature, so the DSC can be swapped or
  // altered without touching the rest; only the chain check catches it.
  const forged = sod.slice();
  const at = Buffer.from(forged).indexOf(Buffer.from(dsc.der));
  assert.ok(at > 0);
  forged[at + dsc.der.length - 3] ^= 0x01; // inside the DSC's own signature value
  const r = verifyPassiveAuthentication({ sod: forged, dataGroups: DATA_GROUPS, trustStore: storeWith(), issuingState: 'D' });
  assert.is(r.verdict, 'invalid');
  assert.equal(codes(r), ['PA_CHAIN_SIGNATURE_INVALID']);
  assert.is(r.signature.valid, true);
});

test('a link certificate after a CSCA key rollover is followed: DSC → link → old self-signed CSCA', async () => {
  const oldCsca = await createTestCsca({ country: 'DE', commonName: 'CSCA DE ROLLOVER' });
  const newCsca = await createTestCsca({ country: 'DE', commonName: 'CSCA DE ROLLOVER' });
  const oldCert = parseCertificate(oldCsca.der);
  const newCert = parseCertificate(newCsca.der);
  // The new CSCA key certified by the old one: same name, new key, issued by the old key.
  const link = await createCaCertificate({ subject: newCsca, issuer: oldCsca, serialNumber: '42', validity: { notBefore: newCert.notBefore, notAfter: newCert.notAfter } });
  const store = new TrustStore();
  // The store knows the old CSCA and the link certificate, not the new self-signed CSCA.
  const report = store.addCertificates([oldCsca.der, link]);
  assert.is(report.added, 2);
  assert.equal(store.entries().map((e) => e.kind).sort(), ['csca', 'link']);
  const r = verifyPassiveAuthentication({ sod: await documentFrom(await createDocumentSigner(newCsca)), dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'D' });
  assert.equal(codes(r), []);
  assert.is(r.verdict, 'valid');
  assert.is(r.chain.path.length, 3);
  assert.is(r.csca!.kind, 'link');
  assert.is(r.chain.path[2]!.serial, oldCert.serialHex);
});

test('a CSCA re-issued with the same key: the copy valid at the reference time is used, not an expired one', async () => {
  const cert = parseCertificate(csca.der);
  // The same CSCA key in an older, expired self-signed certificate, loaded first.
  const expiredCopy = await createCaCertificate({ subject: csca, serialNumber: '07', validity: { notBefore: new Date('2000-01-01'), notAfter: new Date('2005-01-01') } });
  const store = new TrustStore();
  store.addCertificates([expiredCopy, csca.der]);
  assert.equal(store.findByKeyId(cert.ski!).map((e) => e.kind), ['csca', 'csca']);
  assert.is(store.size, 2);
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: store, issuingState: 'D' });
  assert.equal(codes(r), []);
  assert.is(r.verdict, 'valid');
  assert.is(r.csca!.serial, cert.serialHex);
});

test('a test master list with a broken signature is rejected (PA_MASTER_LIST_SIGNATURE_INVALID), nothing added', () => {
  const broken = masterList.slice();
  broken[broken.length - 5] ^= 0x01;
  const store = new TrustStore();
  try {
    store.addMasterList(broken);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'PA_MASTER_LIST_SIGNATURE_INVALID');
  }
  assert.is(store.size, 0);
  const r = verifyPassiveAuthentication({ sod, dataGroups: DATA_GROUPS, trustStore: store });
  assert.is(r.verdict, 'unknown');
});

test('a master list signed by a signer of a CSCA that is not in the list → PA_MASTER_LIST_SIGNER_UNTRUSTED', async () => {
  const other = await createTestCsca({ country: 'FR' });
  const list = await buildMasterList({ signerCert: await createMasterListSigner(other), cscas: [csca] });
  try {
    new TrustStore().addMasterList(list);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'PA_MASTER_LIST_SIGNER_UNTRUSTED');
  }
});

test('document signer and master-list signer certificates are not accepted as CSCAs', () => {
  const store = new TrustStore();
  const r = store.addCertificates([dsc.der, mlSigner.der]);
  assert.is(r.added, 0);
  assert.equal(r.skipped.map((s) => s.code), ['PA_CERT_NOT_CA', 'PA_CERT_NOT_CA']);
});

test.run();
