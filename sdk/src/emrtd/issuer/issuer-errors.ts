/**
 * The error codes the test PKI throws, with a one-line description each for the documentation.
 * Builders of LDS content it calls may also throw EMRTD_LDS_BUILD_INVALID.
 */

export const ISSUER_ERROR_CODES = {
  EMRTD_ISSUER_OPTIONS_INVALID: 'An option is missing or out of range (country code, validity, serial number, data-group numbering).',
  EMRTD_ISSUER_UNSUPPORTED_ALGORITHM: 'The key or hash algorithm is not one the test PKI can use (brainpool curves, SHA-224 certificates, a key type that cannot do the requested scheme).',
  EMRTD_ISSUER_KEY_MISMATCH: "The private key given does not match the signer's certificate.",
} as const;
