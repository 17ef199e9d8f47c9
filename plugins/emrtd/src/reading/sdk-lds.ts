/**
 * The LDS parsers from `@tessera/sdk/emrtd`, reached through one namespace import (PACE is imported directly).
 *
 * The SDK's LDS library (sdk/src/emrtd/lds) and PACE (sdk/src/emrtd/pace) are being wired into
 * the `@tessera/sdk/emrtd` barrel while this plugin is written. Looking the functions up at run
 * time keeps this plugin loadable (and its BAC path working) before that lands: a missing parser
 * becomes a per-file EMRTD_SDK_FEATURE_MISSING error.
 * EF.COM and DG1 are simple enough to have a local fallback, so the read itself never depends on it.
 * The local types below are the subset of the SDK's types this plugin uses.
 */
import * as emrtd from '@tessera/sdk/emrtd';
import { TesseraError } from '@tessera/sdk';

export type ImageContainer = 'jpeg' | 'jp2' | 'j2k' | 'png' | 'unknown';

export interface FaceImage {
  mediaType: string;
  data: Uint8Array;
  /** As the biometric record declares it. */
  width: number;
  height: number;
  container: ImageContainer;
  /** As the image's own header says (preferred for display). */
  imageSize?: { width: number; height: number };
}
export interface Dg2 { images: FaceImage[] }
export interface EfCom { ldsVersion: string; unicodeVersion: string; tags: number[]; dataGroups: number[] }
export interface Dg1 { format: string; lines: string[] }
export interface EcKey { curveOid?: string; curveName?: string; explicitParameters: boolean; publicPoint: Uint8Array; fieldBits?: number }
export interface DhKey { prime: Uint8Array; generator: Uint8Array; order?: Uint8Array; publicValue: Uint8Array }
export interface PublicKeyDescription {
  algorithm: 'RSA' | 'EC' | 'DH' | 'unknown';
  algorithmOid: string;
  /** DER SubjectPublicKeyInfo. */
  key: Uint8Array;
  rsa?: { modulus: Uint8Array; publicExponent: Uint8Array; bits: number };
  ec?: EcKey;
  dh?: DhKey;
}
export interface Dg15 { algorithm: 'RSA' | 'EC'; algorithmOid: string; key: Uint8Array; rsa?: PublicKeyDescription['rsa']; ec?: EcKey }
export type SecurityInfo =
  | { kind: 'PACEInfo'; protocol: string; version: number; keyAgreement: 'DH' | 'ECDH'; mapping: 'GM' | 'IM' | 'CAM'; cipher: string; parameterId?: number; raw: Uint8Array }
  | { kind: 'ChipAuthenticationInfo'; protocol: string; version: number; keyAgreement: 'DH' | 'ECDH'; cipher: string; keyId?: number; raw: Uint8Array }
  | { kind: 'ChipAuthenticationPublicKeyInfo'; protocol: string; keyAgreement: 'DH' | 'ECDH'; publicKey: PublicKeyDescription; keyId?: number; raw: Uint8Array }
  | { kind: 'ActiveAuthenticationInfo'; protocol: string; version: number; signatureAlgorithm: string; signatureAlgorithmName?: string; raw: Uint8Array }
  | { kind: 'PACEDomainParameterInfo' | 'ChipAuthenticationDomainParameterInfo' | 'TerminalAuthenticationInfo' | 'Other'; protocol: string; raw: Uint8Array };
export interface SecurityInfosFile { securityInfos: SecurityInfo[] }
export interface Sod { lds: { hashAlgorithm: string; dataGroupHashes: Map<number, Uint8Array> } }
export type PaceInfo = Extract<SecurityInfo, { kind: 'PACEInfo' }>;

const api = emrtd as unknown as Record<string, unknown>;

function lookup<T>(name: string): T | undefined {
  const value = api[name];
  return typeof value === 'function' ? (value as T) : undefined;
}

function need<T>(name: string): T {
  const fn = lookup<T>(name);
  if (!fn) {
    throw new TesseraError('EMRTD_SDK_FEATURE_MISSING', `This build of @tessera/sdk/emrtd does not export ${name}`, {
      hint: 'Update @tessera/sdk: the LDS parsers and PACE must be exported from @tessera/sdk/emrtd.',
    });
  }
  return fn;
}

export const parseDg2 = (bytes: Uint8Array): Dg2 => need<(b: Uint8Array) => Dg2>('parseDg2')(bytes);
export const parseDg14 = (bytes: Uint8Array): SecurityInfosFile => need<(b: Uint8Array) => SecurityInfosFile>('parseDg14')(bytes);
export const parseDg15 = (bytes: Uint8Array): Dg15 => need<(b: Uint8Array) => Dg15>('parseDg15')(bytes);
export const parseDg11 = (bytes: Uint8Array): Record<string, unknown> => need<(b: Uint8Array) => Record<string, unknown>>('parseDg11')(bytes);
export const parseDg12 = (bytes: Uint8Array): Record<string, unknown> => need<(b: Uint8Array) => Record<string, unknown>>('parseDg12')(bytes);
export const parseCardAccess = (bytes: Uint8Array): SecurityInfosFile => need<(b: Uint8Array) => SecurityInfosFile>('parseCardAccess')(bytes);
export const parseSod = (bytes: Uint8Array): Sod => need<(b: Uint8Array) => Sod>('parseSod')(bytes);

const DG_TAGS = [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70];

function malformed(file: string, message: string): TesseraError {
  return new TesseraError('EMRTD_LDS_MALFORMED', `${file}: ${message}`, { hint: 'The file read from the chip is not a valid LDS structure.' });
}

/** EF.COM: the SDK parser, or a local reading of its tag list ('60' → '5C'). */
export function parseEfCom(bytes: Uint8Array): EfCom {
  const sdk = lookup<(b: Uint8Array) => EfCom>('parseEfCom');
  if (sdk) return sdk(bytes);
  const root = emrtd.decodeTlvObject(bytes);
  if (root.tag !== 0x60) throw malformed('EF.COM', `starts with tag ${emrtd.tagToHex(root.tag)}, not 60`);
  const kids = root.children ?? [];
  const list = kids.find((k) => k.tag === 0x5c);
  if (!list) throw malformed('EF.COM', 'has no tag list (5C)');
  const text = (tag: number) => String.fromCharCode(...(kids.find((k) => k.tag === tag)?.value ?? []));
  const tags = [...list.value];
  const dataGroups = tags.map((t) => DG_TAGS.indexOf(t) + 1).filter((n) => n > 0);
  return { ldsVersion: text(0x5f01), unicodeVersion: text(0x5f36), tags, dataGroups };
}

/** DG1: the SDK parser, or a local reading of the MRZ data element ('61' → '5F1F'). */
export function parseDg1(bytes: Uint8Array): Dg1 {
  const sdk = lookup<(b: Uint8Array) => Dg1>('parseDg1');
  if (sdk) return sdk(bytes);
  const root = emrtd.decodeTlvObject(bytes);
  if (root.tag !== 0x61) throw malformed('DG1', `starts with tag ${emrtd.tagToHex(root.tag)}, not 61`);
  const mrz = (root.children ?? []).find((k) => k.tag === 0x5f1f);
  if (!mrz) throw malformed('DG1', 'has no MRZ data element (5F1F)');
  const s = String.fromCharCode(...mrz.value);
  const width = s.length === 88 ? 44 : s.length === 72 ? 36 : s.length === 90 ? 30 : 0;
  if (!width) throw malformed('DG1', `MRZ of ${s.length} characters`);
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
  return { format: width === 44 ? 'TD3' : width === 36 ? 'TD2' : 'TD1', lines };
}
