/**
 * The cryptographic groups PACE runs in, behind one interface so the protocol code is written
 * once for DH and ECDH: elliptic curves through @noble/curves' generic Weierstrass arithmetic
 * (points validated before use), MODP groups with bigint modular exponentiation.
 *
 * Encodings follow Doc 9303 part 11 §9.4: EC public keys are uncompressed points 04||X||Y; DH
 * public values are unsigned integers in the fewest bytes. Shared secrets are the x-coordinate
 * (ECKA, TR-03111) or the DH value, each as many bytes as the field prime.
 *
 * Not constant-time (JavaScript bigint); acceptable for a terminal, where the secrets are
 * ephemeral keys used once, and for the simulator's virtual chip.
 */

import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { TesseraError } from '../../errors.js';
import { standardizedDomainParameters, type DhDomainParameters, type EcDomainParameters } from './domain-parameters.js';
import { paceError } from './pace-errors.js';

declare const ELEMENT: unique symbol;
/** An element of a PaceGroup (a curve point or a residue mod p); only the group that made it can use it. */
export interface GroupElement {
  readonly [ELEMENT]: true;
}

export interface PaceGroup {
  readonly keyAgreement: 'DH' | 'ECDH';
  readonly parameterId: number;
  readonly name: string;
  /** The field prime (EC) or modulus (DH): R_p maps into GF(p). */
  readonly prime: bigint;
  /** Order of the generator: n (EC) or q (DH). */
  readonly order: bigint;
  /** Bytes of a private key: the order's length, which is what the terminal draws per key. */
  readonly scalarLength: number;
  /** Bytes of a field element: shared secrets and EC coordinates have exactly this length. */
  readonly fieldLength: number;
  readonly generator: GroupElement;
  /** k·P (EC) or P^k mod p (DH); k is reduced modulo the order and must not be 0 modulo it. */
  multiply(element: GroupElement, scalar: bigint): GroupElement;
  /** The group operation: P + Q (EC) or P·Q mod p (DH). */
  add(a: GroupElement, b: GroupElement): GroupElement;
  equals(a: GroupElement, b: GroupElement): boolean;
  isIdentity(element: GroupElement): boolean;
  /** Public key encoding for the wire and for authentication tokens. */
  encode(element: GroupElement): Uint8Array;
  /**
   * Decodes and validates a peer's public key: a point on the curve other than infinity, or a DH
   * value 1 < y < p-1 in the order-q subgroup (RFC 2631). Throws EMRTD_PACE_PUBLIC_KEY_INVALID.
   */
  decode(bytes: Uint8Array, what: string): GroupElement;
  /** The shared secret K from a key agreement result: FE2OS(x) or I2OS(value, |p|). */
  sharedSecret(element: GroupElement): Uint8Array;
  /** Whether the integrated mapping's encoding into this group is defined. */
  readonly supportsIntegratedMapping: boolean;
  /** f_G (App. B point encoding, EC) or f_g(x) = x^((p-1)/q) (DH), for 0 < x < p. */
  integratedMap(x: bigint): GroupElement;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Big-endian, exactly `length` bytes (throws if the value does not fit). */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`value does not fit in ${length} bytes`);
  return out;
}

/** Big-endian in the fewest bytes (at least one): Doc 9303's "unsigned integer". */
export function bigIntToMinimalBytes(value: bigint): Uint8Array {
  let length = 1;
  for (let v = value >> 8n; v > 0n; v >>= 8n) length++;
  return bigIntToBytes(value, length);
}

export function byteLength(value: bigint): number {
  return Math.ceil(value.toString(16).length / 2);
}

export function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = mod(base, modulus);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    if (e > 0n) b = (b * b) % modulus;
  }
  return result;
}

/** Inverse modulo a prime (Fermat). */
export function modInversePrime(a: bigint, prime: bigint): bigint {
  const r = mod(a, prime);
  if (r === 0n) throw new RangeError('zero has no inverse');
  return modPow(r, prime - 2n, prime);
}

function invalidKey(what: string, why: string): TesseraError {
  return paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', `${what} is not a valid public key: ${why}`, { what });
}

function zeroScalar(): TesseraError {
  return new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', 'A PACE private key or nonce is zero modulo the group order', {
    hint: 'The random source is broken (it returned all zeros or a multiple of the group order).',
  });
}

type Point = WeierstrassPoint<bigint>;

class EcGroup implements PaceGroup {
  readonly keyAgreement = 'ECDH' as const;
  readonly parameterId: number;
  readonly name: string;
  readonly prime: bigint;
  readonly order: bigint;
  readonly scalarLength: number;
  readonly fieldLength: number;
  readonly generator: GroupElement;
  readonly supportsIntegratedMapping: boolean;
  private readonly a: bigint;
  private readonly b: bigint;
  private readonly cofactor: bigint;
  private readonly Point: WeierstrassPointCons<bigint>;

  constructor(params: EcDomainParameters) {
    this.parameterId = params.id;
    this.name = params.name;
    this.prime = BigInt(`0x${params.p}`);
    this.order = BigInt(`0x${params.n}`);
    this.a = BigInt(`0x${params.a}`);
    this.b = BigInt(`0x${params.b}`);
    this.cofactor = BigInt(params.h);
    this.scalarLength = byteLength(this.order);
    this.fieldLength = byteLength(this.prime);
    this.Point = weierstrass({ p: this.prime, n: this.order, h: this.cofactor, a: this.a, b: this.b, Gx: BigInt(`0x${params.gx}`), Gy: BigInt(`0x${params.gy}`) });
    this.generator = this.Point.BASE as unknown as GroupElement;
    this.supportsIntegratedMapping = this.prime % 4n === 3n && this.a !== 0n;
  }

  multiply(element: GroupElement, scalar: bigint): GroupElement {
    const k = mod(scalar, this.order);
    if (k === 0n) throw zeroScalar();
    return (element as unknown as Point).multiply(k) as unknown as GroupElement;
  }

  add(a: GroupElement, b: GroupElement): GroupElement {
    return (a as unknown as Point).add(b as unknown as Point) as unknown as GroupElement;
  }

  equals(a: GroupElement, b: GroupElement): boolean {
    return (a as unknown as Point).equals(b as unknown as Point);
  }

  isIdentity(element: GroupElement): boolean {
    return (element as unknown as Point).is0();
  }

  encode(element: GroupElement): Uint8Array {
    const point = element as unknown as Point;
    if (point.is0()) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The point at infinity has no public key encoding');
    const { x, y } = point.toAffine();
    const out = new Uint8Array(1 + 2 * this.fieldLength);
    out[0] = 0x04;
    out.set(bigIntToBytes(x, this.fieldLength), 1);
    out.set(bigIntToBytes(y, this.fieldLength), 1 + this.fieldLength);
    return out;
  }

  decode(bytes: Uint8Array, what: string): GroupElement {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw invalidKey(what, 'it is empty');
    if (bytes.length === 1 && bytes[0] === 0x00) throw invalidKey(what, 'it is the point at infinity');
    if (bytes[0] !== 0x04) throw invalidKey(what, `it starts with '${bytes[0].toString(16).padStart(2, '0').toUpperCase()}', not '04' (only uncompressed points are allowed)`);
    if (bytes.length !== 1 + 2 * this.fieldLength) throw invalidKey(what, `an uncompressed ${this.name} point has ${1 + 2 * this.fieldLength} bytes, not ${bytes.length}`);
    const x = bytesToBigInt(bytes.subarray(1, 1 + this.fieldLength));
    const y = bytesToBigInt(bytes.subarray(1 + this.fieldLength));
    if (x >= this.prime || y >= this.prime) throw invalidKey(what, 'a coordinate is not below the field prime');
    if (mod(y * y - (x * x * x + this.a * x + this.b), this.prime) !== 0n) throw invalidKey(what, `the point is not on ${this.name}`);
    const point = this.Point.fromAffine({ x, y });
    try {
      point.assertValidity();
    } catch (error) {
      throw invalidKey(what, error instanceof Error ? error.message : String(error));
    }
    return point as unknown as GroupElement;
  }

  sharedSecret(element: GroupElement): Uint8Array {
    const point = element as unknown as Point;
    if (point.is0()) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The key agreement gave the point at infinity');
    return bigIntToBytes(point.toAffine().x, this.fieldLength);
  }

  /** Doc 9303 part 11 App. B.2 (affine coordinates), the simplified SWU encoding of [BCIMRT2010]. */
  integratedMap(t: bigint): GroupElement {
    const p = this.prime;
    if (!this.supportsIntegratedMapping) throw paceError('EMRTD_PACE_UNSUPPORTED', `${this.name} cannot be used with the Integrated Mapping (needs p ≡ 3 mod 4 and a ≠ 0)`);
    if (t <= 0n || t >= p) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping input is not in 1..p-1');
    const alpha = mod(-t * t, p);
    const alphaSum = mod(alpha + alpha * alpha, p); // α + α²
    if (alphaSum === 0n) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping input has no encoding (α + α² = 0)');
    // X2 = -b·a⁻¹·(1 + (α + α²)⁻¹)
    const x2 = mod(-this.b * modInversePrime(this.a, p) * (1n + modInversePrime(alphaSum, p)), p);
    const x3 = mod(alpha * x2, p);
    const h2 = mod(x2 * x2 * x2 + this.a * x2 + this.b, p);
    const u = mod(t * t * t * h2, p);
    const a = modPow(h2, p - 1n - (p + 1n) / 4n, p);
    const [x, y] = mod(a * a * h2, p) === 1n ? [x2, mod(a * h2, p)] : [x3, mod(a * u, p)];
    let point: Point;
    try {
      point = this.Point.fromAffine({ x, y });
      point.assertValidity();
    } catch (error) {
      throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping did not give a point on the curve', undefined, error);
    }
    if (this.cofactor !== 1n) point = point.multiplyUnsafe(this.cofactor);
    if (point.is0()) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping gave the point at infinity');
    return point as unknown as GroupElement;
  }
}

class DhGroup implements PaceGroup {
  readonly keyAgreement = 'DH' as const;
  readonly parameterId: number;
  readonly name: string;
  readonly prime: bigint;
  readonly order: bigint;
  readonly scalarLength: number;
  readonly fieldLength: number;
  readonly generator: GroupElement;
  readonly supportsIntegratedMapping = true;
  private readonly cofactor: bigint;

  constructor(params: DhDomainParameters) {
    this.parameterId = params.id;
    this.name = params.name;
    this.prime = BigInt(`0x${params.p}`);
    this.order = BigInt(`0x${params.q}`);
    this.generator = BigInt(`0x${params.g}`) as unknown as GroupElement;
    this.scalarLength = byteLength(this.order);
    this.fieldLength = byteLength(this.prime);
    this.cofactor = (this.prime - 1n) / this.order;
  }

  multiply(element: GroupElement, scalar: bigint): GroupElement {
    const k = mod(scalar, this.order);
    if (k === 0n) throw zeroScalar();
    return modPow(element as unknown as bigint, k, this.prime) as unknown as GroupElement;
  }

  add(a: GroupElement, b: GroupElement): GroupElement {
    return (((a as unknown as bigint) * (b as unknown as bigint)) % this.prime) as unknown as GroupElement;
  }

  equals(a: GroupElement, b: GroupElement): boolean {
    return (a as unknown as bigint) === (b as unknown as bigint);
  }

  isIdentity(element: GroupElement): boolean {
    return (element as unknown as bigint) === 1n;
  }

  encode(element: GroupElement): Uint8Array {
    return bigIntToMinimalBytes(element as unknown as bigint);
  }

  decode(bytes: Uint8Array, what: string): GroupElement {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw invalidKey(what, 'it is empty');
    if (bytes.length > this.fieldLength) throw invalidKey(what, `${bytes.length} bytes is longer than the ${this.fieldLength}-byte prime`);
    const y = bytesToBigInt(bytes);
    if (y <= 1n || y >= this.prime - 1n) throw invalidKey(what, 'the value is not in 2..p-2');
    if (modPow(y, this.order, this.prime) !== 1n) throw invalidKey(what, 'the value is not in the prime-order subgroup (y^q mod p ≠ 1)');
    return y as unknown as GroupElement;
  }

  sharedSecret(element: GroupElement): Uint8Array {
    const value = element as unknown as bigint;
    if (value === 1n) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The key agreement gave the identity element');
    return bigIntToBytes(value, this.fieldLength);
  }

  /** f_g(x) = x^a mod p with a = (p-1)/q (Doc 9303 part 11 §4.4.3.3.2); the result must not be 1. */
  integratedMap(x: bigint): GroupElement {
    if (x <= 0n || x >= this.prime) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping input is not in 1..p-1');
    const g = modPow(x, this.cofactor, this.prime);
    if (g === 1n) throw paceError('EMRTD_PACE_PUBLIC_KEY_INVALID', 'The integrated mapping gave the identity element');
    return g as unknown as GroupElement;
  }
}

const cache = new Map<number, PaceGroup>();

/** The group for a standardized domain parameter id (0–2, 8–18). Throws EMRTD_PACE_UNSUPPORTED for others. */
export function paceGroup(parameterId: number): PaceGroup {
  const cached = cache.get(parameterId);
  if (cached) return cached;
  const params = standardizedDomainParameters(parameterId);
  if (!params) throw paceError('EMRTD_PACE_UNSUPPORTED', `Domain parameter id ${String(parameterId)} is not a standardized PACE id (0–2, 8–18)`, { parameterId });
  const group = params.type === 'ECDH' ? new EcGroup(params) : new DhGroup(params);
  cache.set(parameterId, group);
  return group;
}
