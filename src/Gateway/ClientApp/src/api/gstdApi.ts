import { ApiError } from './apiError';
import { requestJson, type FetchLike, type JsonRequest } from './requestJson';
import type { Account, DecisionRequest, Dispute, DisputeStatus, DisputeSummary, Page, Worker } from './types';

export type DisputeStatusFilter = DisputeStatus | 'All';

export interface GstdApiOptions {
  fetch?: FetchLike;
  /** Called when the gateway stops accepting the key (401), e.g. after it was revoked. */
  onUnauthorized?: () => void;
}

/** One call of `GstdApi.request`: what `requestJson` takes, less the key and the fetch the API already holds. */
export type ApiRequest = Omit<JsonRequest, 'apiKey' | 'fetch'>;

export interface GstdApi {
  /** Any gateway call with this key (401 signs out); the feature folders build their typed calls on it. */
  request<T>(path: string, request?: ApiRequest): Promise<T>;
  getMe(signal?: AbortSignal): Promise<Account>;
  listDisputes(status: DisputeStatusFilter, cursor: string | null, signal?: AbortSignal): Promise<Page<DisputeSummary>>;
  getDispute(id: string, signal?: AbortSignal): Promise<Dispute>;
  getWorker(id: string, signal?: AbortSignal): Promise<Worker>;
  decideDispute(id: string, decision: DecisionRequest): Promise<Dispute>;
}

export const DISPUTE_PAGE_SIZE = 50;

/** The typed calls the web app makes, all with one API key. */
export function createGstdApi(apiKey: string, options: GstdApiOptions = {}): GstdApi {
  async function call<T>(path: string, request: ApiRequest): Promise<T> {
    const full: JsonRequest = { ...request, apiKey };
    if (options.fetch !== undefined) {
      full.fetch = options.fetch;
    }
    try {
      return await requestJson<T>(path, full);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        options.onUnauthorized?.();
      }
      throw error;
    }
  }
  const get = <T>(path: string, signal: AbortSignal | undefined) => call<T>(path, signal === undefined ? {} : { signal });

  return {
    request: (path, request = {}) => call(path, request),
    getMe: (signal) => get<Account>('/api/accounts/me', signal),
    listDisputes: (status, cursor, signal) => {
      const query = new URLSearchParams();
      if (status !== 'All') {
        query.set('status', status);
      }
      query.set('limit', String(DISPUTE_PAGE_SIZE));
      if (cursor !== null) {
        query.set('cursor', cursor);
      }
      return get<Page<DisputeSummary>>(`/api/admin/disputes?${query.toString()}`, signal);
    },
    getDispute: (id, signal) => get<Dispute>(`/api/disputes/${encodeURIComponent(id)}`, signal),
    getWorker: (id, signal) => get<Worker>(`/api/workers/${encodeURIComponent(id)}`, signal),
    decideDispute: (id, decision) =>
      call<Dispute>(`/api/admin/disputes/${encodeURIComponent(id)}/decision`, { method: 'POST', body: decision }),
  };
}
