export type WorkerShareResult = { ok: true; value: number } | { ok: false; error: string };

/**
 * The worker's part of a split as typed in the form. The gateway takes a number in [0, 1] with at most four
 * decimals (basis points), so the same rule is checked here before sending.
 */
export function parseWorkerShare(text: string): WorkerShareResult {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: 'Enter the worker share, a number between 0 and 1.' };
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (match === null || (match[1] === '' && (match[2] ?? '') === '')) {
    return { ok: false, error: 'The worker share must be a number between 0 and 1.' };
  }
  const value = Number(trimmed);
  if (value < 0 || value > 1) {
    return { ok: false, error: 'The worker share must be between 0 and 1.' };
  }
  const decimals = (match[2] ?? '').replace(/0+$/, '');
  if (decimals.length > 4) {
    return { ok: false, error: 'The worker share can have at most 4 decimals.' };
  }
  return { ok: true, value };
}
