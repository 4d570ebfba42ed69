import { describe, expect, it, vi } from 'vitest';
import { RealtimeError } from './realtimeError';
import { ticketUrl } from './ticketUrl';

const answering = (status: number, body: unknown = {}) =>
  vi.fn(async (_input: string, _init: RequestInit) => new Response(JSON.stringify(body), { status }));

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
    expect(fetch.mock.calls[0]![1]).toEqual({ method: 'POST', headers: { Authorization: 'Bearer key-1' } });
    expect(fetch.mock.calls[1]![1].headers).toEqual({ Authorization: 'Bearer key-2' });
  });

  it('keeps a base path and uses ws: under http', async () => {
    const fetch = answering(201, { ticket: 'a/b+c', expiresAt: '' });
    const getUrl = ticketUrl({ baseUrl: 'http://localhost:5000/gstd/', apiKey: 'k', fetch });

    expect(await getUrl()).toBe('ws://localhost:5000/gstd/ws?ticket=a%2Fb%2Bc');
    expect(fetch.mock.calls[0]![0]).toBe('http://localhost:5000/gstd/api/realtime/tickets');
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
