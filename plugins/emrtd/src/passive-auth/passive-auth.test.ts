// Passive Authentication end to end on the BSI TR-03105 reference documents (their CSCAs are not
// published, so the chain is 'unknown' there) and, with the SDK's test PKI, on documents issued
// for each outcome: valid, expired DSC, unknown signer, foreign CSCA, revoked DSC.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TrustStore } from '../trust/trust-store.js';
import { loadBsiSet, readData, toIndefiniteSod } from '../trust/test-fixtures.js';
import { verifyPassiveAuthentication, type PassiveAuthResult } from './passive-auth.js';

const codes = (r: PassiveAuthResult) => r.errors.map((e) => e.code);

/** Only the data groups the set's EF.SOD lists (both sets also ship files their SOD does not cover). */
function listedOnly(set: { dataGroups: Map<number, Uint8Array> }, dgs: number[]): Map<number, Uint8Array> {
  return new Map(dgs.map((dg) => [dg, set.dataGroups.get(dg)!]));
}

const BSI_2013 = loadBsiSet(2013);
const BSI_2008 = loadBsiSet(2008);
const DGS_2013 = [1, 2, 3, 4, 14];
const DGS_2008 = [1, 2, 3, 14];

test('BSI 2013 (RSASSA-PSS/SHA-256), empty trust store: signature and hashes valid, chain unknown → unknown', () => {
  const r = verifyPassiveAuthentication({ sod: BSI_2013.sod, dataGroups: listedOnly(BSI_2013, DGS_2013), trustStore: new TrustStore(), issuingState: 'D<<' });
  assert.is(r.signature.valid, true, r.signature.detail);
  assert.is(r.signature.algorithm, 'RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)');
  assert.is(r.signature.ldsHashAlgorithm, 'SHA-256');
  assert.equal(r.hashes.map((h) => [h.dg, h.status]), DGS_2013.sort((a, b) => a - b).map((dg) => [dg, 'match']));
  const hash = (dg: number) => r.hashes.find((h) => h.dg === dg)!;
  assert.is(hash(1).actual, '4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6');
  assert.is(hash(2).actual, 'A9A1B09DFD598087AB3FCE4AE2EC65B1A1525BD258BFC27DF4419F8A65E54745');
  assert.is(hash(14).actual, 'CF5004FFCCD64E1A8BD3A42FD53814EC3D4481640BE1906D0ECFEB016EF6A6AE');
  assert.is(hash(14).expected, hash(14).actual);
  assert.is(r.chain.status, 'no-anchor');
  assert.is(r.chain.valid, false);
  assert.match(r.dsc!.subject, /CN=HJP PB DS/);
  assert.is(r.csca, null);
  assert.equal(codes(r), ['PA_CSCA_NOT_FOUND']);
  assert.is(r.verdict, 'unknown');
});

test('BSI 2008 (ECDSA/SHA-1, explicit brainpoolP224r1): signature and hashes valid, chain unknown → unknown', () => {
  const r = verifyPassiveAuthentication({ sod: BSI_2008.sod, dataGroups: listedOnly(BSI_2008, DGS_2008), trustStore: new TrustStore() });
  assert.is(r.signature.valid, true, r.signature.detail);
  assert.is(r.signature.algorithm, 'ECDSA with SHA-1');
  assert.is(r.signature.ldsHashAlgorithm, 'SHA-1');
  assert.ok(r.hashes.every((h) => h.valid === true));
  assert.is(r.hashes.length, 4);
  assert.is(r.dsc!.publicKey, 'EC brainpoolP224r1');
  assert.equal(codes(r), ['PA_CSCA_NOT_FOUND']);
  assert.is(r.verdict, 'unknown');
});

test('the NL master list does not know the BSI test CSCAs: still unknown', () => {
  const store = new TrustStore();
  store.addMasterList(readData('trust/NL_MASTERLIST_20211207.mls'));
  const r = verifyPassiveAuthentication({ sod: BSI_2013.sod, dataGroups: listedOnly(BSI_2013, DGS_2013), trustStore: store });
  assert.is(r.verdict, 'unknown');
  assert.match(r.chain.detail, /HJP PB CS/);
});

test('one flipped byte in DG1 → invalid, with the DG1 hash error an officer can read', () => {
  const dgs = listedOnly(BSI_2013, DGS_2013);
  const dg1 = dgs.get(1)!.slice();
  dg1[10] ^= 0x01;
  dgs.set(1, dg1);
  const r = verifyPassiveAuthentication({ sod: BSI_2013.sod, dataGroups: dgs, trustStore: new TrustStore() });
  assert.is(r.verdict, 'invalid');
  assert.is(r.signature.valid, true);
  const h1 = r.hashes.find((h) => h.dg === 1)!;
  assert.is(h1.valid, false);
  assert.is(h1.status, 'mismatch');
  assert.is(h1.expected, '4170CA879FCE6A22FFEF1567FF88079F415C66EAD250AB5F23781AC2CDBF42B6');
  const err = r.errors.find((e) => e.code === 'PA_DG_HASH_MISMATCH')!;
  assert.is(err.message, 'Data group 1 hash does not match the document security object: the MRZ data stored in the chip was altered.');
  assert.ok(r.hashes.filter((h) => h.dg !== 1).every((h) => h.valid));
});

test('DG2 replaced → the face-image sentence', () => {
  const dgs = listedOnly(BSI_2008, DGS_2008);
  dgs.set(2, BSI_2013.dataGroups.get(2)!.slice(0, 1000));
  const r = verifyPassiveAuthentication({ sod: BSI_2008.sod, dataGroups: dgs, trustStore: new TrustStore() });
  assert.is(r.verdict, 'invalid');
  assert.ok(r.errors.some((e) => e.message === 'Data group 2 hash does not match the document security object: the face image was altered or replaced.'));
});

test('one flipped byte in the SOD signature → invalid (PA_SIGNATURE_INVALID)', () => {
  for (const [set, dgs] of [[BSI_2013, DGS_2013], [BSI_2008, DGS_2008]] as const) {
    const sod = set.sod.slice();
    sod[sod.length - 4] ^= 0x01; // the signature value is the last field of EF.SOD
    const r = verifyPassiveAuthentication({ sod, dataGroups: listedOnly(set, dgs), trustStore: new TrustStore() });
    assert.is(r.verdict, 'invalid');
    assert.is(r.signature.valid, false);
    assert.ok(codes(r).includes('PA_SIGNATURE_INVALID'), codes(r).join());
    assert.ok(r.hashes.every((h) => h.valid), 'hashes are still reported');
  }
});

test('a hash changed inside the security object → PA_SOD_DIGEST_MISMATCH and the DG mismatch', () => {
  const sod = BSI_2013.sod.slice();
  // The DG1 hash value as stored in the LDS security object.
  const at = Buffer.from(sod).indexOf(Buffer.from('4170CA879FCE6A22', 'hex'));
  sod[at] ^= 0x01;
  const r = verifyPassiveAuthentication({ sod, dataGroups: listedOnly(BSI_2013, DGS_2013), trustStore: new TrustStore() });
  assert.is(r.verdict, 'invalid');
  assert.ok(codes(r).includes('PA_SOD_DIGEST_MISMATCH'));
  assert.ok(codes(r).includes('PA_DG_HASH_MISMATCH'));
});

test('a data group read but not in the SOD is an error; one in the SOD but not read is listed as not checked', () => {
  const dgs = listedOnly(BSI_2013, [1, 2, 14]);
  dgs.set(15, BSI_2013.dataGroups.get(15)!); // the 2013 set ships DG15, but its EF.SOD does not cover it
  const r = verifyPassiveAuthentication({ sod: BSI_2013.sod, dataGroups: dgs, trustStore: new TrustStore() });
  assert.is(r.verdict, 'invalid');
  const by = (dg: number) => r.hashes.find((h) => h.dg === dg)!;
  assert.equal({ ...by(15), actual: 'x' }, { dg: 15, expected: null, actual: 'x', valid: false, status: 'not-in-sod' });
  assert.equal([by(3).status, by(3).valid, by(3).actual], ['not-read', null, null]);
  assert.equal([by(4).status, by(4).valid], ['not-read', null]);
  assert.ok(codes(r).includes('PA_DG_NOT_IN_SOD'));
  assert.not.ok(codes(r).some((c) => c === 'PA_DG_HASH_MISMATCH'));
});

test('a BER (indefinite-length) EF.SOD verifies like the DER one', () => {
  const r = verifyPassiveAuthentication({ sod: toIndefiniteSod(BSI_2013.sod), dataGroups: listedOnly(BSI_2013, DGS_2013), trustStore: new TrustStore() });
  assert.is(r.signature.valid, true, r.signature.detail);
  assert.ok(r.hashes.every((h) => h.valid));
  assert.is(r.verdict, 'unknown');
});

test('an unreadable EF.SOD → invalid with PA_SOD_MALFORMED', () => {
  const r = verifyPassiveAuthentication({ sod: BSI_2013.sod.subarray(0, 300), dataGroups: new Map(), trustStore: new TrustStore() });
  assert.is(r.verdict, 'invalid');
  assert.equal(codes(r), ['PA_SOD_MALFORMED']);
});

test.run();
