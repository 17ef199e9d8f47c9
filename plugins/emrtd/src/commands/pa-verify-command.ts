/**
 * `tessera pa verify`: Passive Authentication of files read from a chip (EF.SOD and data groups)
 * against CSCA master lists, CSCA certificates and CRLs given on the command line. Prints one
 * JSON object with the verdict and every check; exit 0 when valid, 1 when invalid or unknown (or
 * an input file cannot be read or used), 2 when the command is called wrongly.
 */

import { parseArgs } from 'node:util';
import { TesseraError, type CliCommand, type CommandIo } from '@tessera/sdk';
import { EXIT_FAILURE, EXIT_OK, fileReader, readInput, reportFailure, usageError, type EmrtdCommandDeps, type FileReader } from './command-support.js';

import { PA_VERIFY_SUMMARY, PA_VERIFY_USAGE } from './command-texts.js';

export { PA_VERIFY_USAGE };

interface PaVerifyArgs {
  sod: string;
  dgs: Map<number, string>;
  masterLists: string[];
  cscas: string[];
  crls: string[];
  issuingState?: string;
  at?: Date;
}

/** Parses the arguments; returns a sentence describing the problem on a usage error. */
export function parsePaVerifyArgs(args: string[]): PaVerifyArgs | string {
  let values: Record<string, string | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        sod: { type: 'string' },
        dg: { type: 'string', multiple: true },
        masterlist: { type: 'string', multiple: true },
        csca: { type: 'string', multiple: true },
        crl: { type: 'string', multiple: true },
        'issuing-state': { type: 'string' },
        at: { type: 'string' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  const sod = values.sod as string | undefined;
  if (!sod) return 'missing --sod FILE (the EF.SOD read from the chip).';
  const dgs = new Map<number, string>();
  for (const spec of (values.dg as string[] | undefined) ?? []) {
    const m = /^(?:DG)?(\d{1,2})=(.+)$/i.exec(spec);
    const n = m ? Number(m[1]) : NaN;
    if (!m || n < 1 || n > 16) return `--dg ${spec}: expected N=FILE with N a data group number 1-16, e.g. --dg 1=DG1.bin.`;
    if (dgs.has(n)) return `--dg ${n} is given twice; pass each data group once.`;
    dgs.set(n, m[2]);
  }
  const masterLists = (values.masterlist as string[] | undefined) ?? [];
  const cscas = (values.csca as string[] | undefined) ?? [];
  if (masterLists.length === 0 && cscas.length === 0) return 'no trust anchors: pass at least one --masterlist FILE or --csca FILE.';
  const issuingState = values['issuing-state'] as string | undefined;
  if (issuingState !== undefined && !/^[A-Za-z<]{1,3}$/.test(issuingState)) return `--issuing-state ${issuingState}: expected the MRZ issuing state code, e.g. UTO or D.`;
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at as string);
    if (Number.isNaN(at.getTime())) return `--at ${String(values.at)}: not a date; use ISO 8601, e.g. 2024-05-01.`;
  }
  return { sod, dgs, masterLists, cscas, crls: (values.crl as string[] | undefined) ?? [], ...(issuingState ? { issuingState } : {}), ...(at ? { at } : {}) };
}

async function verify(parsed: PaVerifyArgs, read: FileReader, io: CommandIo): Promise<number> {
  // Loaded on use: the PKI code is only needed when the command runs.
  const { verifyPassiveAuthentication } = await import('../passive-auth/index.js');
  const { TrustStore } = await import('../trust/index.js');

  const store = new TrustStore();
  for (const file of parsed.masterLists) {
    const bytes = await readInput(read, file, '--masterlist', 'PA_FILE_UNREADABLE');
    store.addMasterList(bytes, { source: file });
  }
  for (const file of parsed.cscas) {
    const bytes = await readInput(read, file, '--csca', 'PA_FILE_UNREADABLE');
    const report = store.addCertificates(bytes, { source: file });
    if (report.added === 0) {
      const why = report.skipped.map((s) => `${s.code}: ${s.reason}`).join('; ') || 'no certificate in the file';
      // A duplicate of an already loaded CSCA is harmless; anything else means the file is not what the user thinks.
      if (!report.skipped.every((s) => s.code === 'PA_CERT_DUPLICATE')) {
        throw new TesseraError('PA_CSCA_UNUSABLE', `--csca ${file}: no CSCA certificate could be used (${why})`, { hint: 'Pass a CSCA certificate (a CA certificate with keyCertSign), DER or PEM.' });
      }
    }
  }
  for (const file of parsed.crls) {
    const bytes = await readInput(read, file, '--crl', 'PA_FILE_UNREADABLE');
    store.addCrl(bytes, { source: file });
  }
  const sod = await readInput(read, parsed.sod, '--sod', 'PA_FILE_UNREADABLE');
  const dataGroups = new Map<number, Uint8Array>();
  for (const [dg, file] of parsed.dgs) dataGroups.set(dg, await readInput(read, file, `--dg ${dg}`, 'PA_FILE_UNREADABLE'));

  const r = verifyPassiveAuthentication({
    sod,
    dataGroups,
    trustStore: store,
    ...(parsed.issuingState ? { issuingState: parsed.issuingState } : {}),
    ...(parsed.at ? { at: parsed.at } : {}),
  });
  io.stdout(
    JSON.stringify(
      {
        verdict: r.verdict,
        signature: r.signature,
        chain: r.chain,
        hashes: r.hashes,
        dsc: r.dsc,
        csca: r.csca,
        country: r.country,
        referenceTime: r.referenceTime,
        errors: r.errors,
        warnings: r.warnings,
      },
      null,
      2,
    ),
  );
  const malformed = r.errors.find((e) => e.code === 'PA_SOD_MALFORMED');
  if (malformed) {
    // Most often the wrong file was passed; say so on stderr besides the verdict.
    io.stderr(`error ${malformed.code}: --sod ${parsed.sod}: ${malformed.message}`);
    io.stderr('  Pass EF.SOD exactly as read from the chip (file 011D; it starts with byte 77).');
  }
  return r.verdict === 'valid' ? EXIT_OK : EXIT_FAILURE;
}

export function createPaVerifyCommand(deps: EmrtdCommandDeps = {}): CliCommand {
  const read = fileReader(deps);
  return {
    id: 'pa verify',
    summary: PA_VERIFY_SUMMARY,
    usage: PA_VERIFY_USAGE,
    async run(args: string[], io: CommandIo): Promise<number> {
      const parsed = parsePaVerifyArgs(args);
      if (typeof parsed === 'string') return usageError(io, parsed, PA_VERIFY_USAGE);
      try {
        return await verify(parsed, read, io);
      } catch (error) {
        return reportFailure(io, error);
      }
    },
  };
}
