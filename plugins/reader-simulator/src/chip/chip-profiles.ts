/** The chip profiles a virtual device can present, genuine and hostile, and what the terminal must make of each. */

export const CHIP_PROFILES = [
  { id: 'genuine', label: 'Genuine chip (BAC, AA, CA)' },
  { id: 'no-chip', label: 'No chip' },
  { id: 'bac-only', label: 'BAC only (no EF.CardAccess)' },
  { id: 'pace', label: 'PACE offered (EF.CardAccess), BAC too' },
  { id: 'pace-cam', label: 'PACE-CAM (chip key in a signed EF.CardSecurity)' },
  { id: 'pace-cam-cloned', label: 'Cloned PACE-CAM chip (copied EF.CardSecurity, own key)' },
  { id: 'short-reads', label: 'Short reads only (6700 above 160 bytes)' },
  { id: 'rsa-aa', label: 'RSA Active Authentication (ISO/IEC 9796-2)' },
  { id: 'dh-ca', label: 'Chip Authentication with DH' },
  { id: 'bad-mac', label: 'Corrupted response MACs after authentication' },
  { id: 'truncated-tlv', label: 'DG11 truncated' },
  { id: 'overlong-tlv', label: 'DG1 length field longer than the file' },
  { id: 'wrong-dg-hash', label: 'DG2 altered after signing' },
  { id: 'expired-signer', label: 'Document signer expired before issue' },
  { id: 'unknown-signer', label: 'Document signer from an unknown CSCA' },
  { id: 'foreign-csca', label: "Signed under another country's CSCA (ZZ)" },
  { id: 'cloned', label: 'Cloned chip (Active Authentication fails)' },
  { id: 'mute', label: 'Chip stops answering after BAC' },
] as const;

export type ChipProfile = (typeof CHIP_PROFILES)[number]['id'];

export const DEFAULT_CHIP_PROFILE: ChipProfile = 'genuine';

export function isChipProfile(value: string): value is ChipProfile {
  return CHIP_PROFILES.some((p) => p.id === value);
}

/** Largest READ BINARY the 'short-reads' chip answers. */
export const SHORT_READ_LIMIT = 160;

/**
 * How a chip is opened, independent of its profile: as the profile says (PACE only in 'pace'), or
 * with PACE offered in EF.CardAccess whatever the profile, so every hostile chip can be met through
 * PACE as well as BAC.
 */
export const CHIP_ACCESS = [
  { id: 'profile', label: "As the chip profile says (BAC; PACE only in 'pace' and the PACE-CAM chips)" },
  { id: 'pace', label: 'PACE offered (BAC too)' },
] as const;

export type ChipAccess = (typeof CHIP_ACCESS)[number]['id'];

export function isChipAccess(value: string): value is ChipAccess {
  return CHIP_ACCESS.some((a) => a.id === value);
}
