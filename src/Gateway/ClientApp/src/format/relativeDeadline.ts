const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short hint of how long is left until a deadline: "in 3 h", "in 12 min", "overdue by 2 d"; "" without one. */
export function relativeDeadline(deadline: string | null, nowMs: number): string {
  if (deadline === null) {
    return '';
  }
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) {
    return '';
  }
  const left = at - nowMs;
  return left > 0 ? `in ${duration(left)}` : `overdue by ${duration(-left)}`;
}

// Rounded down, so "in 1 h" never means less than an hour is left.
function duration(ms: number): string {
  if (ms < MINUTE) {
    return '<1 min';
  }
  if (ms < HOUR) {
    return `${Math.floor(ms / MINUTE)} min`;
  }
  if (ms < 2 * DAY) {
    return `${Math.floor(ms / HOUR)} h`;
  }
  return `${Math.floor(ms / DAY)} d`;
}
