/**
 * Passive Authentication of eMRTD chips (ICAO Doc 9303 part 11): EF.SOD signature, DSC chain to
 * a CSCA of the trust store, issuing-state check and data-group hashes.
 */

export { verifyPassiveAuthentication, type PassiveAuthInput, type PassiveAuthResult, type HashCheck, type CertificateInfo, type PaMessage } from './passive-auth.js';
export { lookupIssuingState, alpha3ToAlpha2, type IssuingStateLookup } from './country-codes.js';
