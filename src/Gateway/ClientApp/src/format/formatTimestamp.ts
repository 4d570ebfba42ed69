/**
 * An ISO timestamp as "2026-01-02 13:45 UTC". Arbitrators in different time zones compare deadlines and
 * attempt times, so everything is shown in UTC; what cannot be parsed is shown as it came.
 */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) {
    return '—';
  }
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return iso;
  }
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}
