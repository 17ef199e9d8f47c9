/** Thin fetch wrapper: every failure becomes an ApiError carrying the host's code, message and hint. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly hint?: string) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  } catch {
    throw new ApiError('NETWORK', 'The workstation service does not answer.');
  }
  const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string; hint?: string } } | null;
  if (!response.ok) {
    const e = body?.error;
    throw new ApiError(e?.code ?? `HTTP_${response.status}`, e?.message ?? response.statusText, e?.hint);
  }
  return body as T;
}
