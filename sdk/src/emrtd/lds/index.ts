/**
 * The ICAO Doc 9303 part 10 Logical Data Structure library: parsing what a chip returns (the
 * eMRTD plugin's side) and building the files of a virtual chip (the reader simulator's side).
 * Pure functions over bytes; no I/O, no trust decisions.
 */

export * from './file-ids.js';
export { LDS_ERROR_CODES, type LdsErrorCode } from './lds-errors.js';
export { parseEfCom, buildEfCom, type EfCom, type BuildEfComInput } from './ef-com.js';
export { parseDg1, buildDg1, type Dg1, type Dg1Format } from './dg1.js';
export { parseDg2, buildDg2, type Dg2, type Dg2Template, type BuildDg2Options } from './dg2.js';
export type { FaceImage, FaceImageInput, FaceMediaType, FaceEncoding, Iso19794FaceDetails, FeaturePoint } from './face-record.js';
export type { BiometricHeader } from './biometric-templates.js';
export { detectImageContainer, readImageSize, type ImageContainer } from './image-format.js';
export { parseDg7, parseDg11, parseDg12, buildDg11, buildDg12, type Dg7, type Dg11, type Dg12, type OtherDataObject, type TextGroupInput } from './text-data-groups.js';
export { parseDg15, buildDg15, type Dg15 } from './dg15.js';
export {
  parseDg14,
  parseCardAccess,
  securityInfosOfKind,
  encodeSecurityInfo,
  buildSecurityInfos,
  buildDg14,
  type SecurityInfoInput,
  standardDomainParameters,
  PACE_STANDARD_DOMAIN_PARAMETERS,
  ID_BSI_PROTOCOLS,
  ID_PACE,
  ID_CA,
  ID_PK,
  ID_TA,
  type SecurityInfo,
  type SecurityInfosFile,
  type PaceInfo,
  type PaceDomainParameterInfo,
  type PaceMapping,
  type KeyAgreement,
  type ChipAuthenticationInfo,
  type ChipAuthenticationPublicKeyInfo,
  type ChipAuthenticationDomainParameterInfo,
  type TerminalAuthenticationInfo,
  type ActiveAuthenticationInfo,
  type OtherSecurityInfo,
  type StandardDomainParameters,
} from './security-infos.js';
export { parsePublicKeyInfo, type PublicKeyDescription, type EcPublicKeyDetails, type EcExplicitParameters, type RsaPublicKeyDetails, type DhPublicKeyDetails } from './public-key.js';
export { parseSod, encodeLdsSecurityObject, wrapSod, type Sod, type LdsSecurityObject, type LdsSecurityObjectInput, type LdsVersionInfo } from './sod.js';
export { parseMasterList, parseCardSecurity, type MasterList, type CardSecurity } from './master-list.js';
export { parseCmsSignedData, type CmsSignedData, type SignerInfoSummary, type SignerIdentifier, type SignedAttributes, type CmsAttribute } from './cms.js';
export { readCertificateInfo, type CertificateInfo } from './certificate.js';
export {
  OID,
  HASH_ALGORITHMS,
  SIGNATURE_ALGORITHMS,
  CURVES,
  hashByName,
  hashByOid,
  curveByOid,
  type HashAlgorithmName,
  type SignatureFamily,
  type AlgorithmInfo,
  type DigestAlgorithmInfo,
  type SignatureAlgorithmInfo,
  type RsaPssParameters,
  type CurveInfo,
} from './algorithms.js';
// The one ASN.1 DER reader and writer of the project: the LDS parsers, the issuer and the eMRTD
// plugin's trust store (X.509, CRLs, CMS) all read and write through these.
export {
  ASN1,
  DerNode,
  parseDer,
  decodeDer,
  decodeOid,
  contextTag,
  expectTag,
  childrenOf,
  readOid,
  readIntegerBytes,
  readSmallInt,
  readBigInt,
  unsignedMagnitude,
  readOctets,
  readBitString,
  readBitStringBytes,
  readBoolean,
  readString,
  readTime,
  readAlgorithmIdentifier,
  formatName,
  NAME_ATTRIBUTES,
  type DerContext,
  type RawAlgorithmIdentifier,
} from './der-reader.js';
export {
  derSequence,
  derSet,
  derSetOf,
  derContext,
  derInteger,
  derOid,
  derOctetString,
  derBitString,
  derNull,
  derBoolean,
  derPrintableString,
  derUtf8String,
  derGeneralizedTime,
  derUtcTime,
  derAlgorithmIdentifier,
  compareBytes,
  toDer,
} from './der-writer.js';
