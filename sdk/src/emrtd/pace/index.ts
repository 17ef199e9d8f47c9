/**
 * PACE v2 (ICAO Doc 9303 part 11 §4.4, BSI TR-03110): the terminal's performPace over an
 * ApduChannel, the PACE-CAM check, the chip side for virtual chips (PaceCard), and the
 * protocol tables and cryptographic steps both build on.
 */

export { performPace, verifyPaceCam, mseSetAtCommand, generalAuthenticateCommand, type PaceResult, type PerformPaceOptions } from './perform-pace.js';
export { PaceCard, type PaceCardOptions, type PaceCardResponse, type PaceCardSession } from './pace-card.js';
export {
  decodeOidValue,
  decodePaceInfo,
  encodeOidValue,
  encodePaceInfo,
  PACE_PROTOCOLS,
  paceProtocol,
  resolvePaceInfo,
  selectPaceInfo,
  // ID_PACE and PaceMapping are the LDS module's (identical values); PACE's own PaceInfo shape is PaceProtocolInfo.
  type PaceInfo as PaceProtocolInfo,
  type PaceKeyAgreement,
  type PaceProtocol,
  type ResolvedPaceInfo,
} from './protocols.js';
export {
  STANDARDIZED_CURVES,
  STANDARDIZED_DH_GROUPS,
  standardizedDomainParameters,
  type DhDomainParameters,
  type EcDomainParameters,
  type StandardizedDomainParameters,
} from './domain-parameters.js';
export { paceGroup, type GroupElement, type PaceGroup } from './groups.js';
export {
  authenticationToken,
  checkChipAuthenticationData,
  chipAuthenticationData,
  chipAuthenticationIv,
  decryptChipAuthenticationData,
  decryptNonce,
  derivePasswordKey,
  deriveSessionKeys,
  encodePassword,
  encryptChipAuthenticationData,
  encryptNonce,
  genericMapping,
  integratedMapping,
  integratedMappingNonceLengths,
  integratedMappingPrf,
  integratedMappingPrfBytes,
  PASSWORD_REFERENCE,
  publicKeyDataObject,
  type EncodedPassword,
  type PacePassword,
  type PasswordType,
} from './pace-crypto.js';
export { PACE_ERROR_CODES, PACE_ERROR_HINTS, type PaceErrorCode } from './pace-errors.js';
