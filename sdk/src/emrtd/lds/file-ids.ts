/**
 * Where each LDS file lives (file identifier, short file identifier) and the tag its content
 * starts with (ICAO Doc 9303 part 10, §4.6 and the data-group table). The tag is how EF.COM lists
 * the data groups present, and how a parser checks it was handed the file it expects.
 */

export interface LdsFileInfo {
  name: string;
  /** File identifier within its application (EF.CardAccess / EF.CardSecurity: within the MF). */
  fid: number;
  /** Short file identifier, usable in READ BINARY P1. */
  sfi: number;
  /** Tag of the file's outer template; absent for files that are bare ASN.1 (EF.CardAccess, EF.CardSecurity). */
  tag?: number;
  /** True for files in the master file rather than the eMRTD application. */
  inMasterFile?: boolean;
}

/** DG1 … DG16 tags, index 0 is DG1. */
export const DATA_GROUP_TAGS: readonly number[] = Object.freeze([
  0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
]);

export const EF_COM: LdsFileInfo = Object.freeze({ name: 'EF.COM', fid: 0x011e, sfi: 0x1e, tag: 0x60 });
export const EF_SOD: LdsFileInfo = Object.freeze({ name: 'EF.SOD', fid: 0x011d, sfi: 0x1d, tag: 0x77 });
export const EF_CARD_ACCESS: LdsFileInfo = Object.freeze({ name: 'EF.CardAccess', fid: 0x011c, sfi: 0x1c, inMasterFile: true });
export const EF_CARD_SECURITY: LdsFileInfo = Object.freeze({ name: 'EF.CardSecurity', fid: 0x011d, sfi: 0x1d, inMasterFile: true });

/** Data groups 1..16: DGn is file 01nn (hex), SFI n, tag from DATA_GROUP_TAGS. */
export const DATA_GROUPS: readonly LdsFileInfo[] = Object.freeze(
  DATA_GROUP_TAGS.map((tag, i) => Object.freeze({ name: `DG${i + 1}`, fid: 0x0101 + i, sfi: i + 1, tag })),
);

export const LDS_FILES: readonly LdsFileInfo[] = Object.freeze([EF_COM, EF_SOD, ...DATA_GROUPS, EF_CARD_ACCESS, EF_CARD_SECURITY]);

function checkNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 16;
}

/** The tag DGn's content starts with, or undefined outside 1..16. */
export function dataGroupTag(n: number): number | undefined {
  return checkNumber(n) ? DATA_GROUP_TAGS[n - 1] : undefined;
}

export function dataGroupFileId(n: number): number | undefined {
  return checkNumber(n) ? 0x0100 + n : undefined;
}

/** Data-group number for a tag from EF.COM's tag list, or undefined for anything else. */
export function dataGroupFromTag(tag: number): number | undefined {
  const i = DATA_GROUP_TAGS.indexOf(tag);
  return i < 0 ? undefined : i + 1;
}

/** Data-group number for a file identifier 0101..0110. */
export function dataGroupFromFileId(fid: number): number | undefined {
  return fid >= 0x0101 && fid <= 0x0110 ? fid - 0x0100 : undefined;
}
