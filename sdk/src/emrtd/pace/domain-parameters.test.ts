// The standardized domain parameter table (Doc 9303 part 11 Table 12) checked from first
// principles and against two independent implementations: every generator is on its curve and
// has the stated prime order, the orders respect Hasse's bound, every DH generator generates the
// order-q subgroup of a safe-looking prime field; scalar multiplications and exponentiations
// agree with Node's OpenSSL, and the curves @noble/curves ships have the same constants.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDiffieHellman, createECDH } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { fromHex, toHex } from '../codec/bytes.js';
import { isTesseraError } from '../../errors.js';
import { STANDARDIZED_CURVES, STANDARDIZED_DH_GROUPS, standardizedDomainParameters } from './domain-parameters.js';
import { bigIntToBytes, bytesToBigInt, byteLength, mod, modPow, paceGroup } from './groups.js';
import { seededRandom } from './pace-test-support.js';

const big = (hex: string): bigint => BigInt(`0x${hex}`);

/** Miller–Rabin with fixed small-prime bases plus seeded random ones: enough to catch a mistyped digit. */
function isProbablePrime(n: bigint, rounds = 12): boolean {
  if (n < 2n) return false;
  for (const p of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n]) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  const random = seededRandom(`mr/${n.toString(16).slice(0, 16)}`);
  const bases = [2n, 3n, 5n, 7n, 11n];
  for (let i = 0; i < rounds - bases.length; i++) bases.push(2n + (bytesToBigInt(random(byteLength(n))) % (n - 3n)));
  outer: for (const a of bases) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

function sqrtFloor(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const OPENSSL_NAMES: Record<number, string> = {
  8: 'prime192v1',
  9: 'brainpoolP192r1',
  10: 'secp224r1',
  11: 'brainpoolP224r1',
  12: 'prime256v1',
  13: 'brainpoolP256r1',
  14: 'brainpoolP320r1',
  15: 'secp384r1',
  16: 'brainpoolP384r1',
  17: 'brainpoolP512r1',
  18: 'secp521r1',
};

test('the table covers ids 0-2 and 8-18 and nothing else', () => {
  assert.equal(STANDARDIZED_DH_GROUPS.map((g) => g.id), [0, 1, 2]);
  assert.equal(STANDARDIZED_CURVES.map((c) => c.id), [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  for (const id of [3, 4, 5, 6, 7, 19, 31, -1, 1.5]) assert.is(standardizedDomainParameters(id), undefined, String(id));
  assert.is(standardizedDomainParameters(13)?.type, 'ECDH');
  assert.is(standardizedDomainParameters(2)?.type, 'DH');
  try {
    paceGroup(7);
    assert.unreachable();
  } catch (error) {
    assert.ok(isTesseraError(error) && error.code === 'EMRTD_PACE_UNSUPPORTED');
  }
});

test('curves: p and n prime, G on the curve, n·G = O, Hasse bound, sizes as in Table 12', () => {
  const sizes: Record<number, number> = { 8: 192, 9: 192, 10: 224, 11: 224, 12: 256, 13: 256, 14: 320, 15: 384, 16: 384, 17: 512, 18: 521 };
  for (const c of STANDARDIZED_CURVES) {
    const [p, a, b, gx, gy, n] = [c.p, c.a, c.b, c.gx, c.gy, c.n].map(big);
    assert.is(p.toString(2).length, sizes[c.id], `${c.name} field size`);
    assert.ok(isProbablePrime(p), `${c.name} p is prime`);
    assert.ok(isProbablePrime(n), `${c.name} n is prime`);
    assert.is(mod(gy * gy - (gx * gx * gx + a * gx + b), p), 0n, `${c.name} G is on the curve`);
    assert.is(mod(4n * a * a * a + 27n * b * b, p) !== 0n, true, `${c.name} is non-singular`);
    assert.is(c.h, 1);
    const hasse = p + 1n - n * BigInt(c.h);
    assert.ok(hasse * hasse <= 4n * p, `${c.name} order within Hasse's bound`);
    // n·G = O, shown as (n-1)·G = -G with an independently built point type.
    const Point = weierstrass({ p, n, h: 1n, a, b, Gx: gx, Gy: gy });
    assert.ok(Point.BASE.multiplyUnsafe(n - 1n).equals(Point.BASE.negate()), `${c.name} n·G = O`);
    assert.ok(Point.BASE.multiplyUnsafe(n - 1n).add(Point.BASE).is0());
  }
});

test('curves agree with Node OpenSSL: k·G and ECDH for fixed and seeded scalars', () => {
  const random = seededRandom('openssl-curves');
  for (const c of STANDARDIZED_CURVES) {
    const group = paceGroup(c.id);
    const name = OPENSSL_NAMES[c.id];
    for (let i = 0; i < 3; i++) {
      const k = i === 0 ? 1n : i === 1 ? group.order - 1n : 1n + (bytesToBigInt(random(group.scalarLength + 8)) % (group.order - 1n));
      const kBytes = bigIntToBytes(k, group.scalarLength);
      const ecdh = createECDH(name);
      ecdh.setPrivateKey(kBytes);
      assert.is(toHex(group.encode(group.multiply(group.generator, k))), toHex(new Uint8Array(ecdh.getPublicKey())), `${c.name} k·G #${i}`);
      const other = 1n + (bytesToBigInt(random(group.scalarLength + 8)) % (group.order - 1n));
      const otherPublic = group.encode(group.multiply(group.generator, other));
      const shared = new Uint8Array(ecdh.computeSecret(otherPublic));
      assert.is(toHex(group.sharedSecret(group.multiply(group.decode(otherPublic, 'peer'), k))), toHex(shared), `${c.name} ECDH #${i}`);
    }
  }
});

test('curves agree with the constants @noble/curves ships (P-256/384/521, brainpoolP256r1/384r1/512r1)', () => {
  const shipped: Array<[number, { Point: { CURVE(): { p: bigint; n: bigint; a: bigint; b: bigint; Gx: bigint; Gy: bigint; h: bigint } } }]> = [
    [12, p256],
    [15, p384],
    [18, p521],
    [13, brainpoolP256r1],
    [16, brainpoolP384r1],
    [17, brainpoolP512r1],
  ];
  for (const [id, curve] of shipped) {
    const c = STANDARDIZED_CURVES.find((x) => x.id === id)!;
    const params = curve.Point.CURVE();
    assert.equal([params.p, params.a, params.b, params.Gx, params.Gy, params.n, params.h], [big(c.p), big(c.a), big(c.b), big(c.gx), big(c.gy), big(c.n), 1n], c.name);
  }
});

test('brainpoolP256r1 and the 1024-bit group match the values Doc 9303 part 11 App. G / H print', () => {
  const bp = STANDARDIZED_CURVES.find((c) => c.id === 13)!;
  assert.is(bp.p, 'A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377');
  assert.is(bp.a, '7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9');
  assert.is(bp.b, '26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6');
  assert.is(bp.gx + bp.gy, '8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997');
  assert.is(bp.n, 'A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7');
  const g0 = STANDARDIZED_DH_GROUPS[0];
  assert.is(g0.q, 'F518AA8781A8DF278ABA4E7D64B7CB9D49462353');
  assert.ok(g0.p.startsWith('B10B8F96A080E01DDE92DE5EAE5D54EC') && g0.p.endsWith('6D4DA708DF1FB2BC2E4A4371'));
  assert.ok(g0.g.startsWith('A4D1CBD5C3FD34126765A442EFB99905') && g0.g.endsWith('858F4DCEF97C2A24855E6EEB22B3B2E5'));
});

test('DH groups: p and q prime, q | p-1, g of order q, sizes 1024/160, 2048/224, 2048/256', () => {
  const sizes = [
    [1024, 160],
    [2048, 224],
    [2048, 256],
  ];
  for (const g of STANDARDIZED_DH_GROUPS) {
    const [p, gen, q] = [g.p, g.g, g.q].map(big);
    assert.equal([p.toString(2).length, q.toString(2).length], sizes[g.id], g.name);
    assert.ok(isProbablePrime(q), `${g.name} q prime`);
    assert.ok(isProbablePrime(p, 6), `${g.name} p prime`);
    assert.is((p - 1n) % q, 0n, `${g.name} q | p-1`);
    assert.ok(gen > 1n && gen < p - 1n);
    assert.is(modPow(gen, q, p), 1n, `${g.name} g^q = 1`);
  }
});

test('DH exponentiation agrees with Node OpenSSL, for the generator and for another base', () => {
  const random = seededRandom('openssl-dh');
  for (const g of STANDARDIZED_DH_GROUPS) {
    const group = paceGroup(g.id);
    const dh = createDiffieHellman(fromHex(g.p), fromHex(g.g));
    const k = 1n + (bytesToBigInt(random(group.scalarLength + 8)) % (group.order - 1n));
    dh.setPrivateKey(bigIntToBytes(k, group.scalarLength));
    const mine = group.multiply(group.generator, k);
    assert.is(toHex(bigIntToBytes(bytesToBigInt(group.encode(mine)), group.fieldLength)), toHex(new Uint8Array(dh.computeSecret(fromHex(g.g)))), `${g.name} g^k`);
    const base = group.multiply(group.generator, 12345n);
    assert.is(toHex(group.sharedSecret(group.multiply(base, k))), toHex(new Uint8Array(dh.computeSecret(bigIntToBytes(bytesToBigInt(group.encode(base)), group.fieldLength)))), `${g.name} y^k`);
  }
});

test('integrated mapping encodes onto every curve with p ≡ 3 mod 4 (all but P-224) and into every DH subgroup', () => {
  const random = seededRandom('im-map');
  for (const c of STANDARDIZED_CURVES) {
    const group = paceGroup(c.id);
    assert.is(group.supportsIntegratedMapping, c.id !== 10, c.name);
    for (let i = 0; i < 3; i++) {
      const t = 1n + (bytesToBigInt(random(group.fieldLength + 8)) % (group.prime - 1n));
      if (!group.supportsIntegratedMapping) {
        try {
          group.integratedMap(t);
          assert.unreachable();
        } catch (error) {
          assert.ok(isTesseraError(error) && error.code === 'EMRTD_PACE_UNSUPPORTED');
        }
        continue;
      }
      const encoded = group.encode(group.integratedMap(t));
      group.decode(encoded, 'mapped point'); // on the curve, not infinity
    }
  }
  for (const g of STANDARDIZED_DH_GROUPS) {
    const group = paceGroup(g.id);
    const mapped = group.integratedMap(2n + (bytesToBigInt(random(group.fieldLength)) % (group.prime - 3n)));
    assert.is(modPow(bytesToBigInt(group.encode(mapped)), group.order, group.prime), 1n, `${g.name} f_g(x) is in the subgroup`);
  }
});

test.run();
