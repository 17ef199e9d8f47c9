/**
 * The error type every Tessera layer throws: a stable code that the docs list (docs/error-codes.md),
 * a sentence saying what went wrong, and a hint saying what to do about it.
 */
export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** A one-line, human-readable form: "CODE: message (hint)". */
  toDisplayString(): string {
    return `${this.code}: ${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }

  toJSON(): { code: string; message: string; hint?: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), ...(this.details ? { details: this.details } : {}) };
  }
}

export function isTesseraError(value: unknown): value is TesseraError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' && (value as Error).name === 'TesseraError';
}

/** Describe any thrown value in one line, for logs and failed-state messages. */
export function describeError(error: unknown): string {
  if (isTesseraError(error)) return error.toDisplayString();
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
