// CMS SignedData verification and the signature primitives under it, on the BSI TR-03105 EF.SOD
// reference files (RSASSA-PSS/SHA-256 in 2013, ECDSA/SHA-1 on an explicit brainpoolP224r1 key
// in 2008), on BER (indefinite-length) re-encodings of them, and on keys generated here for the
// variants the reference data does not cover.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { findSignerCertificate, parseSignedData, verifySignerInfo } from './cms.js';
import { parseCertificate } from './certificate.js';
import { concatBytes, encodeTlv } from '@tessera/sdk/emrtd';
import { readData, toIndefiniteSod } from './test-fixtures.js';
import { OID } from './oids.js';
import { loadPublicKey, verifyPssByHand, verifySignature, type SignatureAlgorithm } from './signature.js';

const SOD_2013 = readData('bsi-tr03105-2013/EF_SOD.bin');
const SOD_2008 = readData('bsi-tr03105-2008/EF_SOD.bin');

function load(sod: Uint8Array) {
  const sd = parseSignedData(sod);
  const si = sd.signerInfos[0]!;
  const dsc = findSignerCertificate(sd.certificates.map((der) => parseCertificate(der)), si.sid)!;
  return { sd, si, dsc };
}

test('BSI 2013 EF.SOD: RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32) verifies with the DSC found by issuer and serial', () => {
  const { sd, si, dsc } = load(SOD_2013);
  assert.is(sd.eContentType, OID.ldsSecurityObject);
  assert.is(si.sid.type, 'issuerAndSerialNumber');
  assert.match(dsc.subject.text, /CN=HJP PB DS/);
  const v = verifySignerInfo(sd, si, dsc.publicKey);
  assert.ok(v.valid, v.detail);
  assert.is(v.algorithm, 'RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)');
  assert.is(v.digestAlgorithm, 'SHA-256');
  assert.is(v.signedAttrsEncoding, 'der');
});

test('BSI 2013: the RFC 8017 PSS check done by hand agrees with OpenSSL', () => {
  const { si, dsc } = load(SOD_2013);
  const der = si.signedAttributes!.der;
  const mHash = new Uint8Array(createHash('sha256').update(der).digest());
  assert.ok(verifyPssByHand(dsc.publicKey.key!, mHash, si.signature, 'SHA-256', 'SHA-256', 32));
  assert.not.ok(verifyPssByHand(dsc.publicKey.key!, mHash, si.signature, 'SHA-256', 'SHA-256', 20));
  mHash[0] ^= 1;
  assert.not.ok(verifyPssByHand(dsc.publicKey.key!, mHash, si.signature, 'SHA-256', 'SHA-256', 32));
});

test('BSI 2008 EF.SOD: ECDSA with SHA-1 on an explicit-parameter brainpoolP224r1 key, via OpenSSL and via @noble/curves', () => {
  const { sd, si, dsc } = load(SOD_2008);
  assert.is(dsc.publicKey.description, 'EC brainpoolP224r1');
  const v = verifySignerInfo(sd, si, dsc.publicKey);
  assert.ok(v.valid, v.detail);
  assert.is(v.algorithm, 'ECDSA with SHA-1');
  const noble = loadPublicKey(dsc.spki, { forceNoble: true });
  assert.is(noble.key, undefined);
  assert.ok(verifySignerInfo(sd, si, noble).valid);
  const broken = si.signature.slice();
  broken[20] ^= 1;
  assert.not.ok(verifySignerInfo(sd, { ...si, signature: broken }, noble).valid);
});

test('a flipped signature byte fails as "signature"; a changed security object fails as "message-digest"', () => {
  for (const sod of [SOD_2013, SOD_2008]) {
    const { sd, si, dsc } = load(sod);
    const sig = si.signature.slice();
    sig[sig.length - 3] ^= 0x01;
    const v = verifySignerInfo(sd, { ...si, signature: sig }, dsc.publicKey);
    assert.is(v.valid, false);
    assert.is(v.failure, 'signature');
    const content = sd.eContent!.slice();
    content[content.length - 1] ^= 0x01;
    const d = verifySignerInfo({ ...sd, eContent: content }, si, dsc.publicKey);
    assert.is(d.failure, 'message-digest');
  }
});

test('the algorithm comes from the SignerInfo: declaring PKCS#1 v1.5 for a PSS signature fails', () => {
  const { sd, si, dsc } = load(SOD_2013);
  const pkcs1 = { oid: OID.sha256WithRSA, parameters: Uint8Array.of(0x05, 0x00) };
  const v = verifySignerInfo(sd, { ...si, signatureAlgorithm: pkcs1 }, dsc.publicKey);
  assert.is(v.valid, false);
  assert.is(v.algorithm, 'RSA PKCS#1 v1.5 with SHA-256');
});

test('BER with indefinite lengths (and a chunked eContent) verifies the same as DER', () => {
  for (const sod of [SOD_2013, SOD_2008]) {
    const ber = toIndefiniteSod(sod);
    assert.not.equal(ber, sod);
    const { sd, si, dsc } = load(ber);
    assert.ok(sd.eContent!.length > 0);
    assert.is(si.signedAttributes!.der[1], 0x80, 'the signed attributes have an indefinite length');
    const v = verifySignerInfo(sd, si, dsc.publicKey);
    assert.ok(v.valid, v.detail);
    assert.is(v.signedAttrsEncoding, 'der-reencoded');
  }
});

test('RSASSA-PSS with an MGF1 hash different from the message hash (checked by hand)', () => {
  // @types/node declares saltLength as a string here; Node wants a number.
  const options = { modulusLength: 2048, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha1', saltLength: 20 as unknown as string };
  const { privateKey, publicKey } = generateKeyPairSync('rsa-pss', options);
  const data = new TextEncoder().encode('signed attributes');
  const signature = new Uint8Array(sign('sha256', data, privateKey));
  const key = loadPublicKey(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
  const alg: SignatureAlgorithm = { kind: 'rsa-pss', hash: 'SHA-256', mgf1Hash: 'SHA-1', saltLength: 20, oid: OID.rsassaPss, name: 'pss' };
  assert.ok(verifySignature(alg, key, data, signature).valid);
  assert.not.ok(verifySignature({ ...alg, mgf1Hash: 'SHA-256' }, key, data, signature).valid);
  assert.not.ok(verifySignature(alg, key, data.slice(1), signature).valid);
});

test('ECDSA: plain r‖s (BSI TR-03111) and non-minimal DER integers are accepted', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
  const data = new TextEncoder().encode('eMRTD');
  const key = loadPublicKey(new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
  const plain = new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  assert.ok(verifySignature({ kind: 'ecdsa', hash: 'SHA-256', encoding: 'plain', oid: OID.ecdsaPlainSha256, name: 'plain' }, key, data, plain).valid);
  // r and s each written with a superfluous leading zero byte.
  const r = plain.subarray(0, 32);
  const s = plain.subarray(32);
  const sloppy = encodeTlv(0x30, [encodeTlv(0x02, concatBytes(Uint8Array.of(0, 0), r)), encodeTlv(0x02, concatBytes(Uint8Array.of(0, 0), s))]);
  const der: SignatureAlgorithm = { kind: 'ecdsa', hash: 'SHA-256', encoding: 'der', oid: OID.ecdsaWithSha256, name: 'der' };
  assert.ok(verifySignature(der, key, data, sloppy).valid);
  // An RSA algorithm with an EC key is refused with a reason, not an exception.
  const wrong = verifySignature({ kind: 'rsa-pkcs1', hash: 'SHA-256', oid: OID.sha256WithRSA, name: 'RSA PKCS#1 v1.5 with SHA-256' }, key, data, plain);
  assert.is(wrong.valid, false);
  assert.match(wrong.detail, /does not fit/);
});

test.run();
