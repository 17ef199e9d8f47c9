/**
 * The error codes of the SLTD online client, each a reason why a document could not be checked
 * against the online service. The connector turns every one of them into a `not_checked` result.
 */
export const SLTD_ONLINE_ERROR_CODES = {
  SLTD_ONLINE_NOT_CONFIGURED: 'The online mode is selected but no SLTD endpoint is configured (plugin setting `endpoint`).',
  SLTD_ONLINE_UNREACHABLE: 'The SLTD service could not be reached: connection refused, reset or dropped, or the host name does not resolve. Retried with backoff.',
  SLTD_ONLINE_TIMEOUT: 'The SLTD service did not answer within `timeoutMs`. Retried with backoff while the overall deadline allows.',
  SLTD_ONLINE_SERVER_ERROR: 'The SLTD service answered 5xx or 429 (failing, overloaded or under maintenance). Retried with backoff.',
  SLTD_ONLINE_CREDENTIALS_REJECTED: 'The SLTD service answered 401 or 403: the configured API key or bearer token is missing, wrong or not authorised. Not retried.',
  SLTD_ONLINE_REQUEST_REJECTED: 'The SLTD service refused the query itself (another 4xx): the client and the service disagree on the protocol. Not retried.',
  SLTD_ONLINE_BAD_RESPONSE: 'The SLTD service answered 200 with a body that is not JSON or not a search result. Not retried; counts towards the circuit breaker.',
  SLTD_ONLINE_CIRCUIT_OPEN: 'The circuit breaker is open after consecutive failures: the service is not asked until the cool-down has passed.',
  SLTD_ONLINE_ABORTED: 'The inspection stopped waiting for the answer (its time limit passed, or it was cancelled).',
} as const;

export type SltdOnlineErrorCode = keyof typeof SLTD_ONLINE_ERROR_CODES;
