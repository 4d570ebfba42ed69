import { describe, expect, it, vi } from 'vitest';
import type { ApiRequest, GstdApi } from '../api/gstdApi';
import { tasksApi } from './tasksApi';

function fakeApi() {
  const request = vi.fn(async (_path: string, _request?: ApiRequest): Promise<unknown> => ({}));
  const api = { request } as unknown as GstdApi;
  return { api: tasksApi(api), request };
}

describe('tasksApi', () => {
  it('lists by status, 50 at a time, with the cursor of the page before', async () => {
    const { api, request } = fakeApi();

    await api.listTasks(['Queued', 'Running'], null);
    await api.listTasks([], 'c/2+=');

    expect(request.mock.calls[0]![0]).toBe('/api/tasks?status=Queued%2CRunning&limit=50');
    expect(request.mock.calls[1]![0]).toBe('/api/tasks?limit=50&cursor=c%2F2%2B%3D');
  });

  it('posts the actions to the task’s own URLs, ids escaped', async () => {
    const { api, request } = fakeApi();

    await api.getTask('a/b');
    await api.cancelTask('t1');
    await api.acceptTask('t1');
    await api.redriveTask('t1', 'key-1');
    await api.openDispute('t1', { reason: 'wrong_output', details: 'x' });

    expect(request.mock.calls.map(([path, req]) => [path, req])).toEqual([
      ['/api/tasks/a%2Fb', {}],
      ['/api/tasks/t1/cancel', { method: 'POST' }],
      ['/api/tasks/t1/accept', { method: 'POST' }],
      ['/api/tasks/t1/redrive', { method: 'POST', headers: { 'Idempotency-Key': 'key-1' } }],
      ['/api/tasks/t1/disputes', { method: 'POST', body: { reason: 'wrong_output', details: 'x' } }],
    ]);
  });

  it('uploads modules and blobs as bytes with their content types, and submits with the key', async () => {
    const { api, request } = fakeApi();
    const bytes = new Blob([new Uint8Array([0, 97, 115, 109])]);

    await api.uploadModule(bytes);
    await api.uploadBlob(bytes);
    await api.submitTask({ moduleId: 'sha256:m', price: '0.5', inputId: 'sha256:i', replicas: 2 }, 'key-2');

    expect(request.mock.calls[0]).toEqual(['/api/modules', { method: 'POST', binary: { bytes, contentType: 'application/wasm' } }]);
    expect(request.mock.calls[1]).toEqual(['/api/blobs', { method: 'POST', binary: { bytes, contentType: 'application/octet-stream' } }]);
    expect(request.mock.calls[2]).toEqual([
      '/api/tasks',
      { method: 'POST', body: { moduleId: 'sha256:m', price: '0.5', inputId: 'sha256:i', replicas: 2 }, headers: { 'Idempotency-Key': 'key-2' } },
    ]);
  });

  it('passes the caller’s abort signal on reads', async () => {
    const { api, request } = fakeApi();
    const signal = new AbortController().signal;

    await api.getLimits(signal);

    expect(request.mock.calls[0]).toEqual(['/api/limits', { signal }]);
  });
});
