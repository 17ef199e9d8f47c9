// BER-TLV decoding and encoding: tag and length forms, trees, search, hostile input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '../../errors.js';
import { concatBytes, fromHex, toHex } from './bytes.js';
import { decodeTlv, decodeTlvHeader, decodeTlvObject, encodeLength, encodeTag, encodeTlv, findAllTlv, findTlv, tagToHex } from './ber-tlv.js';

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

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// EF.COM of the Doc 9303 part 11 App. D.4 example: LDS 1.6, Unicode 4.0.0, DG1 and DG2.
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');

test('EF.COM: tree, multi-byte tags and find', () => {
  const [com, ...rest] = decodeTlv(EF_COM);
  assert.is(rest.length, 0);
  assert.is(com.tag, 0x60);
  assert.ok(com.constructed);
  assert.is(com.length, 0x14);
  assert.is(com.headerLength, 2);
  assert.equal(com.children?.map((c) => c.tag), [0x5f01, 0x5f36, 0x5c]);
  assert.is(toHex(findTlv(com, 0x5f01)!.value), '30313036');
  assert.is(toHex(findTlv([com], 0x5c)!.value), '6175');
  assert.is(findTlv(com, 0x5f1f), undefined);
  assert.is(findTlv(com, 0x60), com, 'the root itself is searched');
  const version = findTlv(com, 0x5f36)!;
  assert.is(version.offset, 9);
  assert.is(version.headerLength, 3);
  assert.is(toHex(version.raw), '5F3606303430303030');
});

test('three-byte tags and every long length form', () => {
  const tag3 = 0x5f8101;
  assert.is(toHex(encodeTag(tag3)), '5F8101');
  for (const [length, header] of [[0, '00'], [127, '7F'], [128, '8180'], [255, '81FF'], [256, '820100'], [65535, '82FFFF'], [65536, '83010000']] as const) {
    assert.is(toHex(encodeLength(length)), header);
    const encoded = encodeTlv(tag3, new Uint8Array(length));
    const node = decodeTlvObject(encoded);
    assert.is(node.tag, tag3);
    assert.is(node.length, length);
    assert.is(node.headerLength, 3 + header.length / 2);
    assert.is(node.raw.length, encoded.length);
  }
  assert.is(toHex(encodeLength(0x1000000)), '8401000000');
  // Non-minimal long forms are legal BER and occur on real chips.
  const node = decodeTlvObject(fromHex('04 82 0002 AABB'));
  assert.is(toHex(node.value), 'AABB');
  const four = decodeTlvObject(fromHex('04 84 00000001 CC'));
  assert.is(toHex(four.value), 'CC');
});

test('indefinite length for constructed objects, nested', () => {
  const bytes = fromHex('30 80 04 01 AA 31 80 05 00 00 00 00 00 02 01 07');
  const nodes = decodeTlv(bytes);
  assert.is(nodes.length, 2);
  const [outer, after] = nodes;
  assert.ok(outer.indefinite);
  assert.is(outer.raw.length, 13);
  assert.is(toHex(outer.value), '0401AA318005000000');
  assert.equal(outer.children?.map((c) => c.tag), [0x04, 0x31]);
  assert.ok(outer.children![1].indefinite);
  assert.equal(outer.children![1].children?.map((c) => c.tag), [0x05]);
  assert.is(after.tag, 0x02);
  assert.is(toHex(after.value), '07');
});

test('decodeTlvHeader reads just enough to size a file', () => {
  assert.equal(decodeTlvHeader(fromHex('75 82 1A 2B')), { tag: 0x75, constructed: true, headerLength: 4, length: 0x1a2b });
  assert.equal(decodeTlvHeader(fromHex('7F61 80')), { tag: 0x7f61, constructed: true, headerLength: 3, length: null });
  assert.equal(decodeTlvHeader(fromHex('00 5F1F 0A'), 1), { tag: 0x5f1f, constructed: false, headerLength: 3, length: 10 });
  throwsCode(() => decodeTlvHeader(fromHex('75 82 1A')), 'EMRTD_TLV_TRUNCATED');
});

test('encodeTlv with children and decoded nodes; round trip', () => {
  const inner = encodeTlv(0x80, fromHex('0102'));
  const built = encodeTlv(0x7c, [inner, encodeTlv(0x7f49, [encodeTlv(0x86, fromHex('04AABB'))])]);
  assert.is(toHex(built), '7C0C' + '80020102' + '7F4905' + '860304AABB');
  const tree = decodeTlvObject(built);
  assert.is(toHex(encodeTlv(0x7c, tree.children!)), toHex(built));
  assert.is(toHex(findTlv(tree, 0x86)!.value), '04AABB');
  assert.is(findAllTlv(decodeTlv(concatBytes(built, built)), 0x80).length, 2);
  assert.is(tagToHex(0x5f1f), '5F1F');
  assert.is(tagToHex(0x1), '01');
});

test('encodeTag and encodeTlv reject malformed tags and lengths', () => {
  throwsCode(() => encodeTag(0x1f), 'EMRTD_TLV_TAG_INVALID'); // announces more bytes
  throwsCode(() => encodeTag(0x5f81), 'EMRTD_TLV_TAG_INVALID'); // last byte has bit 8 set
  throwsCode(() => encodeTag(0x4101), 'EMRTD_TLV_TAG_INVALID'); // two bytes without the 1F marker
  throwsCode(() => encodeTag(0), 'EMRTD_TLV_TAG_INVALID');
  throwsCode(() => encodeTag(1.5), 'EMRTD_TLV_TAG_INVALID');
  throwsCode(() => encodeTlv(0x04, [fromHex('0100')]), 'EMRTD_TLV_TAG_INVALID'); // children for a primitive tag
  throwsCode(() => encodeLength(-1), 'EMRTD_TLV_LENGTH_INVALID');
  throwsCode(() => encodeLength(2 ** 32), 'EMRTD_TLV_LENGTH_INVALID');
});

test('hostile input: truncation, over-long length fields, bad indefinite forms, depth', () => {
  throwsCode(() => decodeTlv(fromHex('04 05 0102')), 'EMRTD_TLV_TRUNCATED'); // declared length past the end
  throwsCode(() => decodeTlv(fromHex('04 84 FFFFFFFF 00')), 'EMRTD_TLV_TRUNCATED');
  throwsCode(() => decodeTlv(fromHex('04')), 'EMRTD_TLV_TRUNCATED'); // no length
  throwsCode(() => decodeTlv(fromHex('5F')), 'EMRTD_TLV_TRUNCATED'); // cut multi-byte tag
  throwsCode(() => decodeTlv(fromHex('04 82 01')), 'EMRTD_TLV_TRUNCATED'); // cut length field
  throwsCode(() => decodeTlv(fromHex('30 03 04 05 00')), 'EMRTD_TLV_TRUNCATED'); // child past its parent
  throwsCode(() => decodeTlv(fromHex('04 85 0000000001 00')), 'EMRTD_TLV_LENGTH_INVALID');
  throwsCode(() => decodeTlv(fromHex('04 FF')), 'EMRTD_TLV_LENGTH_INVALID');
  throwsCode(() => decodeTlv(fromHex('04 80 00 00')), 'EMRTD_TLV_LENGTH_INVALID'); // indefinite primitive
  throwsCode(() => decodeTlv(fromHex('30 80 04 01 AA')), 'EMRTD_TLV_TRUNCATED'); // no end-of-contents
  throwsCode(() => decodeTlv(fromHex('00 00')), 'EMRTD_TLV_TAG_INVALID'); // stray end-of-contents
  throwsCode(() => decodeTlv(fromHex('5F FF FF FF 01 00')), 'EMRTD_TLV_TAG_INVALID'); // 5-byte tag
  // 10 000 nested indefinite headers: must stop at the depth limit, not blow the stack.
  const deep = new Uint8Array(20000);
  for (let i = 0; i < deep.length; i += 2) deep.set([0x30, 0x80], i);
  throwsCode(() => decodeTlv(deep), 'EMRTD_TLV_TOO_DEEP');
  const nested = fromHex('30 06 30 04 30 02 04 00');
  assert.is(decodeTlv(nested, { maxDepth: 4 }).length, 1);
  throwsCode(() => decodeTlv(nested, { maxDepth: 3 }), 'EMRTD_TLV_TOO_DEEP');
  throwsCode(() => decodeTlv(nested, { maxDepth: 0 }), 'EMRTD_TLV_OPTIONS_INVALID');
  assert.equal(decodeTlv(new Uint8Array(0)), []);
});

test('fuzz: random and mutated input only ever yields a tree or an EMRTD_TLV_* TesseraError', () => {
  const random = prng(0x9303);
  const valid = [EF_COM, fromHex('30 80 04 01 AA 31 80 05 00 00 00 00 00 02 01 07'), encodeTlv(0x7c, [encodeTlv(0x5f8101, new Uint8Array(300)), encodeTlv(0x7f49, [encodeTlv(0x86, new Uint8Array(65))])])];
  let decoded = 0;
  let rejected = 0;
  const started = performance.now();
  for (let i = 0; i < 30000; i++) {
    let input: Uint8Array;
    if (i % 2 === 0) {
      input = new Uint8Array(Math.floor(random() * 96));
      for (let j = 0; j < input.length; j++) input[j] = random() < 0.3 ? [0x00, 0x80, 0x30, 0x1f, 0x5f, 0x81, 0x84, 0xff][Math.floor(random() * 8)] : Math.floor(random() * 256);
    } else {
      input = valid[i % valid.length].slice();
      const flips = 1 + Math.floor(random() * 3);
      for (let f = 0; f < flips; f++) input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
      if (random() < 0.3) input = input.subarray(0, Math.floor(random() * input.length));
    }
    try {
      const nodes = decodeTlv(input);
      decoded++;
      // Whatever decodes must account for every byte, in order.
      let pos = 0;
      for (const node of nodes) {
        assert.is(node.offset, pos);
        pos += node.raw.length;
      }
      assert.is(pos, input.length);
    } catch (error) {
      if (!isTesseraError(error) || !error.code.startsWith('EMRTD_TLV_')) throw new Error(`input ${toHex(input)} threw ${String(error)}`);
      rejected++;
    }
  }
  assert.ok(decoded > 100 && rejected > 100, `decoded ${decoded}, rejected ${rejected}`);
  assert.ok(performance.now() - started < 10000, 'fuzzing 30 000 inputs must be quick');
});

test.run();
