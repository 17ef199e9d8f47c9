/**
 * PACE with Chip Authentication Mapping (ICAO Doc 9303 part 11 §4.4.3.5, BSI TR-03110) on the
 * reader side: after PACE-CAM the chip has sent its chip authentication data CA_IC; the chip is
 * genuine when CA_IC turns the static public key PK_IC published in EF.CardSecurity into its
 * mapping key, and EF.CardSecurity itself is signed by a document signer that chains to a trusted
 * CSCA. Both halves are needed: the token proves the chip holds SK_IC, the signature proves that
 * PK_IC is the issuer's. Together they replace a separate Chip Authentication.
 *
 *   checkCamToken        — pure: which ChipAuthenticationPublicKeyInfo (keyId = the PACEInfo's
 *                          parameterId), and does CA_IC match it (the SDK's verifyPaceCam).
 *   verifyCardSecurity   — (card-security.ts) EF.CardSecurity's signature and chain to a CSCA.
 *   judgePaceCam         — both together, as the Chip Authentication verdict.
 */
import { TesseraError, isTesseraError } from '@tessera/sdk';
import { decodeTlv, parseCardSecurity, securityInfosOfKind, verifyPaceCam, type ChipAuthenticationPublicKeyInfo, type PaceResult } from '@tessera/sdk/emrtd';
import type { CardSecurityVerification } from './card-security.js';
import type { ChipAuthResult } from './chip-auth.js';

/** id-PK's standardizedDomainParameters (BSI TR-03110-3 A.2.1.1): the key's group is a parameter id. */
const STANDARDIZED_DOMAIN_PARAMETERS = '0.4.0.127.0.7.1.2';

/** What the read found out about the CAM token, before anything about trust is known. */
export interface PaceCamToken {
  /** CA_IC · PK_IC = PK_Map,IC held. */
  valid: boolean;
  protocol: string;
  detail: string;
  code?: string;
  keyId: number;
}

/** The chip's static key for `parameterId` from EF.CardSecurity, as the point verifyPaceCam takes. */
export function camPublicKey(keys: readonly ChipAuthenticationPublicKeyInfo[], parameterId: number): Uint8Array {
  const key = keys.find((k) => k.keyId === parameterId) ?? (keys.length === 1 && keys[0]!.keyId === undefined ? keys[0] : undefined);
  if (!key) {
    throw new TesseraError('EMRTD_PACE_CAM_KEY_MISSING', `EF.CardSecurity has no Chip Authentication public key with keyId ${parameterId} (the PACE parameter id); it lists ${keys.map((k) => k.keyId ?? 'no id').join(', ') || 'none'}`, {
      hint: 'The chip offers PACE-CAM without publishing its key: treat the chip as not authenticated.',
    });
  }
  const pk = key.publicKey;
  if (pk.ec?.publicPoint) return pk.ec.publicPoint;
  if (pk.algorithmOid === STANDARDIZED_DOMAIN_PARAMETERS) {
    // SubjectPublicKeyInfo { AlgorithmIdentifier { id, parameterId }, BIT STRING { 00 || point } }.
    const spki = decodeTlv(pk.key)[0];
    const bits = spki?.children?.[1];
    if (bits && bits.tag === 0x03 && bits.value.length > 1) return bits.value.subarray(1);
  }
  throw new TesseraError('EMRTD_PACE_CAM_KEY_MISSING', `The Chip Authentication key ${parameterId} in EF.CardSecurity is not an EC public key (${pk.algorithm}, ${pk.algorithmOid})`, {
    hint: 'PACE-CAM is defined for ECDH only; the key does not fit the PACE parameters.',
  });
}

/** Checks the CAM token of a PACE-CAM run against EF.CardSecurity as read. Never throws. */
export function checkCamToken(pace: Pick<PaceResult, 'protocol' | 'parameterId' | 'chipAuthenticationData' | 'chipMappingPublicKey' | 'chipAuthenticated'>, cardSecurity: Uint8Array): PaceCamToken {
  const protocol = `PACE-CAM ${pace.protocol.name} (domain parameters ${pace.parameterId})`;
  try {
    const keys = securityInfosOfKind(parseCardSecurity(cardSecurity).securityInfos, 'ChipAuthenticationPublicKeyInfo');
    verifyPaceCam(pace, camPublicKey(keys, pace.parameterId));
    return { valid: true, protocol, detail: `The chip's authentication data maps its static key ${pace.parameterId} from EF.CardSecurity to its PACE mapping key: it holds the private key.`, keyId: pace.parameterId };
  } catch (error) {
    const code = isTesseraError(error) ? error.code : 'EMRTD_PACE_CAM_INVALID';
    const message = error instanceof Error ? error.message : String(error);
    return { valid: false, protocol, detail: `The chip failed PACE Chip Authentication Mapping: ${message}`, code, keyId: pace.parameterId };
  }
}

/**
 * The Chip Authentication verdict of a PACE-CAM chip: the token (valid or not) and whether the key it
 * was checked against is the issuer's. `keyAuthenticated` plays the role Passive Authentication
 * plays for DG14: without it, a clone could publish a key of its own.
 */
export function judgePaceCam(token: PaceCamToken, cardSecurity: CardSecurityVerification): ChipAuthResult {
  return {
    valid: token.valid,
    protocol: token.protocol,
    detail: `${token.detail} ${cardSecurity.detail}`,
    ...(token.code ? { code: token.code } : {}),
    keyId: token.keyId,
    via: 'PACE-CAM',
    keyAuthentication: { verdict: cardSecurity.verdict, detail: cardSecurity.detail },
  };
}
