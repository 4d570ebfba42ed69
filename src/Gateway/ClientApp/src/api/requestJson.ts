import { ApiError, apiErrorFromResponse } from './apiError';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface JsonRequest {
  apiKey: string;
  method?: 'GET' | 'POST' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with its content type (a module's bytes, an input file); instead of `body`. */
  binary?: { bytes: Blob | ArrayBuffer | Uint8Array<ArrayBuffer>; contentType: string };
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
}

/**
 * Calls the gateway with the API key as a bearer token and answers the JSON body. Any non-2xx answer, or no
 * answer at all, throws an ApiError (with the problem+json fields when there are some).
 */
export async function requestJson<T>(path: string, request: JsonRequest): Promise<T> {
  const doFetch = request.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const headers: Record<string, string> = { ...request.headers, Authorization: `Bearer ${request.apiKey}`, Accept: 'application/json' };
  const init: RequestInit = { method: request.method ?? 'GET', headers, cache: 'no-store' };
  if (request.binary !== undefined) {
    headers['Content-Type'] = request.binary.contentType;
    init.body = request.binary.bytes;
  } else if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(request.body);
  }
  if (request.signal !== undefined) {
    init.signal = request.signal;
  }

  let response: Response;
  try {
    response = await doFetch(path, init);
  } catch (error) {
    // An abort is the caller's own doing: let it through as it is so callers can tell it apart.
    if (request.signal?.aborted === true) {
      throw error;
    }
    throw new ApiError(0, 'The gateway could not be reached.', error instanceof Error ? error.message : null);
  }
  if (!response.ok) {
    throw await apiErrorFromResponse(response);
  }
  return (await response.json()) as T;
}
