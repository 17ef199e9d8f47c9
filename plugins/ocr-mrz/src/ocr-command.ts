/** `tessera ocr IMAGE… [--check] [--json]`: reads the MRZ of each image and prints one JSON line per image. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isTesseraError, parseMrz, type CliCommand, type CommandIo } from '@tessera/sdk';
import { OCR_SUMMARY, OCR_USAGE } from './command-texts.js';
import type { MrzOcrEngineHandle } from './mrz-ocr-engine.js';

export interface OcrCommandDeps {
  engine: Pick<MrzOcrEngineHandle, 'read'>;
  /** Reads an image file; defaults to node:fs. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

export interface OcrLine {
  file: string;
  mrz: string[] | null;
  format: string | null;
  valid: boolean;
  confidence: number;
  candidates?: string[][];
  ms: number;
  reason?: string;
  error?: { code: string; message: string };
  check?: ReturnType<typeof parseMrz>;
}

export function createOcrCommand(deps: OcrCommandDeps): CliCommand {
  const read = deps.readFile ?? (async (path: string) => new Uint8Array(await readFile(path)));
  return {
    id: 'ocr',
    summary: OCR_SUMMARY,
    usage: OCR_USAGE,
    async run(args: string[], io: CommandIo): Promise<number> {
      let files: string[];
      let check: boolean;
      try {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { check: { type: 'boolean' }, json: { type: 'boolean' } } });
        files = positionals;
        check = values.check === true;
      } catch (error) {
        io.stderr(`error: ${(error as Error).message}`);
        io.stderr(OCR_USAGE);
        return 2;
      }
      if (files.length === 0) {
        io.stderr('error: no IMAGE given.');
        io.stderr(OCR_USAGE);
        return 2;
      }
      let allValid = true;
      for (const file of files) {
        const started = performance.now();
        let line: OcrLine;
        try {
          const bytes = await read(file).catch((error: NodeJS.ErrnoException) => {
            throw Object.assign(new Error(error.code === 'ENOENT' ? `no such file: ${file}` : error.message), { code: 'OCR_MRZ_IMAGE_UNREADABLE', name: 'TesseraError' });
          });
          const result = await deps.engine.read(bytes);
          line = {
            file,
            mrz: result.lines.length > 0 ? result.lines : null,
            format: result.format,
            valid: result.valid,
            confidence: Math.round(result.confidence * 1000) / 1000,
            ...(result.alternatives && result.alternatives.length > 0 ? { candidates: result.alternatives } : {}),
            ms: Math.round(performance.now() - started),
            ...(result.reason ? { reason: result.reason } : {}),
          };
          if (check && result.lines.length > 0) line.check = parseMrz(result.lines);
        } catch (error) {
          const code = isTesseraError(error) ? error.code : 'OCR_MRZ_ENGINE_FAILED';
          const message = error instanceof Error ? error.message : String(error);
          io.stderr(`error ${code}: ${file}: ${message}`);
          line = { file, mrz: null, format: null, valid: false, confidence: 0, ms: Math.round(performance.now() - started), error: { code, message } };
        }
        if (!line.valid) allValid = false;
        io.stdout(JSON.stringify(line));
      }
      return allValid ? 0 : 1;
    },
  };
}
