/**
 * MRZ issuing-state codes (ISO 3166-1 alpha-3 plus the ICAO Doc 9303 part 3 specials) mapped to
 * the ISO 3166-1 alpha-2 codes CSCA certificates carry in their countryName (C=). Passive
 * Authentication uses it to check that the CSCA a document chains to belongs to the state the
 * MRZ names.
 *
 * Organisations and categories without a country (EU laissez-passer EUE, UN documents, refugees,
 * stateless persons, …) have no alpha-2 code: for them the comparison is "cannot compare", not a
 * mismatch.
 */

// All 249 officially assigned ISO 3166-1 codes, alpha-3 → alpha-2.
const ISO_3166: Readonly<Record<string, string>> = {
  ABW: 'AW', AFG: 'AF', AGO: 'AO', AIA: 'AI', ALA: 'AX', ALB: 'AL', AND: 'AD', ARE: 'AE', ARG: 'AR', ARM: 'AM',
  ASM: 'AS', ATA: 'AQ', ATF: 'TF', ATG: 'AG', AUS: 'AU', AUT: 'AT', AZE: 'AZ', BDI: 'BI', BEL: 'BE', BEN: 'BJ',
  BES: 'BQ', BFA: 'BF', BGD: 'BD', BGR: 'BG', BHR: 'BH', BHS: 'BS', BIH: 'BA', BLM: 'BL', BLR: 'BY', BLZ: 'BZ',
  BMU: 'BM', BOL: 'BO', BRA: 'BR', BRB: 'BB', BRN: 'BN', BTN: 'BT', BVT: 'BV', BWA: 'BW', CAF: 'CF', CAN: 'CA',
  CCK: 'CC', CHE: 'CH', CHL: 'CL', CHN: 'CN', CIV: 'CI', CMR: 'CM', COD: 'CD', COG: 'CG', COK: 'CK', COL: 'CO',
  COM: 'KM', CPV: 'CV', CRI: 'CR', CUB: 'CU', CUW: 'CW', CXR: 'CX', CYM: 'KY', CYP: 'CY', CZE: 'CZ', DEU: 'DE',
  DJI: 'DJ', DMA: 'DM', DNK: 'DK', DOM: 'DO', DZA: 'DZ', ECU: 'EC', EGY: 'EG', ERI: 'ER', ESH: 'EH', ESP: 'ES',
  EST: 'EE', ETH: 'ET', FIN: 'FI', FJI: 'FJ', FLK: 'FK', FRA: 'FR', FRO: 'FO', FSM: 'FM', GAB: 'GA', GBR: 'GB',
  GEO: 'GE', GGY: 'GG', GHA: 'GH', GIB: 'GI', GIN: 'GN', GLP: 'GP', GMB: 'GM', GNB: 'GW', GNQ: 'GQ', GRC: 'GR',
  GRD: 'GD', GRL: 'GL', GTM: 'GT', GUF: 'GF', GUM: 'GU', GUY: 'GY', HKG: 'HK', HMD: 'HM', HND: 'HN', HRV: 'HR',
  HTI: 'HT', HUN: 'HU', IDN: 'ID', IMN: 'IM', IND: 'IN', IOT: 'IO', IRL: 'IE', IRN: 'IR', IRQ: 'IQ', ISL: 'IS',
  ISR: 'IL', ITA: 'IT', JAM: 'JM', JEY: 'JE', JOR: 'JO', JPN: 'JP', KAZ: 'KZ', KEN: 'KE', KGZ: 'KG', KHM: 'KH',
  KIR: 'KI', KNA: 'KN', KOR: 'KR', KWT: 'KW', LAO: 'LA', LBN: 'LB', LBR: 'LR', LBY: 'LY', LCA: 'LC', LIE: 'LI',
  LKA: 'LK', LSO: 'LS', LTU: 'LT', LUX: 'LU', LVA: 'LV', MAC: 'MO', MAF: 'MF', MAR: 'MA', MCO: 'MC', MDA: 'MD',
  MDG: 'MG', MDV: 'MV', MEX: 'MX', MHL: 'MH', MKD: 'MK', MLI: 'ML', MLT: 'MT', MMR: 'MM', MNE: 'ME', MNG: 'MN',
  MNP: 'MP', MOZ: 'MZ', MRT: 'MR', MSR: 'MS', MTQ: 'MQ', MUS: 'MU', MWI: 'MW', MYS: 'MY', MYT: 'YT', NAM: 'NA',
  NCL: 'NC', NER: 'NE', NFK: 'NF', NGA: 'NG', NIC: 'NI', NIU: 'NU', NLD: 'NL', NOR: 'NO', NPL: 'NP', NRU: 'NR',
  NZL: 'NZ', OMN: 'OM', PAK: 'PK', PAN: 'PA', PCN: 'PN', PER: 'PE', PHL: 'PH', PLW: 'PW', PNG: 'PG', POL: 'PL',
  PRI: 'PR', PRK: 'KP', PRT: 'PT', PRY: 'PY', PSE: 'PS', PYF: 'PF', QAT: 'QA', REU: 'RE', ROU: 'RO', RUS: 'RU',
  RWA: 'RW', SAU: 'SA', SDN: 'SD', SEN: 'SN', SGP: 'SG', SGS: 'GS', SHN: 'SH', SJM: 'SJ', SLB: 'SB', SLE: 'SL',
  SLV: 'SV', SMR: 'SM', SOM: 'SO', SPM: 'PM', SRB: 'RS', SSD: 'SS', STP: 'ST', SUR: 'SR', SVK: 'SK', SVN: 'SI',
  SWE: 'SE', SWZ: 'SZ', SXM: 'SX', SYC: 'SC', SYR: 'SY', TCA: 'TC', TCD: 'TD', TGO: 'TG', THA: 'TH', TJK: 'TJ',
  TKL: 'TK', TKM: 'TM', TLS: 'TL', TON: 'TO', TTO: 'TT', TUN: 'TN', TUR: 'TR', TUV: 'TV', TWN: 'TW', TZA: 'TZ',
  UGA: 'UG', UKR: 'UA', UMI: 'UM', URY: 'UY', USA: 'US', UZB: 'UZ', VAT: 'VA', VCT: 'VC', VEN: 'VE', VGB: 'VG',
  VIR: 'VI', VNM: 'VN', VUT: 'VU', WLF: 'WF', WSM: 'WS', YEM: 'YE', ZAF: 'ZA', ZMB: 'ZM', ZWE: 'ZW',
};

/**
 * ICAO Doc 9303 part 3 codes that stand for a state under another code. The British categories
 * (GBD, GBN, GBO, GBP, GBS) are documents of the United Kingdom; D is Germany. Kosovo (RKS) has
 * no ISO code; its CSCA uses the user-assigned XK that the EU and ICAO PKD use.
 */
const ICAO_STATE_ALIASES: Readonly<Record<string, string>> = {
  D: 'DE',
  GBD: 'GB',
  GBN: 'GB',
  GBO: 'GB',
  GBP: 'GB',
  GBS: 'GB',
  RKS: 'XK',
  // Former codes still printed on documents in circulation.
  ANT: 'AN',
  NTZ: 'NT',
  // ICAO's specimen state. Its specimen certificates (and the simulator's test PKI) name the
  // country "UT", so a Utopian document's CSCA can be checked like any other state's.
  UTO: 'UT',
};

/** Issuers that are organisations or categories, not states: no country to compare with. */
const NON_STATE: Readonly<Record<string, string>> = {
  EUE: 'European Union',
  UNO: 'United Nations Organization',
  UNA: 'United Nations specialized agency',
  UNK: 'UN Interim Administration Mission in Kosovo',
  XBA: 'African Development Bank',
  XIM: 'African Export–Import Bank',
  XCC: 'Caribbean Community',
  XCE: 'Council of Europe',
  XCO: 'Common Market for Eastern and Southern Africa',
  XEC: 'Economic Community of West African States',
  XPO: 'Interpol',
  XES: 'Organisation of Eastern Caribbean States',
  XMP: 'Parliamentary Assembly of the Mediterranean',
  XOM: 'Sovereign Military Order of Malta',
  XDC: 'Southern African Development Community',
  XXA: 'stateless person',
  XXB: 'refugee (1951 Convention)',
  XXC: 'refugee (other)',
  XXX: 'unspecified nationality',
  XXK: 'Kosovo (UNMIK)',
};

export type IssuingStateLookup =
  | { kind: 'state'; alpha3: string; alpha2: string }
  | { kind: 'organisation'; alpha3: string; name: string }
  | { kind: 'unknown'; alpha3: string };

/** Maps an MRZ issuing-state code ("NLD", "D<<", "D") to its alpha-2 code, or says why it has none. */
export function lookupIssuingState(code: string): IssuingStateLookup {
  const alpha3 = code.replace(/</g, '').trim().toUpperCase();
  const alpha2 = ISO_3166[alpha3] ?? ICAO_STATE_ALIASES[alpha3];
  if (alpha2) return { kind: 'state', alpha3, alpha2 };
  const name = NON_STATE[alpha3];
  if (name) return { kind: 'organisation', alpha3, name };
  return { kind: 'unknown', alpha3 };
}

/** Alpha-2 for an MRZ state code, or undefined when there is none. */
export function alpha3ToAlpha2(code: string): string | undefined {
  const r = lookupIssuingState(code);
  return r.kind === 'state' ? r.alpha2 : undefined;
}

/** Every ISO 3166-1 alpha-3 code in the table (for completeness tests). */
export const ISO_ALPHA3_CODES: readonly string[] = Object.freeze(Object.keys(ISO_3166));
