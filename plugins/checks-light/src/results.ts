/** Building the light checks' results: one shape for every status, and errors turned into an 'error' result. */
import { isTesseraError, type CheckFinding, type CheckResult, type CheckStatus, type Evidence } from '@tessera/sdk';

export type LightCheckResult = Omit<CheckResult, 'checkId' | 'durationMs'>;

export function checkResult(status: CheckStatus, summary: string, findings: CheckFinding[], evidence: Evidence[]): LightCheckResult {
  return { status, summary, findings, evidence };
}

export function notChecked(reason: string): LightCheckResult {
  return checkResult('not_checked', reason, [], []);
}

/**
 * An image the check cannot decode is reported as the check's own 'error' with its code and hint,
 * rather than thrown (the host would only say the check failed to run); anything else is a defect
 * and is thrown for the host to report.
 */
export function errorResult(error: unknown): LightCheckResult {
  if (!isTesseraError(error)) throw error;
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  return checkResult('error', error.message, [{ code: error.code, message }], []);
}
