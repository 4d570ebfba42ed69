import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeError } from './realtimeError';
import { ticketUrl } from './ticketUrl';

const answering = (status: number, body: unknown = {}) =>
  vi.fn(async (_input: string, _init: RequestInit) => new Response(JSON.stringify(body), { status }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ticketUrl', () => {
  it('trades the API key for a ticket at every call and answers the /ws URL with it', async () => {
    const fetch = answering(201, { ticket: 'tk-1', expiresAt: '2026-01-01T00:00:30Z' });
    let key = 'key-1';
    const getUrl = ticketUrl({ baseUrl: 'https://gstd.test/', apiKey: () => key, fetch });

    expect(await getUrl()).toBe('wss://gstd.test/ws?ticket=tk-1');
    key = 'key-2';
    await getUrl();

    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[0]![0]).toBe('https://gstd.test/api/realtime/tickets');
    expect(fetch.mock.calls[0]![1]).toEqual({ method: 'POST', headers: { Authorization: 'Bearer key-1' }, signal: expect.any(AbortSignal) });
    expect(fetch.mock.calls[1]![1].headers).toEqual({ Authorization: 'Bearer key-2' });
  });

  it('keeps a base path and uses ws: under http', async () => {
    const fetch = answering(201, { ticket: 'a/b+c', expiresAt: '' });
    const getUrl = ticketUrl({ baseUrl: 'http://localhost:5000/gstd/', apiKey: 'k', fetch });

    expect(await getUrl()).toBe('ws://localhost:5000/gstd/ws?ticket=a%2Fb%2Bc');
    expect(fetch.mock.calls[0]![0]).toBe('http://localhost:5000/gstd/api/realtime/tickets');
  });

  it('keeps a base path given without its final slash', async () => {
    const fetch = answering(201, { ticket: 'tk', expiresAt: '' });
    const getUrl = ticketUrl({ baseUrl: 'http://localhost:5000/gstd', apiKey: 'k', fetch });

    expect(await getUrl()).toBe('ws://localhost:5000/gstd/ws?ticket=tk');
    expect(fetch.mock.calls[0]![0]).toBe('http://localhost:5000/gstd/api/realtime/tickets');
  });

  it.each([[undefined, 20_000], [5_000, 5_000]])('aborts the ticket request after its timeout (%s ms given)', async (timeoutMs, expected) => {
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    const fetch = answering(201, { ticket: 'tk', expiresAt: '' });
    const getUrl = ticketUrl({ baseUrl: 'https://gstd.test/', apiKey: 'k', fetch, ...(timeoutMs === undefined ? {} : { timeoutMs }) });

    await getUrl();

    expect(timeout).toHaveBeenCalledExactlyOnceWith(expected);
    expect(fetch.mock.calls[0]![1].signal).toBe(timeout.mock.results[0]!.value);
  });

  it.each(['{}', '{"ticket":""}', '{"ticket":42}', 'null', '<html>'])('fails an answer without a ticket (%s) with code ticket_failed', async (body) => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => new Response(body, { status: 201 }));
    const getUrl = ticketUrl({ baseUrl: 'https://gstd.test/', apiKey: 'k', fetch });

    await expect(getUrl()).rejects.toMatchObject({ name: 'RealtimeError', code: 'ticket_failed' });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [503, 'ticket_failed'],
  ])('fails an answer %s with code %s', async (status, code) => {
    const getUrl = ticketUrl({ baseUrl: 'https://gstd.test/', apiKey: 'k', fetch: answering(status) });

    const failure = getUrl();

    await expect(failure).rejects.toBeInstanceOf(RealtimeError);
    await expect(failure).rejects.toMatchObject({ code });
  });
});
