/**
 * @tessera/sdk/emrtd — the ICAO 9303 parts 10–11 library: pure, no I/O, used by the terminal side
 * (the eMRTD plugin reading chips) and the card side (the simulator's virtual chip) alike.
 * BER-TLV and APDU codecs, the ICAO KDF and cipher/MAC helpers, secure messaging, BAC, PACE, and the
 * LDS (data groups, document security object, master lists) with a test PKI that issues documents.
 */
export * from './codec/index.js';
export * from './crypto/index.js';
export * from './sm/index.js';
export * from './bac/index.js';
export * from './lds/index.js';
export * from './pace/index.js';
// The test PKI (issuer) is a separate entry, '@tessera/sdk/emrtd/issuer': it loads X.509 tooling that
// readers of chips never need.
