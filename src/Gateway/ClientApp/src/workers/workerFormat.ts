import { displayMoney } from '../format/money';

/** Trust (0–1) as the gateway rounds it, to 4 decimals; anything else is a dash. */
export function formatTrust(trust: unknown): string {
  return typeof trust === 'number' && Number.isFinite(trust) ? trust.toFixed(4) : '—';
}

/** Whether the worker agent is connected; unknown when the answer did not say. */
export function connectionLabel(online: boolean | null | undefined): 'Online' | 'Offline' | 'Unknown' {
  return online === true ? 'Online' : online === false ? 'Offline' : 'Unknown';
}

/** A GSTD amount for people; an amount that cannot be read is shown as it came rather than breaking the page. */
export function formatEarned(amount: string | null | undefined): string {
  if (amount === null || amount === undefined) {
    return '—';
  }
  try {
    return displayMoney(amount);
  } catch {
    return amount;
  }
}
