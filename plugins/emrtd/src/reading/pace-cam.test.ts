// PACE-CAM on the reader side with the values of ICAO Doc 9303 part 11 Appendix I.1 (CAM, ECDH,
// brainpoolP256r1): readChip runs the appendix's exchange against the SDK's PaceCard, reads
// EF.CardSecurity (the I.1 ChipAuthenticationPublicKeyInfo, signed by a test document signer) and
// checks the chip's token against it; the signature and chain decide whether the key counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { concatBytes, decodePaceInfo, encodeTlv, fromHex, OID, PaceCard, paceGroup, toHex } from '@tessera/sdk/emrtd';
import { buildSignedData, createDocumentSigner, createTestCsca, type TestCertificate } from '@tessera/sdk/emrtd/issuer';
import { TrustStore } from '../trust/trust-store.js';
import { readChip } from './chip-reader.js';
import { verifyCardSecurity } from './card-security.js';
import { judgePaceCam } from './pace-cam.js';
import { TestChip, buildTestDg1, buildTestEfCom } from './test-chip.js';

const point = (x: string, y: string): string => `04${x}${y}`;
const I1 = {
  mrz: { documentNumber: 'C11T002JM', birthDate: '960812', expiryDate: '231031' },
  paceInfo: '3012060A04007F0007020204060202010202010D',
  s: '658B860BC94DF6F044FCE6D5C82CF8E5',
  terminalMapSk: '5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC',
  chipMapSk: '9E56A6B59C95D06ECE5CD10F983BB2F4F1943528E577F23881D89D8C3BBEE0AA',
  terminalEphSk: '76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120',
  chipEphSk: 'CD626EF3C256E235FE8912CAC28279E626008EDA6B3A05C4CF862A3BDAB79E78',
  tIfd: 'E86BD06018A1CD3B',
  aIc: '1EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD10CBA372B42BE0B9B5F28AA8DE2F4F92',
  caIc: '85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3',
  /** ChipAuthenticationPublicKeyInfo of EF.CardSecurity: id-PK-ECDH, standardized parameters 13, keyId 13. */
  caPublicKeyInfo:
    '3062060904007F0007020201023052300C060704007F0007010202010D034200041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8' +
    '84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F02010D',
  pkIc: point('1872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8', '84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F'),
};
const TD1 = ['I<UTOC11T002JM4<<<<<<<<<<<<<<<', '9608122F2310314UTO<<<<<<<<<<<6', 'SPECIMEN<<TEST<<<<<<<<<<<<<<<<'];

const big = (hex: string) => BigInt(`0x${hex}`);
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) if (e & 1n) result = (result * b) % modulus;
  return result;
}
function queue(...hex: string[]): (length: number) => Uint8Array {
  const left = hex.map(fromHex);
  return (length) => {
    const next = left.shift();
    if (!next || next.length !== length) throw new Error(`no ${length}-byte value queued`);
    return next;
  };
}

/** SK_IC of I.1: PK_Map,IC = CA_IC · PK_IC, so SK_IC = SK_Map,IC · CA_IC⁻¹ mod n. */
function chipStaticKey(): Uint8Array {
  const n = paceGroup(13).order;
  const sk = (big(I1.chipMapSk) * modPow(big(I1.caIc), n - 2n, n)) % n;
  return fromHex(sk.toString(16).padStart(64, '0'));
}

let pki: { csca: TestCertificate; dsc: TestCertificate; foreign: TestCertificate } | undefined;
async function testPki() {
  if (!pki) {
    const csca = await createTestCsca({ country: 'UT' });
    const foreign = await createTestCsca({ country: 'UT', commonName: 'CSCA UT OTHER' });
    pki = { csca, foreign, dsc: await createDocumentSigner(csca) };
  }
  return pki;
}

/** EF.CardSecurity: SignedData over SET { PACEInfo, ChipAuthenticationPublicKeyInfo } (DER order). */
async function cardSecurity(keyInfo = I1.caPublicKeyInfo): Promise<Uint8Array> {
  const { dsc } = await testPki();
  return buildSignedData({
    eContentType: OID.securityObject,
    eContent: encodeTlv(0x31, concatBytes(fromHex(I1.paceInfo), fromHex(keyInfo))),
    signerCertificate: dsc.der,
    signerKey: dsc.keys.privateKey,
    digestAlgorithm: 'SHA-256',
    signatureScheme: dsc.signatureScheme,
  });
}

function camChip(efCardSecurity: Uint8Array): TestChip {
  const card = new PaceCard({
    paceInfos: [decodePaceInfo(fromHex(I1.paceInfo))],
    mrz: I1.mrz,
    random: queue(I1.s, I1.chipMapSk, I1.chipEphSk),
    chipAuthenticationKeys: { 13: chipStaticKey() },
  });
  return new TestChip({
    mrz: I1.mrz,
    pace: card,
    maxCommandLength: 65544,
    maxResponseLength: 65538,
    masterFiles: new Map([
      [0x011c, encodeTlv(0x31, fromHex(I1.paceInfo))],
      [0x011d, efCardSecurity],
    ]),
    files: new Map([
      [0x011e, buildTestEfCom([1])],
      [0x0101, buildTestDg1(TD1)],
    ]),
  });
}

async function readCamChip(efCardSecurity: Uint8Array) {
  const chip = camChip(efCardSecurity);
  const read = await readChip(chip, { mrz: I1.mrz, random: queue(I1.terminalMapSk, I1.terminalEphSk) });
  return { read, chip };
}

test('I.1: readChip runs PACE-CAM with the appendix values, reads EF.CardSecurity and the token verifies', async () => {
  const { read, chip } = await readCamChip(await cardSecurity());
  assert.ok(read.ok, JSON.stringify(read.error));
  assert.is(read.access?.protocol, 'PACE');
  assert.is(read.access?.mapping, 'CAM');
  // The terminal's token is the appendix's, so the whole exchange was I.1's.
  const lastGa = chip.log.filter((c) => c.ins === 0x86).at(-1)!;
  assert.is(toHex(lastGa.data), `7C0A8508${I1.tIfd}`);
  assert.ok(read.files.has('EF.CardSecurity'));
  assert.is(read.paceCam?.valid, true, read.paceCam?.detail);
  assert.is(read.paceCam?.keyId, 13);
  assert.is(read.dg1Mrz?.lines.join(''), TD1.join(''));

  const { csca } = await testPki();
  const store = new TrustStore();
  store.addCertificates(csca.der, { source: 'test CSCA' });
  const verification = verifyCardSecurity(read.files.get('EF.CardSecurity')!, store);
  assert.is(verification.verdict, 'valid', verification.detail);
  const verdict = judgePaceCam(read.paceCam!, verification);
  assert.equal([verdict.valid, verdict.via, verdict.keyAuthentication?.verdict], [true, 'PACE-CAM', 'valid']);
});

test('a chip whose EF.CardSecurity publishes another key (a clone) fails the CAM check', async () => {
  // Another point of the curve: the I.1 chip's mapping key, which CA_IC does not map PK_IC to.
  const other = I1.caPublicKeyInfo.replace(I1.pkIc.slice(2), 'A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B304F365713A356E65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E23');
  assert.is.not(other, I1.caPublicKeyInfo);
  const { read } = await readCamChip(await cardSecurity(other));
  assert.ok(read.ok, 'the read itself goes on');
  assert.is(read.paceCam?.valid, false);
  assert.is(read.paceCam?.code, 'EMRTD_PACE_CAM_INVALID');
});

test('EF.CardSecurity without a key for the PACE parameter id → EMRTD_PACE_CAM_KEY_MISSING', async () => {
  const keyId12 = I1.caPublicKeyInfo.replace(/02010D$/, '02010C');
  const { read } = await readCamChip(await cardSecurity(keyId12));
  assert.is(read.paceCam?.valid, false);
  assert.is(read.paceCam?.code, 'EMRTD_PACE_CAM_KEY_MISSING');
  assert.match(read.paceCam!.detail, /keyId 13/);
});

test('EF.CardSecurity signature and chain: altered content is invalid, an unknown CSCA is unknown', async () => {
  const { csca, foreign } = await testPki();
  const good = await cardSecurity();
  const trusted = new TrustStore();
  trusted.addCertificates(csca.der, { source: 'test CSCA' });
  // One byte of the signed SecurityInfos (inside the PACEInfo's OID) changed after signing.
  const tampered = good.slice();
  const at = toHex(tampered).indexOf(I1.paceInfo) / 2 + 8;
  tampered[at] ^= 0x01;
  const bad = verifyCardSecurity(tampered, trusted);
  assert.is(bad.verdict, 'invalid', bad.detail);
  const strangers = new TrustStore();
  strangers.addCertificates(foreign.der, { source: 'another CSCA' });
  const unknown = verifyCardSecurity(good, strangers);
  assert.is(unknown.verdict, 'unknown', unknown.detail);
  assert.is(verifyCardSecurity(fromHex('3000'), trusted).verdict, 'invalid');
  // A valid token with a key of unknown origin is not a pass.
  assert.is(judgePaceCam({ valid: true, protocol: 'PACE-CAM', detail: 'ok', keyId: 13 }, unknown).keyAuthentication?.verdict, 'unknown');
});

test('the chip.chip-auth check: PACE-CAM is the verdict (no DG14 needed); pass with a trusted EF.CardSecurity, warning without', async () => {
  const { ChipInspector } = await import('../checks/chip-inspection.js');
  const { createChipChecks } = await import('../checks/chip-checks.js');
  const { csca } = await testPki();
  const efCardSecurity = await cardSecurity();
  const run = async (trusted: boolean) => {
    const store = new TrustStore();
    if (trusted) store.addCertificates(csca.der, { source: 'test CSCA' });
    const trust = { store, problems: [], sources: [] };
    const inspector = new ChipInspector({ trust: () => trust, preferPace: true, apduTimeoutMs: 2000, readTimeoutMs: 10000 });
    const scan = { deviceId: 'test:1', capturedAt: new Date().toISOString(), pages: [], chip: camChip(efCardSecurity) };
    const context = { inspectionId: `cam-${trusted}`, scan, mrz: null, referenceDate: new Date(), bcp: null, signal: new AbortController().signal };
    const inspection = await inspector.inspect(context, { mrz: I1.mrz });
    assert.is(inspection?.ca?.via, 'PACE-CAM');
    const check = createChipChecks(inspector, () => trust).find((c) => c.id === 'chip.chip-auth')!;
    return check.run(context);
  };
  const trusted = await run(true);
  assert.is(trusted.status, 'pass', trusted.summary);
  assert.match(trusted.summary, /EF\.CardSecurity \(PACE-CAM\)/);
  assert.ok(trusted.evidence.some((e) => e.kind === 'field' && e.label === 'EF.CardSecurity' && e.ok === true));
  const untrusted = await run(false);
  assert.is(untrusted.status, 'warning', untrusted.summary);
  assert.is(untrusted.findings[0]?.code, 'CHIP_CA_KEY_NOT_AUTHENTICATED');
  assert.match(untrusted.findings[0]!.message, /EF\.CardSecurity/);
});

test.run();
