/**
 * `tessera chip read`: reads the chip of the document on a reader (the simulator by default) and
 * prints the verified result — access protocol, files and data groups read, the MRZ in DG1, the
 * Passive / Active / Chip Authentication verdicts with their reasons, and the portrait's format.
 *
 * The reading and the verdicts are the chip checks' own (ChipInspector and createChipChecks), run
 * on one scan outside an inspection, so the command and the inspection can never disagree. The
 * readers come from the host (CommandIo.readers), the same registry `tessera start` scans with.
 */

import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseMrz, TesseraError, type CheckStatus, type CliCommand, type CommandIo, type InspectionContext, type Logger, type MrzParseResult, type ReaderDriver, type ScanResult } from '@tessera/sdk';
import type { ChipMrzKey } from '../reading/chip-reader.js';
import type { TrustConfig } from '../checks/trust-config.js';
import { EXIT_FAILURE, EXIT_OK, reportFailure, usageError } from './command-support.js';
import { CHIP_READ_SUMMARY, CHIP_READ_USAGE } from './command-texts.js';

export { CHIP_READ_USAGE };

/** Exit status when nothing failed but a verdict could not be established (e.g. no CSCA for the signer). */
export const EXIT_INCONCLUSIVE = 3;

export interface ChipReadCommandDeps {
  /** The plugin's trust configuration (master lists, CSCAs, CRLs; paths relative to the host data folder). */
  trust: TrustConfig;
  /** The plugin's data folder ('' when the host has none). */
  pluginDataDir: string;
  preferPace?: boolean;
  apduTimeoutMs?: number;
  readTimeoutMs?: number;
  logger?: Logger;
}

export interface ChipReadArgs {
  reader?: string;
  device?: string;
  mrz?: string;
  can?: string;
  settings: Array<{ id: string; value: string }>;
  json: boolean;
}

/** Parses the arguments; throws a plain Error with the usage problem. */
export function parseChipReadArgs(args: string[]): ChipReadArgs {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      reader: { type: 'string' },
      device: { type: 'string' },
      mrz: { type: 'string' },
      can: { type: 'string' },
      setting: { type: 'string', multiple: true },
      // Read by the host before it loads the plugins; accepted here so it is not an unknown option.
      data: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}".`);
  if (values.can !== undefined && !/^\d{6}$/.test(values.can)) throw new Error('--can must be the 6 digits printed on the document.');
  const settings = (values.setting ?? []).map((s) => {
    const at = s.indexOf('=');
    if (at <= 0) throw new Error(`--setting must be ID=VALUE, got "${s}".`);
    return { id: s.slice(0, at), value: s.slice(at + 1) };
  });
  return {
    ...(values.reader ? { reader: values.reader } : {}),
    ...(values.device ? { device: values.device } : {}),
    ...(values.mrz ? { mrz: values.mrz } : {}),
    ...(values.can ? { can: values.can } : {}),
    settings,
    json: values.json === true,
  };
}

const MRZ_INFORMATION = /^([A-Z0-9<]{9})([0-9])([0-9]{6})([0-9])([0-9]{6})([0-9])$/;

/**
 * The chip key from --mrz: the MRZ_information string (document number, birth date, expiry date,
 * each with its check digit: 24 characters), or the whole MRZ (lines separated by spaces or newlines).
 */
export function mrzKeyFromOption(text: string): { key: ChipMrzKey; parsed: MrzParseResult | null } {
  const compact = text.trim().toUpperCase();
  const info = MRZ_INFORMATION.exec(compact);
  if (info) return { key: { documentNumber: info[1]!.replace(/<+$/, ''), birthDate: info[3]!, expiryDate: info[5]! }, parsed: null };
  const parsed = parseMrz(compact.split(/\s+/));
  const f = parsed.fields;
  if (!f || !f.documentNumber || !f.birthDateRaw || !f.expiryDateRaw) {
    throw new TesseraError('EMRTD_READ_NO_KEY', `--mrz is neither MRZ_information (24 characters) nor an MRZ whose document number and dates can be read${parsed.errors[0] ? ` (${parsed.errors[0].message})` : ''}`, {
      hint: 'Give --mrz "L898902C<369080619406236" (document number, birth date, expiry date with their check digits) or the MRZ lines separated by spaces.',
    });
  }
  return { key: { documentNumber: f.documentNumber, birthDate: f.birthDateRaw, expiryDate: f.expiryDateRaw }, parsed };
}

interface ChosenDevice {
  driver: ReaderDriver;
  deviceId: string;
}

/** The first ready device with a chip antenna (of --reader, or the one named by --device). */
async function chooseDevice(readers: readonly ReaderDriver[], args: ChipReadArgs): Promise<ChosenDevice> {
  const seen: string[] = [];
  const drivers = args.reader ? readers.filter((d) => d.id === args.reader) : readers;
  if (args.reader && drivers.length === 0) {
    throw new TesseraError('EMRTD_READ_NO_READER', `No reader driver "${args.reader}" is loaded (loaded: ${readers.map((d) => d.id).join(', ') || 'none'})`, {
      hint: 'Check that the reader\'s plugin is enabled (`tessera plugins`).',
    });
  }
  for (const driver of drivers) {
    let devices;
    try {
      devices = await driver.listDevices();
    } catch (error) {
      seen.push(`${driver.id}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const device of devices) {
      seen.push(`${device.id}${device.capabilities.chip ? '' : ' (no chip antenna)'}`);
      if (args.device ? device.id === args.device : device.capabilities.chip && device.status === 'ready') return { driver, deviceId: device.id };
    }
  }
  throw new TesseraError('EMRTD_READ_NO_READER', `${args.device ? `No device "${args.device}"` : 'No ready reader with a chip antenna'} was found (devices: ${seen.join(', ') || 'none'})`, {
    hint: 'Connect a reader, or enable the reader simulator; name a device with --device ID.',
  });
}

async function applySettings(chosen: ChosenDevice, settings: ChipReadArgs['settings']): Promise<void> {
  for (const { id, value } of settings) {
    if (!chosen.driver.changeSetting) {
      throw new TesseraError('EMRTD_READ_SETTING_INVALID', `The reader ${chosen.driver.displayName} has no settings (asked for ${id}=${value})`, { hint: 'Leave out --setting for this reader.' });
    }
    try {
      await chosen.driver.changeSetting(chosen.deviceId, id, value);
    } catch (error) {
      throw new TesseraError('EMRTD_READ_SETTING_INVALID', `The reader refused the setting ${id}=${value}: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'See the reader\'s settings and their values in the device panel of `tessera start`.',
        cause: error,
      });
    }
  }
}

type Verdict = 'pass' | 'fail' | 'inconclusive';

/** fail when a check failed or errored; inconclusive when one could only warn or not check; else pass. */
export function overallVerdict(statuses: readonly CheckStatus[]): Verdict {
  if (statuses.some((s) => s === 'fail' || s === 'error')) return 'fail';
  if (statuses.some((s) => s === 'warning' || s === 'not_checked')) return 'inconclusive';
  return 'pass';
}

export function createChipReadCommand(deps: ChipReadCommandDeps): CliCommand {
  return {
    id: 'chip read',
    summary: CHIP_READ_SUMMARY,
    usage: CHIP_READ_USAGE,
    async run(argv: string[], io: CommandIo): Promise<number> {
      let args: ChipReadArgs;
      try {
        args = parseChipReadArgs(argv);
      } catch (error) {
        return usageError(io, (error as Error).message, CHIP_READ_USAGE);
      }
      let scan: ScanResult | undefined;
      try {
        const readers = io.readers?.();
        if (!readers) throw new TesseraError('EMRTD_READ_NO_READER', 'This host runs commands without readers', { hint: 'Run `tessera chip read` from the tessera command line.' });
        const given = args.mrz ? mrzKeyFromOption(args.mrz) : undefined;
        const chosen = await chooseDevice(readers, args);
        await applySettings(chosen, args.settings);
        scan = await chosen.driver.scan(chosen.deviceId);
        if (!scan.chip) throw new TesseraError('EMRTD_READ_NO_CHIP', `No chip answered on ${chosen.deviceId}`, { hint: 'Place the document with its chip on the reader (the data page of a passport, the card of an ID card) and try again.' });
        const printed = scan.mrz ? parseMrz(scan.mrz.lines) : null;
        const mrz = given?.parsed ?? printed;
        if (!given && !args.can && !mrz?.fields) {
          throw new TesseraError('EMRTD_READ_NO_KEY', `The reader did not read an MRZ from the document, and neither --mrz nor --can was given`, { hint: 'Give --mrz (or --can for a PACE document).' });
        }

        // Loaded here so `tessera commands` and the other commands never load the chip code.
        const [{ ChipInspector }, { createChipChecks }, { dataFolderOf, loadTrustStore }] = await Promise.all([
          import('../checks/chip-inspection.js'),
          import('../checks/chip-checks.js'),
          import('../checks/trust-config.js'),
        ]);
        // After the scan: a reader may write its trust files (the simulator's test PKI) when it first opens a chip.
        const trust = await loadTrustStore(deps.trust, dataFolderOf(deps.pluginDataDir), deps.logger);
        const inspector = new ChipInspector({
          trust: () => trust,
          preferPace: deps.preferPace ?? true,
          apduTimeoutMs: deps.apduTimeoutMs ?? 5000,
          readTimeoutMs: deps.readTimeoutMs ?? 30000,
          ...(deps.logger ? { logger: deps.logger } : {}),
        });
        const context: InspectionContext = { inspectionId: randomUUID(), scan, mrz, referenceDate: new Date(), bcp: null, signal: new AbortController().signal };
        const chip = await inspector.inspect(context, { ...(given ? { mrz: given.key } : {}), ...(args.can ? { can: args.can } : {}) });
        const checks: Record<string, { status: CheckStatus; summary: string; findings: Array<{ code: string; message: string }> }> = {};
        for (const check of createChipChecks(inspector, () => trust)) {
          const outcome = await check.run(context);
          checks[check.id] = { status: outcome.status, summary: outcome.summary, findings: outcome.findings.map((f) => ({ code: f.code, message: f.message })) };
        }
        const verdict = overallVerdict(Object.values(checks).map((c) => c.status));
        const read = chip?.read;
        const face = read?.face
          ? {
              format: read.face.container,
              mediaType: read.face.mediaType,
              bytes: read.face.data.length,
              width: read.face.imageSize?.width ?? read.face.width,
              height: read.face.imageSize?.height ?? read.face.height,
            }
          : null;
        const report = {
          ok: verdict === 'pass',
          verdict,
          device: chosen.deviceId,
          access: read?.access ? { protocol: read.access.protocol, ...(read.access.mapping ? { mapping: read.access.mapping } : {}), detail: read.access.detail } : null,
          files: read ? [...read.files.keys()] : [],
          dataGroups: read ? [...read.dataGroups.keys()].sort((a, b) => a - b) : [],
          dg1: read?.dg1Mrz ? read.dg1Mrz.lines : null,
          face,
          apdus: read?.apduCount ?? 0,
          durationMs: read?.durationMs ?? 0,
          checks,
        };
        if (args.json) io.stdout(JSON.stringify(report));
        else printReport(io, report);
        return verdict === 'pass' ? EXIT_OK : verdict === 'fail' ? EXIT_FAILURE : EXIT_INCONCLUSIVE;
      } catch (error) {
        return reportFailure(io, error);
      } finally {
        await scan?.chip?.close().catch(() => undefined);
      }
    },
  };
}

const MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warning: 'WARN', error: 'ERROR', not_applicable: 'n/a', not_checked: 'not checked' };

function printReport(
  io: CommandIo,
  r: {
    verdict: Verdict;
    device: string;
    access: { detail: string } | null;
    files: string[];
    dg1: string[] | null;
    face: { format: string; bytes: number; width: number; height: number } | null;
    apdus: number;
    durationMs: number;
    checks: Record<string, { status: CheckStatus; summary: string; findings: Array<{ code: string; message: string }> }>;
  },
): void {
  io.stdout(`Chip on ${r.device}: ${r.verdict.toUpperCase()}`);
  io.stdout(`  access     ${r.access?.detail ?? 'not opened'}`);
  io.stdout(`  files      ${r.files.join(', ') || 'none'} (${r.apdus} APDUs, ${r.durationMs} ms)`);
  if (r.dg1) io.stdout(`  DG1 MRZ    ${r.dg1.join('\n             ')}`);
  if (r.face) io.stdout(`  portrait   ${r.face.format}, ${r.face.width}×${r.face.height}, ${r.face.bytes} bytes`);
  for (const [id, c] of Object.entries(r.checks)) {
    io.stdout(`  ${id.padEnd(18)} ${MARK[c.status].padEnd(11)} ${c.summary}`);
    for (const f of c.findings) io.stdout(`      ${f.code}: ${f.message}`);
  }
}
