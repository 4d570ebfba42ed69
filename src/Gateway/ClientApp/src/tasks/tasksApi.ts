import type { GstdApi } from '../api/gstdApi';
import type { Dispute, Page } from '../api/types';
import type { OpenDisputeRequest, PlatformLimits, StoredContent, SubmitTaskRequest, TaskSummary, TaskView } from './taskTypes';

export const TASK_PAGE_SIZE = 50;

/** The task pages' calls, typed, on the app's `api.request`. */
export interface TasksApi {
  /** Own tasks, newest first; `statuses` empty means every status. */
  listTasks(statuses: readonly string[], cursor: string | null, signal?: AbortSignal): Promise<Page<TaskSummary>>;
  getTask(id: string, signal?: AbortSignal): Promise<TaskView>;
  cancelTask(id: string): Promise<TaskView>;
  acceptTask(id: string): Promise<TaskView>;
  /** `idempotencyKey` makes a repeated redrive (a retry, a double click) hold the escrow once. */
  redriveTask(id: string, idempotencyKey: string): Promise<TaskView>;
  openDispute(id: string, request: OpenDisputeRequest): Promise<Dispute>;
  getLimits(signal?: AbortSignal): Promise<PlatformLimits>;
  uploadModule(bytes: Blob): Promise<StoredContent>;
  uploadBlob(bytes: Blob): Promise<StoredContent>;
  submitTask(request: SubmitTaskRequest, idempotencyKey: string): Promise<TaskView>;
}

const taskPath = (id: string, action = '') => `/api/tasks/${encodeURIComponent(id)}${action}`;

export function tasksApi(api: GstdApi): TasksApi {
  const get = <T>(path: string, signal: AbortSignal | undefined) => api.request<T>(path, signal === undefined ? {} : { signal });
  const act = (id: string, action: string) => api.request<TaskView>(taskPath(id, action), { method: 'POST' });
  return {
    listTasks: (statuses, cursor, signal) => {
      const query = new URLSearchParams();
      if (statuses.length > 0) {
        query.set('status', statuses.join(','));
      }
      query.set('limit', String(TASK_PAGE_SIZE));
      if (cursor !== null) {
        query.set('cursor', cursor);
      }
      return get<Page<TaskSummary>>(`/api/tasks?${query.toString()}`, signal);
    },
    getTask: (id, signal) => get<TaskView>(taskPath(id), signal),
    cancelTask: (id) => act(id, '/cancel'),
    acceptTask: (id) => act(id, '/accept'),
    redriveTask: (id, idempotencyKey) =>
      api.request<TaskView>(taskPath(id, '/redrive'), { method: 'POST', headers: { 'Idempotency-Key': idempotencyKey } }),
    openDispute: (id, request) => api.request<Dispute>(taskPath(id, '/disputes'), { method: 'POST', body: request }),
    getLimits: (signal) => get<PlatformLimits>('/api/limits', signal),
    uploadModule: (bytes) =>
      api.request<StoredContent>('/api/modules', { method: 'POST', binary: { bytes, contentType: 'application/wasm' } }),
    uploadBlob: (bytes) =>
      api.request<StoredContent>('/api/blobs', { method: 'POST', binary: { bytes, contentType: 'application/octet-stream' } }),
    submitTask: (request, idempotencyKey) =>
      api.request<TaskView>('/api/tasks', { method: 'POST', body: request, headers: { 'Idempotency-Key': idempotencyKey } }),
  };
}
