/**
 * The chip checks an officer sees. All share one chip session per inspection (ChipInspector):
 *   chip.access        — could the chip be opened and read (PACE/BAC, files, APDUs), with the portrait
 *   chip.dg1-mrz       — the MRZ stored in the chip equals the printed one
 *   chip.passive-auth  — the chip data is signed by the issuing state (EF.SOD, DSC → CSCA, hashes)
 *   chip.active-auth   — the chip proves its DG15 key (not a copy); counts only after PA passed
 *   chip.chip-auth     — the chip proves its DG14 key (not a copy); counts only after PA passed
 */
import { CHIP_CHECK_TITLES } from './check-catalogue.js';
import type { CheckFinding, CheckStatus, DocumentCheck, Evidence, InspectionContext } from '@tessera/sdk';
import type { ChipInspection, ChipInspector, TrustState } from './chip-inspection.js';
import type { ChipReadError } from '../reading/chip-reader.js';

type CheckOutcome = { status: CheckStatus; summary: string; findings: CheckFinding[]; evidence: Evidence[] };

const NO_CHIP: CheckOutcome = { status: 'not_applicable', summary: 'No chip was read with this scan.', findings: [], evidence: [] };

function outcome(status: CheckStatus, summary: string, findings: CheckFinding[] = [], evidence: Evidence[] = []): CheckOutcome {
  return { status, summary, findings, evidence };
}

/** When the read itself failed, the dependent checks say why they could not run. */
function notRead(chip: ChipInspection): CheckOutcome | undefined {
  if (chip.noKey) return outcome('not_checked', 'The chip was not read: the MRZ is needed to open it.', [{ code: 'CHIP_NO_MRZ', message: chip.noKey }]);
  if (!chip.read?.access) return outcome('not_checked', 'The chip could not be opened, so this was not checked (see "Chip access").');
  return undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Officer wording for a read error that ended the session. */
export function describeReadFailure(error: ChipReadError): { status: CheckStatus; finding: CheckFinding; summary: string } {
  switch (error.code) {
    case 'EMRTD_BAC_FAILED':
    case 'EMRTD_PACE_PASSWORD_REJECTED':
      return {
        status: 'fail',
        summary: 'The chip refused access with the MRZ data.',
        finding: { code: 'CHIP_ACCESS_DENIED', message: `The chip refused access with the printed document number, date of birth and date of expiry (${error.message}). Either the MRZ was read wrongly, or the chip does not belong to this document.` },
      };
    case 'EMRTD_CHIP_NOT_ANSWERING':
    case 'EMRTD_TRANSPORT_FAILED':
      return { status: 'error', summary: 'The chip did not answer.', finding: { code: 'CHIP_NOT_ANSWERING', message: `The chip stopped answering (${error.message}). Keep the document still on the reader and scan again; a chip that never answers may be damaged.` } };
    case 'EMRTD_READ_TIMEOUT':
      return { status: 'error', summary: 'The chip read took too long and was stopped.', finding: { code: 'CHIP_READ_TIMEOUT', message: `${error.message}. Scan again; a chip that is always this slow may be faulty.` } };
    case 'EMRTD_SM_MAC_INVALID':
    case 'EMRTD_SM_RESPONSE_MALFORMED':
    case 'EMRTD_SM_REJECTED_BY_CHIP':
    case 'EMRTD_SM_SESSION_CLOSED':
      return {
        status: 'fail',
        summary: 'The secure channel to the chip broke; its data was not used.',
        finding: { code: 'CHIP_SECURE_CHANNEL_BROKEN', message: `A chip answer failed its integrity check (${error.code}: ${error.message}). The data could have been altered on the way; nothing read after it is trusted. Scan again; if it repeats, treat the chip as suspicious.` },
      };
    case 'EMRTD_FILE_NOT_FOUND':
      return { status: 'fail', summary: 'The chip has no eMRTD application.', finding: { code: 'CHIP_NOT_EMRTD', message: `The chip does not contain an ICAO travel document application (${error.message}).` } };
    default:
      return { status: 'error', summary: 'The chip could not be read.', finding: { code: 'CHIP_READ_FAILED', message: `${error.code}: ${error.message}` } };
  }
}

function fileProblem(e: ChipReadError): CheckFinding {
  const code =
    e.code === 'EMRTD_FILE_TRUNCATED' ? 'CHIP_FILE_TRUNCATED' :
    e.code === 'EMRTD_FILE_TOO_LONG' ? 'CHIP_FILE_TOO_LONG' :
    e.code === 'EMRTD_ACCESS_DENIED' ? 'CHIP_FILE_PROTECTED' :
    e.code === 'EMRTD_READ_FALLBACK' ? 'CHIP_SHORT_READS' :
    e.code === 'EMRTD_SDK_FEATURE_MISSING' ? 'CHIP_PARSER_UNAVAILABLE' :
    e.code.startsWith('EMRTD_PACE') ? 'CHIP_PACE_FAILED' : 'CHIP_FILE_UNREADABLE';
  const what = e.file ? `${e.file}: ` : '';
  return { code, message: `${what}${e.message}`, ...(e.file ? { field: e.file } : {}) };
}

/** Problems that do not make the read a failure but that the officer should see. */
const BENIGN = new Set(['CHIP_SHORT_READS', 'CHIP_FILE_PROTECTED', 'CHIP_PORTRAIT_MISALIGNED']);

export function createChipChecks(inspector: ChipInspector, trust: () => TrustState): DocumentCheck[] {
  const get = (context: InspectionContext) => inspector.inspect(context);

  const access: DocumentCheck = {
    id: 'chip.access',
    title: CHIP_CHECK_TITLES['chip.access'],
    category: 'chip',
    async run(context) {
      const chip = await get(context);
      if (!chip) return NO_CHIP;
      if (chip.noKey) return outcome('not_checked', 'The chip was not read: the MRZ is needed to open it.', [{ code: 'CHIP_NO_MRZ', message: chip.noKey }]);
      const read = chip.read!;
      const evidence: Evidence[] = [];
      if (read.access) evidence.push({ kind: 'field', label: 'Access control', value: read.access.detail });
      evidence.push({ kind: 'field', label: 'Files read', value: [...read.files.keys()].join(', ') || 'none' });
      evidence.push({ kind: 'field', label: 'APDUs exchanged', value: `${read.apduCount} (${read.bytesRead} bytes received in ${seconds(read.durationMs)})` });
      if (chip.face) evidence.unshift({ kind: 'image', label: 'Portrait from the chip', mediaType: chip.face.mediaType, data: chip.face.data, role: 'portrait' });
      // EF.SOD content problems are Passive Authentication's to report; here only reading problems count.
      const readCodes = /^EMRTD_(FILE_|ACCESS_DENIED|COMMAND_FAILED|READ_FALLBACK)/;
      const problems = read.errors.filter((e) => e !== read.error && !(e.file === 'EF.SOD' && !readCodes.test(e.code))).map(fileProblem);
      if (chip.face?.skippedBytes) problems.push({ code: 'CHIP_PORTRAIT_MISALIGNED', message: `The portrait in DG2 starts ${chip.face.skippedBytes} byte(s) after where its biometric record says: the record is not encoded to ISO/IEC 19794-5.`, field: 'DG2' });
      if (chip.faceError) problems.push({ code: 'CHIP_PORTRAIT_UNREADABLE', message: `The portrait in DG2 could not be shown: ${chip.faceError.message}` });
      if (read.error) {
        const f = describeReadFailure(read.error);
        return outcome(f.status, f.summary, [f.finding, ...problems], evidence);
      }
      const serious = problems.filter((p) => !BENIGN.has(p.code));
      const summary = `Read with ${read.access!.protocol}: ${read.files.size} files, ${read.apduCount} APDUs in ${seconds(read.durationMs)}.`;
      return outcome(serious.length ? 'warning' : 'pass', serious.length ? `${summary} Some data could not be read.` : summary, problems, evidence);
    },
  };

  const dg1: DocumentCheck = {
    id: 'chip.dg1-mrz',
    title: CHIP_CHECK_TITLES['chip.dg1-mrz'],
    category: 'chip',
    async run(context) {
      const chip = await get(context);
      if (!chip) return NO_CHIP;
      const skip = notRead(chip);
      if (skip) return skip;
      const chipMrz = chip.read!.dg1Mrz;
      if (!chipMrz) return outcome('not_checked', 'DG1 (the MRZ in the chip) could not be read.', [{ code: 'CHIP_DG1_MISSING', message: 'The chip did not return a readable DG1.' }]);
      const printed = context.mrz?.lines ?? [];
      const evidence: Evidence[] = [
        { kind: 'text', label: 'MRZ in the chip (DG1)', text: chipMrz.lines.join('\n') },
        { kind: 'text', label: 'Printed MRZ', text: printed.join('\n') },
      ];
      const same = chipMrz.lines.length === printed.length && chipMrz.lines.every((l, i) => l === printed[i]);
      if (same) return outcome('pass', 'The MRZ stored in the chip is identical to the printed MRZ.', [], evidence);
      const diffs: string[] = [];
      chipMrz.lines.forEach((line, i) => {
        const p = printed[i] ?? '';
        for (let c = 0; c < Math.max(line.length, p.length); c++) if (line[c] !== p[c]) diffs.push(`line ${i + 1} col ${c + 1}: chip '${line[c] ?? ''}' printed '${p[c] ?? ''}'`);
      });
      evidence.push({ kind: 'field', label: 'Differences', value: diffs.slice(0, 12).join('; ') + (diffs.length > 12 ? ` … (${diffs.length} in all)` : ''), ok: false });
      return outcome('fail', `The MRZ in the chip differs from the printed MRZ in ${diffs.length} character(s).`, [
        { code: 'CHIP_DG1_MRZ_MISMATCH', message: 'The data stored in the chip does not match the printed data page: the page or the chip may have been altered, or the chip belongs to another document.' },
      ], evidence);
    },
  };

  const pa: DocumentCheck = {
    id: 'chip.passive-auth',
    title: CHIP_CHECK_TITLES['chip.passive-auth'],
    category: 'chip',
    async run(context) {
      const chip = await get(context);
      if (!chip) return NO_CHIP;
      const skip = notRead(chip);
      if (skip) return skip;
      const t = trust();
      const trustFindings: CheckFinding[] = t.problems.map((p) => ({ code: 'CHIP_TRUST_STORE_INCOMPLETE', message: p }));
      if (chip.paError) return outcome('error', 'Passive Authentication could not be run.', [{ code: 'CHIP_PA_ERROR', message: chip.paError.message }, ...trustFindings]);
      const result = chip.pa;
      if (!result) {
        return outcome('fail', 'The chip has no readable document security object (EF.SOD), so its data cannot be authenticated.', [{ code: 'CHIP_SOD_MISSING', message: 'EF.SOD could not be read from the chip; every genuine eMRTD has one.' }]);
      }
      const evidence: Evidence[] = [];
      if (result.dsc) evidence.push({ kind: 'field', label: 'Document signer (DSC)', value: `${result.dsc.subject} — serial ${result.dsc.serial}` });
      if (result.csca) evidence.push({ kind: 'field', label: 'Country signing CA (CSCA)', value: `${result.csca.subject}${result.csca.sources.length ? ` (from ${result.csca.sources.join(', ')})` : ''}` });
      else evidence.push({ kind: 'field', label: 'Country signing CA (CSCA)', value: 'not found in the trust store', ok: false });
      evidence.push({ kind: 'field', label: 'Signature', value: `${result.signature.algorithm}: ${result.signature.detail}`, ok: result.signature.valid });
      evidence.push({ kind: 'field', label: 'Certificate chain', value: result.chain.detail, ok: result.chain.valid });
      evidence.push({ kind: 'field', label: 'Hash algorithm', value: result.signature.ldsHashAlgorithm ?? 'unknown' });
      for (const h of result.hashes) {
        evidence.push({ kind: 'field', label: `DG${h.dg} hash`, value: h.status, ...(h.valid !== null ? { ok: h.valid } : {}) });
      }
      if (result.country.status !== 'not-checked') evidence.push({ kind: 'field', label: 'Issuing state', value: result.country.detail, ok: result.country.status !== 'mismatch' });
      if (t.sources.length) evidence.push({ kind: 'text', label: 'Trust store', text: t.sources.join('\n') });
      const findings: CheckFinding[] = [...result.errors.map((e) => ({ code: e.code, message: e.message })), ...result.warnings.map((w) => ({ code: w.code, message: w.message }))];
      if (result.verdict === 'valid') return outcome('pass', `The chip data is signed by ${result.csca?.country ?? 'the issuing state'} and unaltered.`, findings, evidence);
      if (result.verdict === 'invalid') {
        return outcome('fail', `Passive Authentication failed: ${result.errors[0]?.message ?? 'the chip data is not what the issuer signed'}`, findings, evidence);
      }
      return outcome('warning', `The chip data could not be authenticated: ${result.errors[0]?.message ?? 'no trust anchor for its signer'}`, [...findings, ...trustFindings], evidence);
    },
  };

  const paPassed = (chip: ChipInspection) => chip.pa?.verdict === 'valid';

  const aa: DocumentCheck = {
    id: 'chip.active-auth',
    title: CHIP_CHECK_TITLES['chip.active-auth'],
    category: 'chip',
    async run(context) {
      const chip = await get(context);
      if (!chip) return NO_CHIP;
      const skip = notRead(chip);
      if (skip) return skip;
      if (!chip.read!.dg15) return outcome('not_applicable', 'The document does not support Active Authentication (no DG15).');
      if (chip.aaError) return outcome('error', 'Active Authentication could not be completed.', [{ code: 'CHIP_AA_ERROR', message: chip.aaError.message }]);
      const r = chip.aa;
      if (!r) return outcome('not_checked', 'Active Authentication was not run: the chip session ended before it.');
      const evidence: Evidence[] = [
        { kind: 'field', label: 'Algorithm', value: r.algorithm },
        { kind: 'field', label: 'Challenge', value: r.challenge },
        { kind: 'field', label: 'Signature', value: r.detail, ok: r.valid },
      ];
      if (!paPassed(chip)) {
        return outcome('warning', `Active Authentication ${r.valid ? 'succeeded' : 'failed'}, but it is not meaningful without Passive Authentication.`, [
          { code: 'CHIP_AA_KEY_NOT_AUTHENTICATED', message: 'Active Authentication is not meaningful without Passive Authentication: a cloned chip can carry a key of its own in DG15.' },
        ], evidence);
      }
      if (r.valid) return outcome('pass', 'The chip proved it holds the private key the issuer put in DG15: it is not a copy.', [], evidence);
      return outcome('fail', 'The chip could not prove it holds its Active Authentication key: it may be a copy.', [{ code: 'CHIP_AA_FAILED', message: `${r.detail} A genuine chip signs the challenge with the key in DG15; a copied chip cannot.` }], evidence);
    },
  };

  const ca: DocumentCheck = {
    id: 'chip.chip-auth',
    title: CHIP_CHECK_TITLES['chip.chip-auth'],
    category: 'chip',
    async run(context) {
      const chip = await get(context);
      if (!chip) return NO_CHIP;
      const skip = notRead(chip);
      if (skip) return skip;
      const dg14 = chip.read!.dg14;
      const cam = chip.ca?.via === 'PACE-CAM';
      if (!cam && (!dg14 || !dg14.securityInfos.some((i) => i.kind === 'ChipAuthenticationPublicKeyInfo'))) return outcome('not_applicable', 'The document does not support Chip Authentication (no key in DG14).');
      if (chip.caError) return outcome('error', 'Chip Authentication could not be completed.', [{ code: 'CHIP_CA_ERROR', message: chip.caError.message }]);
      const r = chip.ca;
      if (!r) return outcome('not_checked', 'Chip Authentication was not run: the chip session ended before it.');
      const evidence: Evidence[] = [
        { kind: 'field', label: 'Protocol', value: r.protocol },
        { kind: 'field', label: 'Result', value: r.detail, ok: r.valid },
      ];
      if (r.code === 'EMRTD_CA_CURVE_UNSUPPORTED') return outcome('not_checked', 'Chip Authentication uses parameters this system does not support.', [{ code: 'CHIP_CA_UNSUPPORTED', message: r.detail }], evidence);
      // The key must be the issuer's: DG14 through Passive Authentication, or, for PACE-CAM, EF.CardSecurity's own signature.
      const keyAuthenticated = cam ? r.keyAuthentication?.verdict === 'valid' : paPassed(chip);
      if (cam && r.keyAuthentication) evidence.push({ kind: 'field', label: 'EF.CardSecurity', value: r.keyAuthentication.detail, ok: r.keyAuthentication.verdict === 'valid' });
      if (cam && r.keyAuthentication?.verdict === 'invalid') {
        return outcome('fail', 'The chip\'s key for PACE-CAM is not signed by the issuer: EF.CardSecurity does not verify.', [{ code: 'CHIP_CA_KEY_NOT_AUTHENTICATED', message: r.keyAuthentication.detail }], evidence);
      }
      if (!keyAuthenticated) {
        return outcome('warning', `Chip Authentication ${r.valid ? 'succeeded' : 'failed'}, but it is not meaningful without ${cam ? 'a verified EF.CardSecurity' : 'Passive Authentication'}.`, [
          cam
            ? { code: 'CHIP_CA_KEY_NOT_AUTHENTICATED', message: `PACE-CAM is not meaningful unless EF.CardSecurity, which publishes the chip's key, is the issuer's: ${r.keyAuthentication?.detail ?? 'not checked'}` }
            : { code: 'CHIP_CA_KEY_NOT_AUTHENTICATED', message: 'Chip Authentication is not meaningful without Passive Authentication: a cloned chip can carry a key of its own in DG14.' },
        ], evidence);
      }
      if (r.valid) return outcome('pass', `The chip proved it holds the private key the issuer put in ${cam ? 'EF.CardSecurity (PACE-CAM)' : 'DG14'}: it is not a copy.`, [], evidence);
      return outcome('fail', 'The chip could not prove it holds its Chip Authentication key: it may be a copy.', [{ code: 'CHIP_CA_FAILED', message: `${r.detail}` }], evidence);
    },
  };

  return [access, dg1, pa, aa, ca];
}

export const CHIP_CHECK_IDS = ['chip.access', 'chip.dg1-mrz', 'chip.passive-auth', 'chip.active-auth', 'chip.chip-auth'] as const;
