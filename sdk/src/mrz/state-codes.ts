/**
 * Codes accepted for the issuing state and nationality fields: the ISO 3166-1 alpha-3 list
 * plus the codes ICAO Doc 9303 part 3 reserves for special cases (Germany's single-letter D,
 * British nationality categories, UN and EU documents, stateless persons and refugees, …).
 */

// ISO 3166-1 alpha-3, all 249 officially assigned codes.
const ISO_3166_ALPHA3 =
  'ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE ' +
  'BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA ' +
  'CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE ' +
  'DEU DJI DMA DNK DOM DZA ' +
  'ECU EGY ERI ESH ESP EST ETH ' +
  'FIN FJI FLK FRA FRO FSM ' +
  'GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY ' +
  'HKG HMD HND HRV HTI HUN ' +
  'IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA ' +
  'JAM JEY JOR JPN ' +
  'KAZ KEN KGZ KHM KIR KNA KOR KWT ' +
  'LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA ' +
  'MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT ' +
  'NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL ' +
  'OMN ' +
  'PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF ' +
  'QAT ' +
  'REU ROU RUS RWA ' +
  'SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR ' +
  'TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA ' +
  'UGA UKR UMI URY USA UZB ' +
  'VAT VCT VEN VGB VIR VNM VUT ' +
  'WLF WSM ' +
  'YEM ' +
  'ZAF ZMB ZWE';

// ICAO Doc 9303 part 3 special codes, plus UTO (Utopia), the state of the ICAO specimens.
const ICAO_SPECIAL =
  'D GBD GBN GBO GBP GBS RKS XXK EUE UNO UNA UNK XBA XIM XCC XCE XCO XEC XPO XES XMP XOM XDC ' +
  'XXA XXB XXC XXX ANT NTZ UTO';

export const ISO_3166_ALPHA3_CODES: readonly string[] = Object.freeze(ISO_3166_ALPHA3.split(' '));
export const ICAO_SPECIAL_STATE_CODES: readonly string[] = Object.freeze(ICAO_SPECIAL.split(' '));

const KNOWN = new Set<string>([...ISO_3166_ALPHA3_CODES, ...ICAO_SPECIAL_STATE_CODES]);

/** True for an ISO 3166-1 alpha-3 code or an ICAO special code; MRZ filler padding ('D<<') is accepted. */
export function isKnownStateCode(code: string): boolean {
  if (typeof code !== 'string') return false;
  let end = code.length;
  while (end > 0 && code.charCodeAt(end - 1) === 60) end--;
  return KNOWN.has(end === code.length ? code : code.slice(0, end));
}
