/**
 * Issues the chip of each catalogue specimen from the same data as its printed page: DG1 = the
 * MRZ, DG2 = a portrait JPEG of the same face, DG11/DG12 from the VIZ, DG14 (Chip Authentication,
 * ECDH P-256 or DH), DG15 (Active Authentication, ECDSA P-256 or RSA), EF.COM and an EF.SOD signed
 * by a Document Signer of the test PKI (CSCA 'UT', SHA-256 + ECDSA); a PACE-CAM chip also gets a
 * static key for Chip Authentication Mapping, published in an EF.CardSecurity the same signer signs. The files are built with the
 * SDK's LDS builders and signed with its issuer; the PKI is loaded or generated on first use, so
 * plugin start is not held up; a scan that needs a chip waits for it.
 */
import { createDiffieHellman, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { TesseraError } from '@tessera/sdk';
import {
  buildDg1,
  buildDg11,
  buildDg12,
  buildDg14,
  buildDg15,
  buildDg2,
  buildEfCom,
  buildSecurityInfos,
  dataGroupFileId,
  derBitString,
  derInteger,
  derOid,
  derSequence,
  EF_COM,
  EF_SOD,
  fromHex,
  OID,
  PaceCard,
  standardizedDomainParameters,
  type RandomSource,
  type SecurityInfoInput,
} from '@tessera/sdk/emrtd';
import { buildSignedData, signSod, type TestCertificate } from '@tessera/sdk/emrtd/issuer';
import type { SpecimenDocument } from '../specimens/specimen-catalogue.js';
import { SHORT_READ_LIMIT, type ChipAccess, type ChipProfile } from './chip-profiles.js';
import { createCsca, createSigner, loadOrCreateTestPki, PKI_DIR_NAME, pkiError, type TestPki } from './test-pki.js';
import { bacInputFromMrz, CHIP_PROTOCOLS, VirtualChip, type ChipBehaviour, type ChipImage, type DhChipKey, type PaceResponder } from './virtual-chip.js';

/** The SDK's PaceCard constructor, as far as the virtual chip uses it (tests may pass their own). */
export type PaceCardConstructor = new (options: ConstructorParameters<typeof PaceCard>[0]) => PaceResponder;

/** PACE-GM with AES-128 on P-256 (standardized parameters 12) and brainpoolP256r1 (13). */
export const OFFERED_PACE_PARAMETERS = [12, 13] as const;
/**
 * PACE-CAM with AES-128 on P-256 (12), which the PACE-CAM chips offer beside GM on brainpoolP256r1
 * (13); the chip's static key has the parameter id as its key id (Doc 9303 part 11 §4.4.3.5).
 */
export const CAM_PACE_PARAMETERS = 12;
/** The DH group of the 'dh-ca' chip: RFC 5114's 1024-bit MODP group with a 160-bit subgroup (standardized id 0). */
const DH_CA_GROUP = 0;
/** Modulus of the 'rsa-aa' chip's Active Authentication key. */
const RSA_AA_BITS = 1024;

export const PORTRAIT_SIZE = { width: 240, height: 320 } as const;
const DAY_MS = 86_400_000;

export interface DocumentIssuerOptions {
  /** The plugin's data folder; the PKI lives in <dataDir>/test-pki/. '' or null keeps it in memory. */
  dataDir: string | null;
  /** Date the PKI is generated around; default now. */
  referenceDate?: Date;
  /** The card side of PACE; default the SDK's PaceCard. null: PACE advertised but refused (6A88). */
  paceCard?: PaceCardConstructor | null;
}

/** What the issuer produced for one specimen under one profile. */
export interface IssuedChip {
  image: ChipImage;
  behaviour: ChipBehaviour;
  /** The Document Signer that signed EF.SOD. */
  signer: TestCertificate;
}

export class DocumentIssuer {
  readonly pkiDir: string | null;
  private readonly referenceDate: Date;
  private pkiPromise: Promise<TestPki> | undefined;
  private readonly issued = new Map<string, Promise<IssuedChip>>();
  private readonly portraits = new Map<string, Promise<Uint8Array>>();
  private readonly extraSigners = new Map<string, Promise<TestCertificate>>();
  private readonly paceCard: PaceCardConstructor | undefined;

  constructor(options: DocumentIssuerOptions) {
    this.pkiDir = options.dataDir ? join(options.dataDir, PKI_DIR_NAME) : null;
    this.referenceDate = options.referenceDate ?? new Date();
    this.paceCard = options.paceCard === null ? undefined : (options.paceCard ?? PaceCard);
  }

  /** Whether chips that offer PACE run it (false when the issuer was made without a PaceCard). */
  get paceAvailable(): boolean {
    return this.paceCard !== undefined;
  }

  /** The test PKI, loaded from or generated into the data folder on first call. A failure is not cached. */
  pki(): Promise<TestPki> {
    if (!this.pkiPromise) {
      const pending = loadOrCreateTestPki(this.pkiDir, this.referenceDate).catch((error: unknown) => {
        throw pkiError(`The simulator's test PKI could not be prepared: ${error instanceof Error ? error.message : String(error)}`, error);
      });
      pending.catch(() => {
        if (this.pkiPromise === pending) this.pkiPromise = undefined;
      });
      this.pkiPromise = pending;
    }
    return this.pkiPromise;
  }

  /** Resolves once no PKI generation or write is under way (for the plugin's stop, so the data folder is left alone). */
  async idle(): Promise<void> {
    await this.pkiPromise?.catch(() => undefined);
  }

  /**
   * The files, keys and behaviour of `doc`'s chip under `profile` (cached per combination). With
   * `access: 'pace'` the chip offers PACE in EF.CardAccess whatever the profile (BAC still works),
   * so every hostile profile can be met through PACE too; the 'pace' profile always offers it.
   */
  issue(doc: SpecimenDocument, profile: Exclude<ChipProfile, 'no-chip'>, access: ChipAccess = 'profile'): Promise<IssuedChip> {
    const key = `${doc.id}|${profile}|${access}`;
    let pending = this.issued.get(key);
    if (!pending) {
      pending = this.build(doc, profile, access === 'pace' || profile === 'pace' || isPaceCam(profile));
      pending.catch(() => this.issued.delete(key));
      this.issued.set(key, pending);
    }
    return pending;
  }

  /** A fresh virtual chip (new session state) for `doc` under `profile`, or null when the document has no chip. */
  async openChip(doc: SpecimenDocument, profile: ChipProfile, options: { random?: RandomSource; access?: ChipAccess } = {}): Promise<VirtualChip | null> {
    if (profile === 'no-chip') return null;
    const issued = await this.issue(doc, profile, options.access);
    return new VirtualChip(issued.image, { behaviour: issued.behaviour, ...(options.random ? { random: options.random } : {}) });
  }

  /** The JPEG portrait of `doc` in DG2: the same flat face as on the printed page. */
  portrait(doc: SpecimenDocument): Promise<Uint8Array> {
    let pending = this.portraits.get(doc.id);
    if (!pending) {
      pending = renderPortrait();
      pending.catch(() => this.portraits.delete(doc.id));
      this.portraits.set(doc.id, pending);
    }
    return pending;
  }

  private async build(doc: SpecimenDocument, profile: Exclude<ChipProfile, 'no-chip'>, offerPace: boolean): Promise<IssuedChip> {
    const pki = await this.pki();
    const viz = doc.viz;
    const ca = profile === 'dh-ca' ? dhCaKey(doc) : ecCaKey(doc);
    const aaKey = profile === 'rsa-aa' ? rsaKey() : ecKey();
    // A clone carries the original's DG15 (copied with the signed data) but cannot know its private key.
    const aaChipKey = profile === 'cloned' || profile === 'pace-cam-cloned' ? ecKey() : aaKey;
    const rsaAa = aaKey.asymmetricKeyType === 'rsa';

    let dg1 = buildDg1(doc.mrz);
    const jpeg = await this.portrait(doc);
    const dg2 = buildDg2({ mediaType: 'image/jpeg', data: jpeg, ...PORTRAIT_SIZE, gender: GENDER_CODE[viz.sex] });
    let dg11 = buildDg11({
      fullName: icaoName(viz.surname, viz.givenNames),
      fullDateOfBirth: compactDate(viz.birthDate),
      ...(viz.placeOfBirth ? { placeOfBirth: viz.placeOfBirth.toUpperCase() } : {}),
    });
    const dg12 = buildDg12({ dateOfIssue: compactDate(viz.issueDate), ...(viz.authority ? { issuingAuthority: viz.authority } : {}) });
    const dg14 = buildDg14([
      { kind: 'ChipAuthenticationInfo', protocol: ca.protocol, version: 1 },
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: ca.keyProtocol, subjectPublicKeyInfo: ca.spki },
      // ICAO states the scheme only for ECDSA; an RSA chip signs with ISO/IEC 9796-2.
      ...(rsaAa ? [] : [{ kind: 'ActiveAuthenticationInfo', signatureAlgorithm: CHIP_PROTOCOLS.aaEcdsaWithSha256 } satisfies SecurityInfoInput]),
    ]);
    const dg15 = buildDg15(spki(aaKey));

    if (profile === 'truncated-tlv') dg11 = dg11.slice(0, dg11.length - 7);
    if (profile === 'overlong-tlv') dg1 = overstateLength(dg1, 24);

    const groups = new Map<number, Uint8Array>([[1, dg1], [2, dg2], [11, dg11], [12, dg12], [14, dg14], [15, dg15]]);
    const signer = await this.signerFor(profile, pki, viz.issueDate);
    const sod = await signSod({ dsc: signer, dataGroups: groups });

    if (profile === 'wrong-dg-hash') {
      // Altered after signing: one byte of the image changes, the hash in EF.SOD no longer matches.
      const altered = dg2.slice();
      altered[altered.length - 40] ^= 0x01;
      groups.set(2, altered);
    }

    const files = new Map<number, Uint8Array>([[EF_COM.fid, buildEfCom({ dataGroups: [...groups.keys()] })], [EF_SOD.fid, sod]]);
    for (const [n, bytes] of groups) files.set(dataGroupFileId(n)!, bytes);
    const image: ChipImage = {
      mrz: doc.mrz,
      files,
      aaPrivateKey: aaChipKey,
      ca: ca.chip,
      ...(isPaceCam(profile) ? this.paceCamImage(doc, signer, profile === 'pace-cam-cloned') : offerPace ? { cardAccess: buildSecurityInfos(PACE_INFOS), ...this.paceResponder(doc, PACE_INFOS) } : {}),
    };
    const behaviour: ChipBehaviour = {
      ...(profile === 'short-reads' ? { maxReadLength: SHORT_READ_LIMIT } : {}),
      ...(profile === 'bad-mac' ? { corruptResponseMac: true } : {}),
      ...(profile === 'mute' ? { muteAfterAuthentication: true } : {}),
    };
    return { image, behaviour, signer };
  }

  private paceResponder(doc: SpecimenDocument, paceInfos: readonly PaceInfoInput[], chipAuthenticationKeys?: Record<number, Uint8Array>): Pick<ChipImage, 'pace'> {
    const PaceCard = this.paceCard;
    if (!PaceCard) return {};
    const mrz = bacInputFromMrz(doc.mrz);
    return { pace: (random) => new PaceCard({ paceInfos, mrz, random, ...(chipAuthenticationKeys ? { chipAuthenticationKeys } : {}) }) };
  }

  /**
   * EF.CardAccess offering PACE-CAM, EF.CardSecurity (its SecurityInfos and the chip's static public
   * key, signed by `signer`) and a PaceCard holding the static private key. A clone copies
   * EF.CardSecurity but cannot read the genuine chip's private key, so it answers with one of its own.
   */
  private paceCamImage(doc: SpecimenDocument, signer: TestCertificate, cloned: boolean): Pick<ChipImage, 'cardAccess' | 'cardSecurity' | 'pace'> {
    const staticKey = ecKey();
    const securityInfos = buildSecurityInfos([
      ...CAM_PACE_INFOS,
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: CHIP_PROTOCOLS.pkEcdh, subjectPublicKeyInfo: spki(staticKey), keyId: CAM_PACE_PARAMETERS },
    ]);
    const cardSecurity = buildSignedData({
      eContentType: OID.securityObject,
      eContent: securityInfos,
      signerCertificate: signer.der,
      signerKey: signer.keys.privateKey,
      digestAlgorithm: 'SHA-256',
      signatureScheme: signer.signatureScheme,
    });
    const chipKey = cloned ? ecKey() : staticKey;
    return {
      cardAccess: buildSecurityInfos(CAM_PACE_INFOS),
      cardSecurity,
      ...this.paceResponder(doc, CAM_PACE_INFOS, { [CAM_PACE_PARAMETERS]: privateScalar(chipKey) }),
    };
  }

  /** The Document Signer for a profile; the odd ones are made in memory on first use. */
  private signerFor(profile: ChipProfile, pki: TestPki, issueDate: string): Promise<TestCertificate> {
    const issued = new Date(`${issueDate}T00:00:00Z`);
    const key = profile === 'expired-signer' ? `${profile}|${issueDate}` : profile;
    const cached = this.extraSigners.get(key);
    if (cached) return cached;
    const later = new Date(this.referenceDate.getTime() + 5 * 365 * DAY_MS);
    let pending: Promise<TestCertificate>;
    switch (profile) {
      case 'expired-signer':
        // Validity ended the day before the document was issued.
        pending = createSigner(pki.csca, { notBefore: new Date(issued.getTime() - 3 * 365 * DAY_MS), notAfter: new Date(issued.getTime() - DAY_MS) });
        break;
      case 'unknown-signer':
        // A CSCA that claims to be Utopia's but is in no master list.
        pending = createCsca('UT', 'Republic of Utopia', new Date(this.referenceDate.getTime() - 15 * 365 * DAY_MS), 30).then((rogue) =>
          createSigner(rogue, { notBefore: new Date(this.referenceDate.getTime() - 15 * 365 * DAY_MS), notAfter: later }),
        );
        break;
      case 'foreign-csca':
        pending = createSigner(pki.foreignCsca, { notBefore: pki.foreignCsca.certificate.notBefore, notAfter: later });
        break;
      default:
        return Promise.resolve(pki.dsc);
    }
    pending.catch(() => this.extraSigners.delete(key));
    this.extraSigners.set(key, pending);
    return pending;
  }
}

type PaceInfoInput = { kind: 'PACEInfo'; protocol: string; version: 2; parameterId: number };
const PACE_INFOS: readonly PaceInfoInput[] = OFFERED_PACE_PARAMETERS.map((parameterId) => ({ kind: 'PACEInfo', protocol: CHIP_PROTOCOLS.paceEcdhGmAes128, version: 2, parameterId }));
const CAM_PACE_INFOS: readonly PaceInfoInput[] = [
  { kind: 'PACEInfo', protocol: CHIP_PROTOCOLS.paceEcdhCamAes128, version: 2, parameterId: CAM_PACE_PARAMETERS },
  { kind: 'PACEInfo', protocol: CHIP_PROTOCOLS.paceEcdhGmAes128, version: 2, parameterId: 13 },
];

function isPaceCam(profile: ChipProfile): boolean {
  return profile === 'pace-cam' || profile === 'pace-cam-cloned';
}
const GENDER_CODE: Record<'M' | 'F' | 'X', number> = { M: 1, F: 2, X: 3 };

/** YYYY-MM-DD → YYYYMMDD. */
function compactDate(iso: string): string {
  return iso.replaceAll('-', '');
}

/** ICAO name form: SURNAME<<GIVEN<NAMES (upper case, the print's letters kept). */
export function icaoName(surname: string, givenNames: string): string {
  const part = (s: string) => s.trim().toUpperCase().split(/\s+/).join('<');
  return `${part(surname)}<<${part(givenNames)}`;
}

interface CaKey {
  /** id-CA-* of the ChipAuthenticationInfo, and id-PK-* of the key. */
  protocol: string;
  keyProtocol: string;
  spki: Uint8Array;
  chip: NonNullable<ChipImage['ca']>;
}

/** ECDH P-256 Chip Authentication: AES-128 on passports (TD3), 3DES (CA v1) on the other formats. */
function ecCaKey(doc: SpecimenDocument): CaKey {
  const privateKey = ecKey();
  const protocol = doc.format === 'TD3' ? CHIP_PROTOCOLS.caEcdhAes128 : CHIP_PROTOCOLS.caEcdh3Des;
  return { protocol, keyProtocol: CHIP_PROTOCOLS.pkEcdh, spki: spki(privateKey), chip: { oid: protocol, privateKey } };
}

/**
 * DH Chip Authentication on a standardized group. The key is an X9.42 SubjectPublicKeyInfo
 * (dhpublicnumber with p, g, q) whose BIT STRING holds the public value as an INTEGER
 * (BSI TR-03110-3 D.3.2), which node:crypto does not write, so it is assembled here.
 */
function dhCaKey(doc: SpecimenDocument): CaKey {
  const group = standardizedDomainParameters(DH_CA_GROUP);
  if (group?.type !== 'DH') throw new TesseraError('TSR_INTERNAL', `Standardized domain parameters ${DH_CA_GROUP} are not a DH group.`);
  const [p, g, q] = [fromHex(group.p), fromHex(group.g), fromHex(group.q)];
  const dh = createDiffieHellman(Buffer.from(p), Buffer.from(g));
  // A private exponent below q (RFC 5114 groups have a prime-order subgroup of q elements).
  const x = randomBytes(q.length);
  x[0] = (x[0] % q[0]) || 1;
  dh.setPrivateKey(x);
  const publicValue = new Uint8Array(dh.generateKeys());
  const spki = derSequence(derSequence(derOid(OID.dhPublicNumber), derSequence(derInteger(p), derInteger(g), derInteger(q))), derBitString(derInteger(publicValue)));
  const protocol = doc.format === 'TD3' ? CHIP_PROTOCOLS.caDhAes128 : CHIP_PROTOCOLS.caDh3Des;
  const key: DhChipKey = { prime: p, generator: g, privateValue: new Uint8Array(x) };
  return { protocol, keyProtocol: CHIP_PROTOCOLS.pkDh, spki, chip: { oid: protocol, dh: key } };
}

function ecKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

function rsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: RSA_AA_BITS, publicExponent: 0x10001 }).privateKey;
}

/** The private scalar of a P-256 key, big-endian, as PaceCard takes a CAM key. */
function privateScalar(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
}

function spki(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
}

/** The same template with its top-level length raised by `extra`, the content unchanged (always written in long form). */
function overstateLength(template: Uint8Array, extra: number): Uint8Array {
  const tagLength = (template[0] & 0x1f) === 0x1f ? 2 : 1;
  const first = template[tagLength];
  const lengthBytes = first & 0x80 ? 1 + (first & 0x7f) : 1;
  const length = first & 0x80 ? template.subarray(tagLength + 1, tagLength + lengthBytes).reduce((v, b) => v * 256 + b, 0) : first;
  const claimed = length + extra;
  if (claimed > 0xffff) throw new TesseraError('TSR_INTERNAL', 'Template too long to overstate.');
  const header = claimed < 0x100 ? [0x81, claimed] : [0x82, claimed >> 8, claimed & 0xff];
  const out = new Uint8Array(tagLength + header.length + length);
  out.set(template.subarray(0, tagLength));
  out.set(header, tagLength);
  out.set(template.subarray(tagLength + lengthBytes), tagLength + header.length);
  return out;
}

/** Shoulders, neck, hair and face as flat shapes, in the page's daylight colours. */
async function renderPortrait(): Promise<Uint8Array> {
  const { width: w, height: h } = PORTRAIT_SIZE;
  const c = { bg: '#d8e0e8', shoulders: '#4c5a6b', skin: '#c6a58b', hair: '#3a2e28' };
  const f = (v: number) => v.toFixed(1);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="${w}" height="${h}" fill="${c.bg}"/>`,
    `<path d="M0 ${h}L0 ${f(0.88 * h)}C${f(0.06 * w)} ${f(0.74 * h)} ${f(0.26 * w)} ${f(0.7 * h)} ${f(0.38 * w)} ${f(0.68 * h)}L${f(0.62 * w)} ${f(0.68 * h)}C${f(0.74 * w)} ${f(0.7 * h)} ${f(0.94 * w)} ${f(0.74 * h)} ${w} ${f(0.88 * h)}L${w} ${h}Z" fill="${c.shoulders}"/>`,
    `<rect x="${f(0.41 * w)}" y="${f(0.5 * h)}" width="${f(0.18 * w)}" height="${f(0.2 * h)}" fill="${c.skin}"/>`,
    `<ellipse cx="${f(w / 2)}" cy="${f(0.33 * h)}" rx="${f(0.22 * w)}" ry="${f(0.22 * h)}" fill="${c.hair}"/>`,
    `<ellipse cx="${f(w / 2)}" cy="${f(0.375 * h)}" rx="${f(0.19 * w)}" ry="${f(0.2 * h)}" fill="${c.skin}"/>`,
    '</svg>',
  ].join('');
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  return new Uint8Array(jpeg);
}
