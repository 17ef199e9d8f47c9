/**
 * `tessera mrz`: validates MRZs given as arguments (one document) or on stdin (documents
 * separated by blank lines) and prints one JSON object per document, one per line, so the
 * output can be piped into jq or a log. Exit code 0 = all valid, 1 = some invalid, 2 = usage.
 */

import { parseArgs } from 'node:util';
import { parseMrz, type MrzParseResult } from '@tessera/sdk/mrz';

export interface MrzCommandIo {
  stdin: NodeJS.ReadableStream | null;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  stdinIsTTY: boolean;
}

export const MRZ_USAGE =
  'usage: tessera mrz [--correct] [--reference-date YYYY-MM-DD] [LINE …]  (or pipe MRZs on stdin, documents separated by a blank line)';

const EXIT_VALID = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

function usageError(io: MrzCommandIo, message: string): number {
  io.stderr(`tessera mrz: ${message}`);
  return EXIT_USAGE;
}

/** Strict YYYY-MM-DD that is a real calendar date, as a UTC midnight Date. */
function parseReferenceDate(text: string): Date | null {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding?.('utf8');
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  return text;
}

/** Splits stdin text into documents at blank lines. */
export function splitDocuments(text: string): string[][] {
  const docs: string[][] = [];
  let current: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      if (current.length > 0) docs.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) docs.push(current);
  return docs;
}

/** The JSON shape printed per document; stable for scripts. */
export function toJson(result: MrzParseResult): Record<string, unknown> {
  const f = result.fields;
  const out: Record<string, unknown> = {
    format: result.format,
    valid: result.valid,
    fields:
      f === null
        ? null
        : {
            documentCode: f.documentCode,
            issuingState: f.issuingState,
            documentNumber: f.documentNumber,
            nationality: f.nationality,
            birthDate: f.birthDate,
            sex: f.sex,
            expiryDate: f.expiryDate,
            surname: f.surname,
            givenNames: f.givenNames,
            optionalData1: f.optionalData1,
            optionalData2: f.optionalData2,
          },
    checks: result.checks.map((c) => ({ field: c.field, valid: c.valid })),
    errors: result.errors.map((e) => ({ code: e.code, message: e.message })),
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
    corrections: result.corrections,
  };
  if (result.ambiguous !== undefined) out.ambiguous = result.ambiguous;
  return out;
}

export async function runMrzCommand(args: string[], io: MrzCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        correct: { type: 'boolean', default: false },
        'reference-date': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('. ')[0] : String(err);
    return usageError(io, `${reason.charAt(0).toLowerCase()}${reason.slice(1)}; see --help. ${MRZ_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(MRZ_USAGE);
    return EXIT_VALID;
  }

  let referenceDate: Date | undefined;
  if (values['reference-date'] !== undefined) {
    const d = parseReferenceDate(values['reference-date']);
    if (d === null) {
      return usageError(io, `--reference-date must be a calendar date written YYYY-MM-DD (e.g. 2026-11-25), got '${values['reference-date']}'`);
    }
    referenceDate = d;
  }

  let documents: string[][];
  if (positionals.length > 0) {
    documents = [positionals];
  } else {
    if (io.stdin === null || io.stdinIsTTY) {
      return usageError(io, `no MRZ given: pass the MRZ lines as arguments or pipe them on stdin. ${MRZ_USAGE}`);
    }
    documents = splitDocuments(await readAll(io.stdin));
    if (documents.length === 0) {
      return usageError(io, `stdin held no MRZ lines: pipe the MRZ lines in, documents separated by a blank line. ${MRZ_USAGE}`);
    }
  }

  let allValid = true;
  for (const lines of documents) {
    const result = parseMrz(lines, { referenceDate, correct: values.correct === true });
    if (!result.valid) allValid = false;
    io.stdout(JSON.stringify(toJson(result)));
  }
  return allValid ? EXIT_VALID : EXIT_INVALID;
}
