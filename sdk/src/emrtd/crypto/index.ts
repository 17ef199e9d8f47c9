/**
 * The ICAO Doc 9303 part 11 symmetric toolkit: key derivation, ISO/IEC 9797-1 padding, 3DES
 * and retail MAC for BAC, AES and AES-CMAC for PACE, constant-time comparison. The primitives
 * themselves are Node's; this layer is the protocol glue around them.
 */

export { blockSize, keyLength, SYMMETRIC_ALGORITHMS, type SymmetricAlgorithm } from './algorithms.js';
export { adjustDesParity, deriveKey, KDF_COUNTER_ENC, KDF_COUNTER_MAC, KDF_COUNTER_PACE } from './kdf.js';
export { pad, unpad } from './padding.js';
export { RetailMac, retailMac, tripleDesDecrypt, tripleDesEncrypt } from './des.js';
export { AesCmac, aesCbcDecrypt, aesCbcEncrypt, aesCmac, aesEncryptBlock } from './aes.js';
export { KeyedBlockCipher, type BlockCipherName } from './keyed-cipher.js';
export { constantTimeEqual } from './compare.js';
export { drawRandom, secureRandom, type RandomSource } from './random.js';
