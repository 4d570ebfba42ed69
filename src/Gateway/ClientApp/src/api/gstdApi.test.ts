import { describe, expect, it, vi } from 'vitest';
import { createGstdApi } from './gstdApi';

const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200 });

describe('createGstdApi', () => {
  it('asks the arbitration queue by status, 50 at a time, with the cursor of the page before', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => ok({ items: [], nextCursor: null }));
    const api = createGstdApi('k', { fetch });

    await api.listDisputes('AwaitingArbitration', null);
    await api.listDisputes('All', 'c/2+=');

    expect(fetch.mock.calls[0]![0]).toBe('/api/admin/disputes?status=AwaitingArbitration&limit=50');
    expect(fetch.mock.calls[1]![0]).toBe('/api/admin/disputes?limit=50&cursor=c%2F2%2B%3D');
  });

  it('posts a decision as JSON to the dispute’s decision URL', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => ok({ id: 'dsp_1', status: 'Resolved' }));
    const api = createGstdApi('k', { fetch });

    await api.decideDispute('dsp_1', { outcome: 'split', workerShare: 0.3, note: 'half done' });

    const [input, init] = fetch.mock.calls[0]!;
    expect(input).toBe('/api/admin/disputes/dsp_1/decision');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ outcome: 'split', workerShare: 0.3, note: 'half done' });
  });

  it('escapes ids in paths', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => ok({}));
    const api = createGstdApi('k', { fetch });

    await api.getWorker('../accounts/me');

    expect(fetch.mock.calls[0]![0]).toBe('/api/workers/..%2Faccounts%2Fme');
  });

  it('tells when the key is no longer accepted', async () => {
    const onUnauthorized = vi.fn();
    const api = createGstdApi('k', { fetch: async () => new Response('', { status: 401 }), onUnauthorized });

    await expect(api.getMe()).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
