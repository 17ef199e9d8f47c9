// Known-answer tests for the ICAO KDF, padding, 3DES/retail MAC (Doc 9303 part 11 App. D),
// AES-CBC (SP 800-38A F.2) and AES-CMAC (RFC 4493 / SP 800-38B), and constant-time compare.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { fromHex, toHex } from '../codec/bytes.js';
import {
  adjustDesParity,
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  AesCmac,
  blockSize,
  constantTimeEqual,
  deriveKey,
  drawRandom,
  KeyedBlockCipher,
  keyLength,
  pad,
  retailMac,
  RetailMac,
  secureRandom,
  tripleDesDecrypt,
  tripleDesEncrypt,
  unpad,
} from './index.js';

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    assert.is((error as { code?: string }).code, code, (error as Error).message);
    assert.is((error as Error).name, 'TesseraError');
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('KDF, 3DES: Doc 9303 part 11 App. D basic access keys and session keys', () => {
  const kSeed = fromHex('239AB9CB282DAF66231DC5A4DF6BFBAE');
  assert.is(toHex(deriveKey(kSeed, 1, '3DES')), 'AB94FDECF2674FDFB9B391F85D7F76F2');
  assert.is(toHex(deriveKey(kSeed, 2, '3DES')), '7962D9ECE03D1ACD4C76089DCE131543');
  const ksSeed = fromHex('0036D272F5C350ACAC50C3F572D23600');
  assert.is(toHex(deriveKey(ksSeed, 1, '3DES')), '979EC13B1CBFE9DCD01AB0FED307EAE5');
  assert.is(toHex(deriveKey(ksSeed, 2, '3DES')), 'F1CB1F1FB5ADF208806B89DC579DC1F8');
});

test('KDF, AES-128: Doc 9303 part 11 App. G (PACE ECDH-GM) password key and session keys', () => {
  // MRZ_information T22000129364081251010318; for PACE the seed is the full SHA-1 of it.
  const seed = new Uint8Array(createHash('sha1').update('T22000129364081251010318').digest());
  assert.is(toHex(seed), '7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD');
  assert.is(toHex(deriveKey(seed, 3, 'AES128')), '89DED1B26624EC1E634C1989302849DD');
  const shared = fromHex('28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925');
  assert.is(toHex(deriveKey(shared, 1, 'AES128')), 'F5F0E35C0D7161EE6724EE513A0D9A7F');
  assert.is(toHex(deriveKey(shared, 2, 'AES128')), 'FE251C7858B356B24514B3BD5F4297D1');
});

test('KDF: hash choice and output lengths per algorithm', () => {
  const seed = fromHex('00112233445566778899AABBCCDDEEFF');
  const c1 = new Uint8Array([...seed, 0, 0, 0, 1]);
  const sha1 = new Uint8Array(createHash('sha1').update(c1).digest());
  const sha256 = new Uint8Array(createHash('sha256').update(c1).digest());
  assert.is(toHex(deriveKey(seed, 1, 'AES128')), toHex(sha1.subarray(0, 16)));
  assert.is(toHex(deriveKey(seed, 1, 'AES192')), toHex(sha256.subarray(0, 24)));
  assert.is(toHex(deriveKey(seed, 1, 'AES256')), toHex(sha256));
  assert.is(toHex(deriveKey(seed, 1, '3DES')), toHex(adjustDesParity(sha1.subarray(0, 16))));
  for (const byte of deriveKey(seed, 2, '3DES')) {
    let ones = 0;
    for (let b = byte; b; b >>= 1) ones += b & 1;
    assert.is(ones % 2, 1, 'every 3DES key byte has odd parity');
  }
  assert.equal([keyLength('3DES'), keyLength('AES128'), keyLength('AES192'), keyLength('AES256')], [16, 16, 24, 32]);
  assert.equal([blockSize('3DES'), blockSize('AES256')], [8, 16]);
  throwsCode(() => deriveKey(seed, 4 as 1, 'AES128'), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => deriveKey(new Uint8Array(0), 1, 'AES128'), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => deriveKey(seed, 1, 'RC4' as '3DES'), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('ISO/IEC 9797-1 method 2 padding: always adds, unpad rejects bad padding', () => {
  assert.is(toHex(pad(fromHex('0CA4020C'), 8)), '0CA4020C80000000');
  assert.is(toHex(pad(new Uint8Array(8), 8)), '00000000000000008000000000000000');
  assert.is(toHex(pad(new Uint8Array(0), 16)), '80000000000000000000000000000000');
  for (let n = 0; n < 40; n++) {
    const data = secureRandom(n);
    for (const size of [8, 16]) {
      const padded = pad(data, size);
      assert.is(padded.length % size, 0);
      assert.ok(padded.length > data.length);
      assert.is(toHex(unpad(padded, size)), toHex(data));
    }
  }
  throwsCode(() => unpad(fromHex('0102030405060700'), 8), 'EMRTD_CRYPTO_PADDING_INVALID'); // no 80
  throwsCode(() => unpad(fromHex('0000000000000000'), 8), 'EMRTD_CRYPTO_PADDING_INVALID'); // all zero
  throwsCode(() => unpad(fromHex('800000000000000000'), 8), 'EMRTD_CRYPTO_PADDING_INVALID'); // not whole blocks
  throwsCode(() => unpad(fromHex('80000000000000000000000000000000'), 8), 'EMRTD_CRYPTO_PADDING_INVALID'); // zeros run past a block
  throwsCode(() => unpad(new Uint8Array(0), 8), 'EMRTD_CRYPTO_PADDING_INVALID');
  throwsCode(() => pad(new Uint8Array(1), 12), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('3DES-CBC and retail MAC: Doc 9303 part 11 App. D.3', () => {
  const kEnc = fromHex('AB94FDECF2674FDFB9B391F85D7F76F2');
  const kMac = fromHex('7962D9ECE03D1ACD4C76089DCE131543');
  const s = fromHex('781723860C06C226' + '4608F91988702212' + '0B795240CB7049B01C19B33E32804F0B');
  const eIfd = tripleDesEncrypt(kEnc, s);
  assert.is(toHex(eIfd), '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2');
  assert.is(toHex(retailMac(kMac, pad(eIfd, 8))), '5F1448EEA8AD90A7');
  const eIc = fromHex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F');
  assert.is(toHex(retailMac(kMac, pad(eIc, 8))), '2F2D235D074D7449');
  assert.is(toHex(tripleDesDecrypt(kEnc, eIc)), '4608F91988702212781723860C06C2260B4F80323EB3191CB04970CB4052790B');
  // App. D.4: MAC over N = pad(SSC || padded header || DO'87')
  const n = fromHex('887022120C06C227 0CA4020C80000000 8709016375432908C044F6 8000000000');
  assert.is(toHex(retailMac(fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8'), n)), 'BF8B92D635FF24F8');
  assert.is(toHex(tripleDesEncrypt(fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'), pad(fromHex('011E'), 8))), '6375432908C044F6');
  throwsCode(() => tripleDesEncrypt(kEnc, new Uint8Array(7)), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => tripleDesEncrypt(new Uint8Array(24), new Uint8Array(8)), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => retailMac(kMac, new Uint8Array(0)), 'EMRTD_CRYPTO_INPUT_INVALID');
});

const SP800_38A_PLAIN =
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710';
const SP800_IV = fromHex('000102030405060708090a0b0c0d0e0f');

test('AES-CBC: NIST SP 800-38A F.2.1, F.2.3, F.2.5 (encrypt and decrypt)', () => {
  const cases = [
    ['2b7e151628aed2a6abf7158809cf4f3c', '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7'],
    ['8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b', '4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd'],
    ['603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b'],
  ];
  for (const [key, cipher] of cases) {
    assert.is(toHex(aesCbcEncrypt(fromHex(key), fromHex(SP800_38A_PLAIN), SP800_IV)), cipher.toUpperCase());
    assert.is(toHex(aesCbcDecrypt(fromHex(key), fromHex(cipher), SP800_IV)), toHex(fromHex(SP800_38A_PLAIN)));
  }
  throwsCode(() => aesCbcEncrypt(new Uint8Array(20), new Uint8Array(16)), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => aesCbcEncrypt(new Uint8Array(16), new Uint8Array(15)), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('keyed ciphers reused across messages give each message the result of a fresh cipher with its own IV', () => {
  // One 3DES and one AES context, each used for interleaved encryptions and decryptions of messages
  // of different lengths under different IVs: every result must equal the known answer, so the
  // chaining value carried from message to message must have been cancelled every time.
  const aes = new KeyedBlockCipher('AES', fromHex('2b7e151628aed2a6abf7158809cf4f3c'));
  const sp800 = fromHex('7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7');
  const tdes = new KeyedBlockCipher('3DES', fromHex('AB94FDECF2674FDFB9B391F85D7F76F2'));
  const d3Plain = fromHex('781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B');
  for (let round = 0; round < 3; round++) {
    assert.is(toHex(aes.encryptCbc(fromHex(SP800_38A_PLAIN), SP800_IV)), toHex(sp800), `AES encrypt, round ${round}`);
    assert.is(toHex(aes.encryptCbc(fromHex(SP800_38A_PLAIN).subarray(16, 48), sp800.subarray(0, 16))), toHex(sp800.subarray(16, 48)), 'AES encrypt from the middle: the IV is the previous ciphertext block');
    assert.is(toHex(aes.decryptCbc(sp800.subarray(32), sp800.subarray(16, 32))), toHex(fromHex(SP800_38A_PLAIN).subarray(32)), 'AES decrypt of the tail');
    assert.is(toHex(aes.decryptCbc(sp800, SP800_IV)), toHex(fromHex(SP800_38A_PLAIN)), 'AES decrypt whole');
    assert.is(toHex(tdes.encryptCbc(d3Plain)), '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2', `3DES, round ${round}`);
    assert.is(toHex(tdes.decryptCbc(fromHex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2'))), toHex(d3Plain));
  }
  assert.is(toHex(aes.encryptBlocks(fromHex(SP800_38A_PLAIN).subarray(0, 16))), '3AD77BB40D7A3660A89ECAF32466EF97', 'ECB, SP 800-38A F.1.1');
  // The keyed MACs agree with the one-shot functions (whose known answers are above and below) message after message.
  const retail = new RetailMac(fromHex('7962D9ECE03D1ACD4C76089DCE131543'));
  const cmac = new AesCmac(fromHex('2b7e151628aed2a6abf7158809cf4f3c'));
  for (let round = 0; round < 2; round++) {
    assert.is(toHex(retail.compute(pad(fromHex('72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2'), 8))), '5F1448EEA8AD90A7');
    assert.is(toHex(retail.compute(pad(fromHex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F'), 8))), '2F2D235D074D7449');
    assert.is(toHex(cmac.compute(fromHex(SP800_38A_PLAIN).subarray(0, 40))), 'DFA66747DE9AE63030CA32611497C827');
    assert.is(toHex(cmac.compute(new Uint8Array(0))), 'BB1D6929E95937287FA37D129B756746');
  }
  throwsCode(() => aes.encryptCbc(new Uint8Array(16), new Uint8Array(8)), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => tdes.decryptCbc(new Uint8Array(12)), 'EMRTD_CRYPTO_INPUT_INVALID');
  throwsCode(() => new KeyedBlockCipher('3DES', new Uint8Array(24)), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('AES-CMAC: RFC 4493 examples 1-4 (AES-128)', () => {
  const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
  const m = fromHex(SP800_38A_PLAIN);
  assert.is(toHex(aesCmac(key, new Uint8Array(0))), 'BB1D6929E95937287FA37D129B756746');
  assert.is(toHex(aesCmac(key, m.subarray(0, 16))), '070A16B46B4D4144F79BDD9DD04A287C');
  assert.is(toHex(aesCmac(key, m.subarray(0, 40))), 'DFA66747DE9AE63030CA32611497C827');
  assert.is(toHex(aesCmac(key, m)), '51F0BEBF7E3B9D92FC49741779363CFE');
  assert.is(toHex(aesCmac(key, m, 8)), '51F0BEBF7E3B9D92', 'Doc 9303 keeps the leftmost 8 bytes');
  throwsCode(() => aesCmac(key, m, 0), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test('AES-CMAC: NIST SP 800-38B examples for AES-192 and AES-256', () => {
  const m = fromHex(SP800_38A_PLAIN);
  const k192 = fromHex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b');
  assert.is(toHex(aesCmac(k192, new Uint8Array(0))), 'D17DDF46ADAACDE531CAC483DE7A9367');
  assert.is(toHex(aesCmac(k192, m.subarray(0, 40))), '8A1DE5BE2EB31AAD089A82E6EE908B0E');
  assert.is(toHex(aesCmac(k192, m)), 'A1D5DF0EED790F794D77589659F39A11');
  const k256 = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  assert.is(toHex(aesCmac(k256, new Uint8Array(0))), '028962F61B7BF89EFC6B551F4667D983');
  assert.is(toHex(aesCmac(k256, m.subarray(0, 40))), 'AAF3D8F1DE5640C232F5B169B9C911E6');
  assert.is(toHex(aesCmac(k256, m)), 'E1992190549F6ED5696A2C056C315410');
});

test('constantTimeEqual and random draws', () => {
  assert.ok(constantTimeEqual(fromHex('0102'), fromHex('0102')));
  assert.not.ok(constantTimeEqual(fromHex('0102'), fromHex('0103')));
  assert.not.ok(constantTimeEqual(fromHex('0102'), fromHex('010200')));
  assert.ok(constantTimeEqual(new Uint8Array(0), new Uint8Array(0)));
  assert.is(secureRandom(16).length, 16);
  assert.is(toHex(drawRandom(() => fromHex('AABB'), 2, 'test')), 'AABB');
  throwsCode(() => drawRandom(() => new Uint8Array(3), 2, 'test'), 'EMRTD_CRYPTO_INPUT_INVALID');
});

test.run();
