// Hostile input: truncated, over-long, mis-tagged, deeply nested, semantically inconsistent and
// random bytes into every parser. Each must either return a result or throw a TesseraError with
// an EMRTD_* code — never a TypeError, a RangeError or a hang. Seeded, so failures reproduce.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { isTesseraError } from '../../errors.js';
import { decodeTlvObject, encodeLength, encodeTag, encodeTlv, type TlvNode } from '../codec/ber-tlv.js';
import { concatBytes, toHex } from '../codec/bytes.js';
import { derAlgorithmIdentifier, derContext, derInteger, derOctetString, derOid, derSequence, derSet } from './der-writer.js';
import {
  buildDg2,
  parseCardAccess,
  parseCardSecurity,
  parseDg1,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseDg2,
  parseDg7,
  parseEfCom,
  parseMasterList,
  parsePublicKeyInfo,
  parseSod,
  readCertificateInfo,
  wrapSod,
} from './index.js';

const DATA = new URL('../../../../../shared/data/', import.meta.url);
const read = (path: string) => new Uint8Array(readFileSync(new URL(path, DATA)));

/** xorshift32: deterministic bytes for reproducible fuzzing. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomBytes(next: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next() & 0xff;
  return out;
}

type Parser = (bytes: Uint8Array) => unknown;

const PARSERS: Record<string, { parse: Parser; tag: number }> = {
  parseEfCom: { parse: parseEfCom, tag: 0x60 },
  parseDg1: { parse: parseDg1, tag: 0x61 },
  parseDg2: { parse: parseDg2, tag: 0x75 },
  parseDg7: { parse: parseDg7, tag: 0x67 },
  parseDg11: { parse: parseDg11, tag: 0x6b },
  parseDg12: { parse: parseDg12, tag: 0x6c },
  parseDg14: { parse: parseDg14, tag: 0x6e },
  parseDg15: { parse: parseDg15, tag: 0x6f },
  parseCardAccess: { parse: parseCardAccess, tag: 0x31 },
  parseCardSecurity: { parse: parseCardSecurity, tag: 0x30 },
  parseSod: { parse: parseSod, tag: 0x77 },
  parseMasterList: { parse: parseMasterList, tag: 0x30 },
  readCertificateInfo: { parse: readCertificateInfo, tag: 0x30 },
  parsePublicKeyInfo: { parse: (b) => parsePublicKeyInfo(b, { file: 'SPKI', code: 'EMRTD_DG15_MALFORMED' }), tag: 0x30 },
};

/** Runs the parser; returns the error code, or null when it parsed. Anything but an EMRTD_* TesseraError fails the test. */
function outcome(name: string, parse: Parser, input: Uint8Array): string | null {
  try {
    parse(input);
    return null;
  } catch (error) {
    if (isTesseraError(error) && error.code.startsWith('EMRTD_')) return error.code;
    return assert.unreachable(`${name} threw ${String(error)} on ${toHex(input.subarray(0, 48))}${input.length > 48 ? '…' : ''} (${input.length} bytes)\n${(error as Error)?.stack ?? ''}`) as never;
  }
}

function expectCode(fn: () => unknown, code: string, messageStart?: string): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    if (messageStart) assert.ok((error as Error).message.startsWith(messageStart), (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const SOD_2013 = read('bsi-tr03105-2013/EF_SOD.bin');
const SOD_2008 = read('bsi-tr03105-2008/EF_SOD.bin');
const DG2_2008 = read('bsi-tr03105-2008/Datagroup2.bin');

// ---- truncation and over-long lengths --------------------------------------------------------

test('truncated EF.SOD: every prefix fails with a specific code, the usual one EMRTD_TLV_TRUNCATED', () => {
  expectCode(() => parseSod(SOD_2013.subarray(0, 500)), 'EMRTD_TLV_TRUNCATED', 'EF.SOD: ');
  for (const sod of [SOD_2008, SOD_2013]) {
    for (let n = 1; n < sod.length; n += 3) {
      const code = outcome('parseSod', parseSod, sod.subarray(0, n));
      assert.ok(code !== null, `a ${n}-byte prefix parsed`);
    }
  }
});

test('EF.SOD with a consistent outer length but a cut ContentInfo', () => {
  const inner = SOD_2013.subarray(4, 4 + 1000);
  expectCode(() => parseSod(wrapSod(inner)), 'EMRTD_TLV_TRUNCATED', 'EF.SOD: ');
});

test('DG2 with over-long lengths: TLV, biometric data block, and 19794-5 record', () => {
  // '75 82 3AE7': claim 0x4000 bytes more than there are
  const outer = DG2_2008.slice();
  outer[2] = 0x7a;
  expectCode(() => parseDg2(outer), 'EMRTD_TLV_TRUNCATED', 'DG2: ');
  // '5F2E 82 3AC5' at offset 0x21: one byte longer than its parent holds
  const bdb = DG2_2008.slice();
  assert.is(toHex(bdb.subarray(0x21, 0x26)), '5F2E823AC5');
  bdb[0x25] = 0xc6;
  expectCode(() => parseDg2(bdb), 'EMRTD_TLV_TRUNCATED', 'DG2: ');
  // the facial record's own length field (offset 0x2E) claims more than the data block holds
  const record = DG2_2008.slice();
  record[0x2f] = 0x01;
  expectCode(() => parseDg2(record), 'EMRTD_DG2_MALFORMED', 'DG2: ');
  // the facial record data block length (offset 0x34)
  const block = DG2_2008.slice();
  block[0x35] = 0x01;
  expectCode(() => parseDg2(block), 'EMRTD_DG2_MALFORMED');
  // a length field of 5 bytes
  expectCode(() => parseDg2(Uint8Array.of(0x75, 0x85, 0, 0, 0, 0, 1, 0)), 'EMRTD_TLV_LENGTH_INVALID');
});

test('deep nesting and indefinite lengths without an end are refused, not recursed into', () => {
  const deep = concatBytes(Uint8Array.of(0x77, 0x80), ...Array.from({ length: 200 }, () => Uint8Array.of(0x30, 0x80)));
  expectCode(() => parseSod(deep), 'EMRTD_TLV_TOO_DEEP');
  expectCode(() => parseSod(Uint8Array.of(0x77, 0x80, 0x30, 0x80, 0x02, 0x01, 0x00)), 'EMRTD_TLV_TRUNCATED');
  const wide = concatBytes(Uint8Array.of(0x31, 0x80), ...Array.from({ length: 20000 }, () => Uint8Array.of(0x05, 0x00)), Uint8Array.of(0, 0));
  expectCode(() => parseCardAccess(wide), 'EMRTD_SECURITY_INFOS_MALFORMED');
});

// ---- wrong tags, wrong types ----------------------------------------------------------------

test('each parser rejects another file with EMRTD_LDS_WRONG_TAG, and non-bytes with EMRTD_LDS_INPUT_INVALID', () => {
  const dg1 = read('bsi-tr03105-2013/Datagroup1.bin');
  for (const [name, { parse, tag }] of Object.entries(PARSERS)) {
    if (name === 'parseDg1' || tag === 0x30) continue;
    expectCode(() => parse(dg1), 'EMRTD_LDS_WRONG_TAG');
  }
  for (const [name, { parse }] of Object.entries(PARSERS)) {
    if (name === 'parsePublicKeyInfo') continue; // takes a node or bytes from other parsers, not user input
    expectCode(() => parse(undefined as unknown as Uint8Array), 'EMRTD_LDS_INPUT_INVALID');
    expectCode(() => parse('61' as unknown as Uint8Array), 'EMRTD_LDS_INPUT_INVALID');
    expectCode(() => parse(new Uint8Array(0)), 'EMRTD_LDS_INPUT_INVALID');
  }
  expectCode(() => parseDg15(read('bsi-tr03105-2013/Datagroup14.bin')), 'EMRTD_LDS_WRONG_TAG', 'DG15: ');
});

test('a master list is not an EF.SOD, and an EF.SOD is not a master list', () => {
  const contentInfo = SOD_2013.subarray(4);
  expectCode(() => parseMasterList(contentInfo), 'EMRTD_MASTER_LIST_WRONG_CONTENT_TYPE');
  expectCode(() => parseCardSecurity(contentInfo), 'EMRTD_CARD_SECURITY_WRONG_CONTENT_TYPE');
  const ml = read('trust/NL_MASTERLIST_20211207.mls');
  expectCode(() => parseSod(wrapSod(ml)), 'EMRTD_SOD_WRONG_CONTENT_TYPE');
  expectCode(() => parseMasterList(ml.subarray(0, 100_000)), 'EMRTD_TLV_TRUNCATED', 'master list: ');
  expectCode(() => parseMasterList(concatBytes(ml, Uint8Array.of(0))), 'EMRTD_MASTER_LIST_MALFORMED');
});

// ---- semantically hostile security objects ---------------------------------------------------

const SHA256 = '2.16.840.1.101.3.4.2.1';

/** An unsigned but well-formed SOD around a given LDS security object and signed attributes. */
function craftSod(opts: { lds?: Uint8Array; eContentType?: string; signedAttrs?: Uint8Array[]; signerInfos?: number; contentType?: string }): Uint8Array {
  const lds = opts.lds ?? ldsObject([[1, new Uint8Array(32)], [2, new Uint8Array(32)]]);
  const attrs = opts.signedAttrs ?? [
    derSequence(derOid('1.2.840.113549.1.9.3'), derSet(derOid('2.23.136.1.1.1'))),
    derSequence(derOid('1.2.840.113549.1.9.4'), derSet(derOctetString(new Uint8Array(32)))),
  ];
  const signerInfo = derSequence(
    derInteger(3),
    encodeTlv(0x80, new Uint8Array(20)),
    derAlgorithmIdentifier(SHA256),
    encodeTlv(0xa0, concatBytes(...attrs)),
    derAlgorithmIdentifier('1.2.840.10045.4.3.2'),
    derOctetString(new Uint8Array(70)),
  );
  const signedData = derSequence(
    derInteger(3),
    derSet(derAlgorithmIdentifier(SHA256)),
    derSequence(derOid(opts.eContentType ?? '2.23.136.1.1.1'), derContext(0, derOctetString(lds))),
    derSet(...Array.from({ length: opts.signerInfos ?? 1 }, () => signerInfo)),
  );
  return wrapSod(derSequence(derOid(opts.contentType ?? '1.2.840.113549.1.7.2'), derContext(0, signedData)));
}

function ldsObject(hashes: Array<[number, Uint8Array]>, hashOid = SHA256, version = 0): Uint8Array {
  return derSequence(derInteger(version), derAlgorithmIdentifier(hashOid), derSequence(...hashes.map(([dg, h]) => derSequence(derInteger(dg), derOctetString(h)))));
}

test('crafted SODs: the well-formed one parses; each inconsistency has its code', () => {
  const ok = parseSod(craftSod({}));
  assert.equal([...ok.lds.dataGroupHashes.keys()], [1, 2]);
  assert.is(ok.signerInfos[0].sid.type, 'subjectKeyIdentifier');
  const h = new Uint8Array(32);
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[1, h], [1, h]]) })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[0, h]]) })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[17, h]]) })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[1, new Uint8Array(20)]]) })), 'EMRTD_SOD_UNSUPPORTED_HASH');
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[1, h]], '1.2.840.113549.2.5') })), 'EMRTD_SOD_UNSUPPORTED_HASH');
  expectCode(() => parseSod(craftSod({ lds: ldsObject([[1, h]], SHA256, 2) })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ lds: concatBytes(ldsObject([[1, h]]), Uint8Array.of(0)) })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ eContentType: '1.2.840.113549.1.7.1' })), 'EMRTD_SOD_WRONG_CONTENT_TYPE');
  expectCode(() => parseSod(craftSod({ contentType: '1.2.840.113549.1.7.1' })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ signerInfos: 0 })), 'EMRTD_SOD_MALFORMED');
  const ct = derSequence(derOid('1.2.840.113549.1.9.3'), derSet(derOid('2.23.136.1.1.1')));
  const md = derSequence(derOid('1.2.840.113549.1.9.4'), derSet(derOctetString(h)));
  const mdTwice = derSequence(derOid('1.2.840.113549.1.9.4'), derSet(derOctetString(h), derOctetString(new Uint8Array(32).fill(1))));
  expectCode(() => parseSod(craftSod({ signedAttrs: [ct, md, md] })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ signedAttrs: [ct, mdTwice] })), 'EMRTD_SOD_MALFORMED');
  expectCode(() => parseSod(craftSod({ signedAttrs: [ct] })), 'EMRTD_SOD_MALFORMED');
  // a non-minimal OID encoding
  expectCode(() => parseSod(craftSod({ lds: derSequence(derInteger(0), derSequence(Uint8Array.of(0x06, 0x02, 0x80, 0x01)), derSequence()) })), 'EMRTD_SOD_MALFORMED');
});

// ---- BER: indefinite lengths and segmented OCTET STRINGs ------------------------------------

/** Re-encodes every constructed node in indefinite form, and the eContent OCTET STRING in 3 segments. */
function toIndefinite(node: TlvNode, isEContent: (n: TlvNode) => boolean): Uint8Array {
  if (isEContent(node)) {
    const v = node.value;
    const third = Math.ceil(v.length / 3);
    const parts = [v.subarray(0, third), v.subarray(third, 2 * third), v.subarray(2 * third)].map((p) => encodeTlv(0x04, p));
    return concatBytes(Uint8Array.of(0x24, 0x80), ...parts, Uint8Array.of(0, 0));
  }
  if (!node.constructed || !node.children) return node.raw;
  return concatBytes(encodeTag(node.tag), Uint8Array.of(0x80), ...node.children.map((c) => toIndefinite(c, isEContent)), Uint8Array.of(0, 0));
}

test('EF.SOD in BER with indefinite lengths and a segmented eContent parses like the DER original', () => {
  const der = parseSod(SOD_2013);
  const tree = decodeTlvObject(SOD_2013, 0, { maxDepth: 64 });
  const eContentStart = toHex(der.eContent.subarray(0, 16));
  const ber = toIndefinite(tree, (n) => n.tag === 0x04 && !n.constructed && n.value.length === der.eContent.length && toHex(n.value.subarray(0, 16)) === eContentStart);
  assert.ok(ber.length > SOD_2013.length);
  assert.is(toHex(ber.subarray(0, 4)), '77803080');
  const sod = parseSod(ber);
  assert.is(toHex(sod.eContent), toHex(der.eContent));
  assert.equal([...sod.lds.dataGroupHashes.entries()].map(([k, v]) => [k, toHex(v)]), [...der.lds.dataGroupHashes.entries()].map(([k, v]) => [k, toHex(v)]));
  assert.is(sod.signerInfos[0].signatureAlgorithm.pss?.saltLength, 32);
  assert.is(toHex(sod.signerInfos[0].signature), toHex(der.signerInfos[0].signature));
  assert.is(toHex(sod.signerInfos[0].signedAttributes!.messageDigest!), toHex(der.signerInfos[0].signedAttributes!.messageDigest!));
  assert.is(sod.certificates.length, 1);
  assert.is(sod.contentInfoDer[1], 0x80);
});

// ---- fuzzing --------------------------------------------------------------------------------

test('random bytes into every parser: only EMRTD_* errors', () => {
  const next = rng(0x7e55e7a);
  for (const [name, { parse, tag }] of Object.entries(PARSERS)) {
    for (let i = 0; i < 400; i++) {
      const len = next() % 300;
      let input = randomBytes(next, len);
      // Half the inputs start with the right tag and a plausible length, to get past the first check.
      if (i % 2 === 0) input = concatBytes(encodeTag(tag), encodeLength(len), input);
      outcome(name, parse, input);
    }
  }
});

test('mutated reference files: byte flips, cuts and splices give results or EMRTD_* errors', () => {
  const next = rng(0xb51);
  const cases: Array<[string, Parser, Uint8Array]> = [
    ['parseEfCom', parseEfCom, read('bsi-tr03105-2013/EF_COM.bin')],
    ['parseDg1', parseDg1, read('bsi-tr03105-2013/Datagroup1.bin')],
    ['parseDg2', parseDg2, DG2_2008.subarray(0, DG2_2008.length)],
    ['parseDg2 (39794)', parseDg2, buildDg2({ mediaType: 'image/jpeg', data: Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), width: 1, height: 1 }, { encoding: 'ISO39794-5' })],
    ['parseDg14', parseDg14, read('bsi-tr03105-2008/Datagroup14.bin')],
    ['parseDg15', parseDg15, read('bsi-tr03105-2008/Datagroup15.bin')],
    ['parseSod', parseSod, SOD_2008],
    ['parseSod', parseSod, SOD_2013],
    ['parseCardAccess', parseCardAccess, Uint8Array.from([0x31, 0x14, 0x30, 0x12, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0d])],
  ];
  let parsed = 0;
  let failed = 0;
  for (const [name, parse, original] of cases) {
    const rounds = 300;
    for (let i = 0; i < rounds; i++) {
      let input: Uint8Array = original.slice();
      const kind = i % 3;
      if (kind === 0) {
        for (let k = 0; k <= next() % 4; k++) input[next() % input.length] = next() & 0xff;
      } else if (kind === 1) {
        input = input.subarray(0, next() % input.length);
      } else {
        const at = next() % input.length;
        input = concatBytes(input.subarray(0, at), randomBytes(next, 1 + (next() % 8)), input.subarray(at));
      }
      if (input.length === 0) input = Uint8Array.of(0);
      if (outcome(name, parse, input) === null) parsed++;
      else failed++;
    }
  }
  assert.ok(parsed > 0 && failed > 0, `${parsed} parsed, ${failed} failed`);
});

test('mutated master list (header region): EMRTD_* errors only', () => {
  const ml = read('trust/NL_MASTERLIST_20211207.mls');
  const next = rng(0x3a5);
  for (let i = 0; i < 12; i++) {
    const input = ml.slice();
    input[next() % 200] = next() & 0xff;
    input[ml.length - 1 - (next() % 2000)] = next() & 0xff;
    outcome('parseMasterList', parseMasterList, input);
  }
});

test.run();
