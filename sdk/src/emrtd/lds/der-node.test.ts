// The method-style DER reader (DerNode) the eMRTD plugin's trust store reads X.509 and CMS with,
// and the BER → DER re-encoding (toDer) CMS signature checks need.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { isTesseraError } from '../../errors.js';
import { decodeTlvObject } from '../codec/ber-tlv.js';
import { fromHex, toHex } from '../codec/bytes.js';
import { readCertificateInfo } from './certificate.js';
import { ASN1, parseDer, type DerContext } from './der-reader.js';
import { toDer } from './der-writer.js';

const CTX: DerContext = { file: 'test object', code: 'TEST_DER_MALFORMED', hint: 'A test hint.' };

function failsWith(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), `expected a TesseraError, got ${String(error)}`);
    assert.is((error as { code: string }).code, code, (error as Error).message);
    if (message) assert.match((error as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('a certificate read with DerNode agrees with the LDS certificate reader (BSI TR-03105 2013 document signer)', () => {
  const sod = new Uint8Array(readFileSync(new URL('../../../../../shared/data/bsi-tr03105-2013/EF_SOD.bin', import.meta.url)));
  const signedData = parseDer(sod, CTX, { allowTrailing: true }).child(0, 'ContentInfo').child(1).child(0);
  const certificate = signedData.children.find((n) => n.tag === 0xa0)!.child(0, 'certificate');
  const tbs = certificate.child(0).expect(ASN1.SEQUENCE, 'TBSCertificate');
  const info = readCertificateInfo(certificate.raw);
  assert.is(tbs.child(0).child(0).smallInt() + 1, info.version);
  assert.is(toHex(tbs.child(1).integerBytes()), toHex(info.serialNumber).replace(/^00/, ''));
  assert.is(tbs.child(4).child(0).time().getTime(), info.notBefore.getTime());
  assert.is(tbs.child(4).child(1).time().getTime(), info.notAfter.getTime());
  assert.is(toHex(tbs.child(6).raw), toHex(info.subjectPublicKeyInfo));
});

test('failures carry the context code and hint and name what was read', () => {
  const node = parseDer(fromHex('3003 020105'), CTX);
  failsWith(() => node.child(1, 'serialNumber'), 'TEST_DER_MALFORMED', /test object: serialNumber is missing/);
  failsWith(() => node.expect(ASN1.SET, 'RelativeDistinguishedName'), 'TEST_DER_MALFORMED', /RelativeDistinguishedName: expected tag '31', found '30'/);
  failsWith(() => node.child(0).oid('algorithm'), 'TEST_DER_MALFORMED', /algorithm: expected tag '06'/);
  failsWith(() => node.child(0).children, 'TEST_DER_MALFORMED', /must be constructed/);
  try {
    node.child(0).text('name');
  } catch (error) {
    assert.is((error as { hint?: string }).hint, 'A test hint.');
  }
  // An LDS code keeps the LDS hint.
  failsWith(() => parseDer(fromHex('3003 020105'), { file: 'EF.SOD', code: 'EMRTD_SOD_MALFORMED' }).child(2), 'EMRTD_SOD_MALFORMED');
  // A cut-off encoding keeps the codec's code, with the file named.
  failsWith(() => parseDer(fromHex('3005 0201'), CTX), 'EMRTD_TLV_TRUNCATED', /^test object: /);
  failsWith(() => parseDer(fromHex('3003 020105 00'), CTX), 'TEST_DER_MALFORMED', /1 unexpected byte/);
});

test('values: integers, BIT STRINGs with unused bits, implicit GeneralizedTime, OIDs', () => {
  const node = parseDer(fromHex('301B 0202FF7F 0202 0080 03020780 8008 3230323430313032 0603 2A8648'), CTX);
  assert.is(node.child(0).bigint(), -129n);
  failsWith(() => node.child(0).smallInt(), 'TEST_DER_MALFORMED', /negative/);
  assert.is(toHex(node.child(1).integerBytes()), '80');
  assert.equal(node.child(2).bits(), { bytes: Uint8Array.of(0x80), unusedBits: 7 });
  failsWith(() => parseDer(fromHex('03020800'), CTX).bits(), 'TEST_DER_MALFORMED', /invalid BIT STRING/);
  // '[0] IMPLICIT GeneralizedTime' (PrivateKeyUsagePeriod) needs the type named; 'YYYYMMDD' alone is not a time.
  failsWith(() => node.child(3).time('notBefore'), 'TEST_DER_MALFORMED', /expected a time/);
  failsWith(() => node.child(3).time('notBefore', ASN1.GENERALIZED_TIME), 'TEST_DER_MALFORMED', /invalid GeneralizedTime/);
  assert.is(parseDer(fromHex('800F 32303234303130323033303430355A'), CTX).time('t', ASN1.GENERALIZED_TIME).toISOString(), '2024-01-02T03:04:05.000Z');
  assert.is(node.child(4).oid(), '1.2.840');
  failsWith(() => parseDer(fromHex('0602 2A86'), CTX).oid(), 'TEST_DER_MALFORMED', /not a valid OBJECT IDENTIFIER/);
});

test('toDer: indefinite lengths, segmented strings and unsorted SETs become DER (X.690 §10, §11.6)', () => {
  // SEQUENCE (indefinite) { SET { INTEGER 2, INTEGER 1 }, OCTET STRING in two segments (indefinite) }
  const ber = fromHex('3080 3106 020102 020101 2480 0402AABB 0401CC 0000 0000');
  assert.is(toHex(toDer(decodeTlvObject(ber))), '300D' + '3106020101020102' + '0403AABBCC');
  // The '[0] IMPLICIT SET OF' of CMS signed attributes is sorted only when asked to.
  const implicitSet = fromHex('A006 020102 020101');
  assert.is(toHex(toDer(decodeTlvObject(implicitSet))), 'A006020102020101');
  assert.is(toHex(toDer(decodeTlvObject(implicitSet), true)), 'A006020101020102');
  // A segmented BIT STRING keeps the last segment's unused bits.
  assert.is(toHex(toDer(decodeTlvObject(fromHex('2380 03020000 03020780 0000')))), '0303070080');
});

test('decoded nodes are views into the input, made on first use', () => {
  const bytes = fromHex('3006 0401AA 0401BB');
  const root = decodeTlvObject(bytes);
  assert.is(root.raw.buffer, bytes.buffer);
  assert.is(root.children![1].value.byteOffset, bytes.byteOffset + 7);
  assert.is(root.children![1].raw.length, 3);
  assert.is(root.children![1].raw, root.children![1].raw, 'the view is kept once made');
});

test.run();
