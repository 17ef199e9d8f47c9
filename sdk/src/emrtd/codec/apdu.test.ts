// Command APDU encoding/decoding for ISO/IEC 7816-4 cases 1-4, short and extended; responses; status words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTesseraError } from '../../errors.js';
import { fromHex, toHex } from './bytes.js';
import { decodeCommandApdu, encodeCommandApdu, encodeResponseApdu, needsExtendedLength, parseResponseApdu, type CommandApdu } from './apdu.js';
import { describeStatusWord, statusWordText } from './status-words.js';

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    assert.ok(isTesseraError(error), String(error));
    assert.is((error as { code: string }).code, code, (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const H = { cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x02 };

test('short cases 1-4, with Ne 256 written as 00', () => {
  const cases: [CommandApdu, string][] = [
    [H, '00B00102'],
    [{ ...H, ne: 4 }, '00B0010204'],
    [{ ...H, ne: 256 }, '00B0010200'],
    [{ ...H, data: fromHex('011E') }, '00B0010202011E'],
    [{ ...H, data: fromHex('011E'), ne: 0x28 }, '00B0010202011E28'],
    [{ ...H, data: new Uint8Array(255), ne: 256 }, '00B00102FF' + '00'.repeat(255) + '00'],
    [{ ...H, data: new Uint8Array(0), ne: 0 }, '00B00102'],
  ];
  for (const [command, hex] of cases) {
    const bytes = encodeCommandApdu(command);
    assert.is(toHex(bytes), hex);
    const decoded = decodeCommandApdu(bytes);
    assert.is(decoded.extended, false);
    assert.is(toHex(decoded.data), toHex(command.data ?? new Uint8Array(0)));
    assert.is(decoded.ne, command.ne ?? 0);
  }
  assert.is(toHex(encodeCommandApdu({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') })), '00A4020C02011E');
});

test('extended cases chosen automatically for data > 255 or Ne > 256, or when forced', () => {
  assert.is(toHex(encodeCommandApdu({ ...H, ne: 257 })), '00B00102000101');
  assert.is(toHex(encodeCommandApdu({ ...H, ne: 65536 })), '00B00102000000');
  const data = new Uint8Array(256).fill(0xab);
  const e3 = encodeCommandApdu({ ...H, data });
  assert.is(toHex(e3.subarray(0, 7)), '00B00102000100');
  assert.is(e3.length, 7 + 256);
  const e4 = encodeCommandApdu({ ...H, data, ne: 65536 });
  assert.is(toHex(e4.subarray(e4.length - 2)), '0000');
  assert.is(e4.length, 9 + 256);
  assert.is(toHex(encodeCommandApdu({ ...H, ne: 4 }, { extended: true })), '00B00102000004');
  assert.is(toHex(encodeCommandApdu({ ...H, data: fromHex('AA'), ne: 4 }, { extended: true })), '00B00102000001AA0004');
  assert.is(toHex(encodeCommandApdu(H, { extended: true })), '00B00102', 'case 1 has no length fields');
  const extendedCases: CommandApdu[] = [{ ...H, ne: 257 }, { ...H, ne: 65536 }, { ...H, data }, { ...H, data, ne: 65536 }, { ...H, data: fromHex('AA'), ne: 4 }];
  for (const command of extendedCases) {
    const decoded = decodeCommandApdu(encodeCommandApdu(command, { extended: true }));
    assert.ok(decoded.extended);
    assert.is(decoded.ne, command.ne ?? 0);
    assert.is(toHex(decoded.data), toHex(command.data ?? new Uint8Array(0)));
  }
  assert.ok(needsExtendedLength({ ...H, ne: 257 }));
  assert.not.ok(needsExtendedLength({ ...H, ne: 256, data: new Uint8Array(255) }));
});

test('invalid commands are refused with EMRTD_APDU_INVALID', () => {
  throwsCode(() => encodeCommandApdu({ ...H, cla: 256 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => encodeCommandApdu({ ...H, p2: -1 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => encodeCommandApdu({ ...H, ne: 65537 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => encodeCommandApdu({ ...H, ne: 1.5 }), 'EMRTD_APDU_INVALID');
  throwsCode(() => encodeCommandApdu({ ...H, data: new Uint8Array(65536) }), 'EMRTD_APDU_INVALID');
});

test('malformed command bytes are refused with EMRTD_APDU_MALFORMED', () => {
  for (const hex of ['00B001', '00B0010203AA', '00B0010201AABBCC', '00B001020000', '00B00102000002AA', '00B0010200000000', '00B00102000001AABB']) {
    throwsCode(() => decodeCommandApdu(fromHex(hex)), 'EMRTD_APDU_MALFORMED');
  }
});

test('responses: data, SW, ok; card-side encoding', () => {
  const r = parseResponseApdu(fromHex('60145F019000'));
  assert.is(toHex(r.data), '60145F01');
  assert.equal([r.sw, r.sw1, r.sw2, r.ok], [0x9000, 0x90, 0x00, true]);
  const eof = parseResponseApdu(fromHex('AA6282'));
  assert.is(eof.ok, false);
  assert.is(eof.sw, 0x6282);
  assert.is(parseResponseApdu(fromHex('6A82')).data.length, 0);
  throwsCode(() => parseResponseApdu(fromHex('90')), 'EMRTD_APDU_MALFORMED');
  assert.is(toHex(encodeResponseApdu(fromHex('0102'), 0x6282)), '01026282');
  throwsCode(() => encodeResponseApdu(new Uint8Array(0), 0x10000), 'EMRTD_APDU_INVALID');
});

test('status words have human text, including the counted families', () => {
  assert.is(describeStatusWord(0x9000), 'SW 9000 (Normal processing)');
  assert.is(describeStatusWord(0x6a82), 'SW 6A82 (File or application not found)');
  for (const sw of [0x6282, 0x6700, 0x6982, 0x6983, 0x6985, 0x6986, 0x6987, 0x6988, 0x6a80, 0x6a86, 0x6a87, 0x6b00, 0x6d00, 0x6e00]) {
    assert.not.match(statusWordText(sw), /Unknown/, sw.toString(16));
  }
  assert.is(statusWordText(0x6110), '16 more response bytes available (GET RESPONSE)');
  assert.is(statusWordText(0x6100), '256 more response bytes available (GET RESPONSE)');
  assert.is(statusWordText(0x6c12), 'Wrong Le; the exact length is 18');
  assert.is(statusWordText(0x63c2), 'Verification failed, 2 tries left');
  assert.is(statusWordText(0x1234), 'Unknown status word');
});

test.run();
