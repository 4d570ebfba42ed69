import { RealtimeError } from './realtimeError';

export interface TicketUrlOptions {
  /** The gateway, e.g. `https://gstd.example/`; `/ws` and `/api/…` are resolved against it (a missing final `/` is added). */
  baseUrl: string;
  /** The API key, or a function answering the current one (read at every connect attempt). */
  apiKey: string | (() => string);
  /** Defaults to the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /**
   * How long the ticket request may take before it is aborted; default 20 s, under the connection's 30 s
   * `getUrlTimeoutMs`, so a request the connection gave up on does not stay open.
   */
  timeoutMs?: number;
}

interface TicketResponse {
  ticket: string;
  expiresAt: string;
}

/**
 * A `getUrl` for RealtimeConnection: browsers cannot set headers on a WebSocket, so each attempt trades the
 * API key for a single-use ticket (`POST /api/realtime/tickets`) and connects to `/ws?ticket=…`.
 * A refused key fails with code `unauthorized` or `forbidden`, which stops the connection's retries.
 */
export function ticketUrl(options: TicketUrlOptions): () => Promise<string> {
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  // Without the final `/`, URL resolution would replace the last path segment (`/gstd` + `ws` gives `/ws`).
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  return async () => {
    const apiKey = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey;
    const response = await doFetch(new URL('api/realtime/tickets', baseUrl).href, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    if (response.status === 401 || response.status === 403) {
      const code = response.status === 401 ? 'unauthorized' : 'forbidden';
      throw new RealtimeError(code, `The gateway refused the API key for a realtime ticket (${response.status}).`);
    }

    if (!response.ok) {
      throw new RealtimeError('ticket_failed', `POST /api/realtime/tickets answered ${response.status}.`);
    }

    const body = (await response.json().catch(() => null)) as Partial<TicketResponse> | null;
    const ticket = body?.ticket;
    if (typeof ticket !== 'string' || ticket === '') {
      throw new RealtimeError('ticket_failed', `POST /api/realtime/tickets answered ${response.status} without a ticket.`);
    }

    const url = new URL('ws', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', ticket);
    return url.href;
  };
}
