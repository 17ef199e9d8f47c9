/** The eMRTD checks' ids and titles: light, so the plugin registers its checks without loading the chip code. */
export const CHIP_CHECK_TITLES = {
  'chip.access': 'Chip access and reading',
  'chip.dg1-mrz': 'Chip MRZ matches the printed MRZ',
  'chip.passive-auth': 'Chip data signed by the issuing state (Passive Authentication)',
  'chip.active-auth': 'Chip is not a copy (Active Authentication)',
  'chip.chip-auth': 'Chip is not a copy (Chip Authentication)',
} as const;

export type ChipCheckId = keyof typeof CHIP_CHECK_TITLES;
