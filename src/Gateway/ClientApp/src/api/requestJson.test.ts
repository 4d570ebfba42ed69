import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './apiError';
import { requestJson } from './requestJson';

const json = (status: number, body: unknown, contentType = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });

describe('requestJson', () => {
  it('sends the key as a bearer token and answers the JSON body', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => json(200, { id: 'acc_1' }));

    expect(await requestJson('/api/accounts/me', { apiKey: 'gstd_k', fetch })).toEqual({ id: 'acc_1' });

    const [input, init] = fetch.mock.calls[0]!;
    expect(input).toBe('/api/accounts/me');
    expect(init.method).toBe('GET');
    expect(init.headers).toEqual({ Authorization: 'Bearer gstd_k', Accept: 'application/json' });
    expect(init.body).toBeUndefined();
  });

  it('sends a body as JSON', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => json(200, {}));

    await requestJson('/api/x', { apiKey: 'k', method: 'POST', body: { outcome: 'split', workerShare: 0.3 }, fetch });

    const init = fetch.mock.calls[0]![1];
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"outcome":"split","workerShare":0.3}');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it('turns problem+json into an ApiError with its detail, code and field errors', async () => {
    const problem = {
      title: 'The request is not valid.',
      status: 400,
      code: 'validation_failed',
      errors: { workerShare: ['Must be a number between 0 and 1.'], note: ['Is required.', 7] },
    };
    const fetch = async () => json(400, problem, 'application/problem+json');

    const error = await requestJson('/api/x', { apiKey: 'k', fetch }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: 'The request is not valid.',
      detail: null,
      code: 'validation_failed',
      errors: { workerShare: ['Must be a number between 0 and 1.'], note: ['Is required.'] },
    });
  });

  it('keeps the detail of a conflict', async () => {
    const fetch = async () =>
      json(409, { title: 'Not now.', detail: 'The dispute was decided before.', code: 'invalid_state' }, 'application/problem+json');

    await expect(requestJson('/api/x', { apiKey: 'k', fetch })).rejects.toMatchObject({
      status: 409,
      message: 'The dispute was decided before.',
      code: 'invalid_state',
    });
  });

  it('answers an ApiError with the status when the body is not JSON', async () => {
    const fetch = async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });

    await expect(requestJson('/api/x', { apiKey: 'k', fetch })).rejects.toMatchObject({
      status: 502,
      title: 'The gateway answered 502 Bad Gateway.',
      errors: {},
    });
  });

  it('answers an ApiError with status 0 when the gateway cannot be reached', async () => {
    const fetch = async () => Promise.reject(new TypeError('Failed to fetch'));

    await expect(requestJson('/api/x', { apiKey: 'k', fetch })).rejects.toMatchObject({ status: 0, detail: 'Failed to fetch' });
  });

  it('lets the caller’s own abort through as it is', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = async () => Promise.reject(new DOMException('aborted', 'AbortError'));

    const error = await requestJson('/api/x', { apiKey: 'k', fetch, signal: controller.signal }).catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as DOMException).name).toBe('AbortError');
  });
});
