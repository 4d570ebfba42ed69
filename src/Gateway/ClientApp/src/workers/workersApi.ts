import { ApiError } from '../api/apiError';
import type { GstdApi } from '../api/gstdApi';
import type { Page } from '../api/types';
import { parseLedgerLine, type JournalLine } from './earnings';
import type { LedgerLine, OperatorWorker } from './workerTypes';

const LEDGER_PAGE_SIZE = 500;
const MAX_LEDGER_PAGES = 20;
/** At most this many ledger lines are read per chart, so a very busy account cannot stall the page. */
export const MAX_LEDGER_LINES = LEDGER_PAGE_SIZE * MAX_LEDGER_PAGES;

/** One worker with its activity, or null when it does not exist (or is not the caller's: the gateway says 404 for both). */
export async function readWorker(api: GstdApi, id: string, signal: AbortSignal): Promise<OperatorWorker | null> {
  try {
    return await api.request<OperatorWorker>(`/api/workers/${encodeURIComponent(id)}`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  }
}

/**
 * The caller's workers, each read on its own too: the list answer has no activity fields (online, active
 * leases, counters, earnings, trust history). A worker gone between the two reads is left out.
 */
export async function readWorkersWithActivity(api: GstdApi, signal: AbortSignal): Promise<OperatorWorker[]> {
  const summaries: OperatorWorker[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    const page: Page<OperatorWorker> = await api.request<Page<OperatorWorker>>(`/api/workers${query}`, { signal });
    summaries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  const detailed = await Promise.all(summaries.map((summary) => readWorker(api, summary.id, signal)));
  return detailed.filter((worker): worker is OperatorWorker => worker !== null);
}

export interface LedgerRead {
  lines: JournalLine[];
  /** False when the window held more than MAX_LEDGER_LINES lines: the oldest were not read. */
  complete: boolean;
}

/** The account's journal lines in [from, to), newest first, page by page. */
export async function readLedgerLines(api: GstdApi, from: number, to: number, signal: AbortSignal): Promise<LedgerRead> {
  const lines: JournalLine[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < MAX_LEDGER_PAGES; pages++) {
    const query = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: String(LEDGER_PAGE_SIZE) });
    if (cursor !== null) {
      query.set('cursor', cursor);
    }
    const page: Page<LedgerLine> = await api.request<Page<LedgerLine>>(`/api/ledger/entries?${query.toString()}`, { signal });
    lines.push(...page.items.map(parseLedgerLine));
    cursor = page.nextCursor;
    if (cursor === null) {
      return { lines, complete: true };
    }
  }
  return { lines, complete: false };
}
