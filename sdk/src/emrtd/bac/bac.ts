/**
 * Basic Access Control (ICAO Doc 9303 part 11 §4.3, worked example in Appendix D): the
 * document basic access keys from MRZ_information, and both halves of the mutual
 * authentication as pure functions — the terminal's (eMRTD plugin) and the chip's (the reader
 * simulator's virtual chip). Every random input is a parameter, so runs are reproducible.
 */

import { createHash } from 'node:crypto';
import { TesseraError } from '../../errors.js';
import type { CommandApdu } from '../codec/apdu.js';
import { concatBytes } from '../codec/bytes.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { retailMac, tripleDesDecrypt, tripleDesEncrypt } from '../crypto/des.js';
import { deriveKey } from '../crypto/kdf.js';
import { pad } from '../crypto/padding.js';
import { mrzInformation, type BacMrzInput } from './mrz-information.js';

export interface BacKeys {
  /** First 16 bytes of SHA-1(MRZ_information). */
  kSeed: Uint8Array;
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

export interface BacSessionKeys {
  /** K.IFD xor K.IC. */
  ksSeed: Uint8Array;
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  /** Initial send sequence counter: the low 4 bytes of RND.IC, then of RND.IFD. */
  ssc: Uint8Array;
}

const NONCE_LENGTH = 8;
const KEY_MATERIAL_LENGTH = 16;
/** E (32 bytes) || M (8 bytes) in both directions. */
const AUTH_DATA_LENGTH = 40;

function bacFailed(message: string, reason: string): TesseraError {
  return new TesseraError('EMRTD_BAC_FAILED', message, {
    hint: 'Check the document number, date of birth and date of expiry used for BAC, then retry with the document held still.',
    // A chip answers a failed EXTERNAL AUTHENTICATE with 6300; the simulator reuses this.
    details: { reason, sw: 0x6300 },
  });
}

function checkLength(value: Uint8Array, length: number, name: string): void {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new TesseraError('EMRTD_CRYPTO_INPUT_INVALID', `${name} must be ${length} bytes, got ${value instanceof Uint8Array ? value.length : typeof value}`, {
      hint: 'This is a programming error in the caller.',
    });
  }
}

function checkKeys(keys: Pick<BacKeys, 'kEnc' | 'kMac'>): void {
  checkLength(keys?.kEnc, KEY_MATERIAL_LENGTH, 'keys.kEnc');
  checkLength(keys?.kMac, KEY_MATERIAL_LENGTH, 'keys.kMac');
}

/** Derives K_seed, K_enc and K_mac from MRZ_information (or the three MRZ fields it is built from). */
export function deriveBacKeys(mrz: string | BacMrzInput): BacKeys {
  const info = typeof mrz === 'string' ? mrz : mrzInformation(mrz);
  if (!/^[A-Z0-9<]{24,}$/.test(info)) {
    throw new TesseraError('EMRTD_BAC_MRZ_INVALID', 'MRZ_information must be at least 24 MRZ characters (A–Z, 0–9, <)', {
      hint: 'Build it with mrzInformation({ documentNumber, birthDate, expiryDate }).',
    });
  }
  const kSeed = new Uint8Array(createHash('sha1').update(info, 'latin1').digest()).slice(0, 16);
  return { kSeed, kEnc: deriveKey(kSeed, 1, '3DES'), kMac: deriveKey(kSeed, 2, '3DES') };
}

/** The session keys and SSC both sides derive once the nonces and key halves are exchanged. */
export function deriveBacSessionKeys(kIfd: Uint8Array, kIc: Uint8Array, rndIc: Uint8Array, rndIfd: Uint8Array): BacSessionKeys {
  const ksSeed = new Uint8Array(KEY_MATERIAL_LENGTH);
  for (let i = 0; i < KEY_MATERIAL_LENGTH; i++) ksSeed[i] = kIfd[i] ^ kIc[i];
  return {
    ksSeed,
    ksEnc: deriveKey(ksSeed, 1, '3DES'),
    ksMac: deriveKey(ksSeed, 2, '3DES'),
    ssc: concatBytes(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)),
  };
}

/** GET CHALLENGE: asks the chip for RND.IC (8 bytes). */
export function bacTerminalChallenge(): CommandApdu {
  return { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, ne: NONCE_LENGTH };
}

export interface BacTerminalInput {
  rndIc: Uint8Array;
  rndIfd: Uint8Array;
  kIfd: Uint8Array;
  keys: Pick<BacKeys, 'kEnc' | 'kMac'>;
}

export interface BacTerminalAuthentication {
  /** E_IFD || M_IFD, the EXTERNAL AUTHENTICATE data. */
  commandData: Uint8Array;
  eIfd: Uint8Array;
  mIfd: Uint8Array;
  /** EXTERNAL AUTHENTICATE with that data and Le 40. */
  command: CommandApdu;
}

/** The terminal's cryptogram: E_IFD = 3DES(K_enc, RND.IFD || RND.IC || K.IFD), M_IFD = MAC(K_mac, E_IFD). */
export function bacTerminalAuthenticate(input: BacTerminalInput): BacTerminalAuthentication {
  checkLength(input.rndIc, NONCE_LENGTH, 'rndIc');
  checkLength(input.rndIfd, NONCE_LENGTH, 'rndIfd');
  checkLength(input.kIfd, KEY_MATERIAL_LENGTH, 'kIfd');
  checkKeys(input.keys);
  const eIfd = tripleDesEncrypt(input.keys.kEnc, concatBytes(input.rndIfd, input.rndIc, input.kIfd));
  const mIfd = retailMac(input.keys.kMac, pad(eIfd, 8));
  const commandData = concatBytes(eIfd, mIfd);
  return { commandData, eIfd, mIfd, command: { cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data: commandData, ne: AUTH_DATA_LENGTH } };
}

/**
 * Checks the chip's answer E_IC || M_IC (MAC first, then that it holds our RND.IFD and its own
 * RND.IC) and derives the session keys from K.IFD xor K.IC.
 */
export function bacTerminalComplete(input: BacTerminalInput & { responseData: Uint8Array }): BacSessionKeys & { kIc: Uint8Array } {
  checkLength(input.rndIc, NONCE_LENGTH, 'rndIc');
  checkLength(input.rndIfd, NONCE_LENGTH, 'rndIfd');
  checkLength(input.kIfd, KEY_MATERIAL_LENGTH, 'kIfd');
  checkKeys(input.keys);
  const response = input.responseData;
  if (!(response instanceof Uint8Array) || response.length !== AUTH_DATA_LENGTH) {
    throw bacFailed(`The chip's EXTERNAL AUTHENTICATE answer has ${response instanceof Uint8Array ? response.length : 0} bytes instead of ${AUTH_DATA_LENGTH}`, 'response length');
  }
  const eIc = response.subarray(0, 32);
  const mIc = response.subarray(32);
  if (!constantTimeEqual(mIc, retailMac(input.keys.kMac, pad(eIc, 8)))) throw bacFailed("The chip's MAC (M_IC) does not verify", 'M_IC');
  const r = tripleDesDecrypt(input.keys.kEnc, eIc);
  if (!constantTimeEqual(r.subarray(8, 16), input.rndIfd)) throw bacFailed('The chip did not echo RND.IFD', 'RND.IFD');
  if (!constantTimeEqual(r.subarray(0, 8), input.rndIc)) throw bacFailed('The chip answered with a RND.IC other than its challenge', 'RND.IC');
  const kIc = r.slice(16, 32);
  return { ...deriveBacSessionKeys(input.kIfd, kIc, input.rndIc, input.rndIfd), kIc };
}

export interface BacCardInput {
  /** E_IFD || M_IFD from the terminal's EXTERNAL AUTHENTICATE. */
  commandData: Uint8Array;
  /** The challenge this chip gave out. */
  rndIc: Uint8Array;
  /** The chip's key half K.IC (16 random bytes). */
  kIc: Uint8Array;
  keys: Pick<BacKeys, 'kEnc' | 'kMac'>;
}

/**
 * The chip's half: checks M_IFD and that the terminal encrypted this chip's RND.IC, then answers
 * E_IC = 3DES(K_enc, RND.IC || RND.IFD || K.IC) with its MAC. Failures carry details.sw 6300.
 */
export function bacCardRespond(input: BacCardInput): BacSessionKeys & { responseData: Uint8Array; rndIfd: Uint8Array; kIfd: Uint8Array } {
  checkLength(input.rndIc, NONCE_LENGTH, 'rndIc');
  checkLength(input.kIc, KEY_MATERIAL_LENGTH, 'kIc');
  checkKeys(input.keys);
  const command = input.commandData;
  if (!(command instanceof Uint8Array) || command.length !== AUTH_DATA_LENGTH) {
    throw bacFailed(`EXTERNAL AUTHENTICATE data has ${command instanceof Uint8Array ? command.length : 0} bytes instead of ${AUTH_DATA_LENGTH}`, 'command length');
  }
  const eIfd = command.subarray(0, 32);
  if (!constantTimeEqual(command.subarray(32), retailMac(input.keys.kMac, pad(eIfd, 8)))) throw bacFailed("The terminal's MAC (M_IFD) does not verify", 'M_IFD');
  const s = tripleDesDecrypt(input.keys.kEnc, eIfd);
  if (!constantTimeEqual(s.subarray(8, 16), input.rndIc)) throw bacFailed("The terminal did not encrypt this chip's RND.IC", 'RND.IC');
  const rndIfd = s.slice(0, 8);
  const kIfd = s.slice(16, 32);
  const eIc = tripleDesEncrypt(input.keys.kEnc, concatBytes(input.rndIc, rndIfd, input.kIc));
  const responseData = concatBytes(eIc, retailMac(input.keys.kMac, pad(eIc, 8)));
  return { ...deriveBacSessionKeys(kIfd, input.kIc, input.rndIc, rndIfd), responseData, rndIfd, kIfd };
}
