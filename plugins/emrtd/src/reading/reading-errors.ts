/**
 * Error codes of the chip reading added with `tessera chip read` and PACE-CAM, with a one-line
 * meaning each (the catalogue docs/error-codes.md is generated from).
 */
export const EMRTD_READING_ERROR_CODES = {
  EMRTD_READ_NO_KEY: 'No key opens the chip: no MRZ (none given, none read by the reader), or only a CAN for a chip without PACE (BAC needs the MRZ).',
  EMRTD_PACE_CAM_KEY_MISSING: "After PACE-CAM, EF.CardSecurity publishes no EC Chip Authentication key whose keyId is the PACE parameter id, so the chip's token cannot be checked.",
} as const;
