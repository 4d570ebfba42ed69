import { useEffect, useRef, useState } from 'react';
import { displayMoney } from '../format/money';
import type { ExactBalance } from './balanceChange';
import './dashboard.css';

/** How long a card stays marked after its amount changed. */
const HIGHLIGHT_MS = 1500;

/** The available and escrowed money, each marked for a moment when a live update changes it. */
export function BalanceCards({ balance }: { balance: ExactBalance | null }) {
  return (
    <ul className="balance-cards">
      <BalanceCard label="Available" hint="Yours to spend on new tasks." amount={balance?.available ?? null} />
      <BalanceCard label="In escrow" hint="Held for your tasks until they settle." amount={balance?.escrow ?? null} />
    </ul>
  );
}

function BalanceCard({ label, hint, amount }: { label: string; hint: string; amount: bigint | null }) {
  const changed = useChangedRecently(amount);
  return (
    <li className={changed ? 'balance-card changed' : 'balance-card'}>
      <p className="balance-figure" aria-live="polite" aria-atomic="true">
        <span className="balance-label">{label}</span>
        <strong className="balance-amount">{amount === null ? '—' : displayMoney(amount)}</strong>
        {changed && <span className="balance-updated">updated</span>}
      </p>
      <p className="hint">{hint}</p>
    </li>
  );
}

/** True for a moment after `value` changes (not when it first appears). */
function useChangedRecently(value: bigint | null): boolean {
  const [changed, setChanged] = useState(false);
  const last = useRef(value);
  useEffect(() => {
    if (last.current === value) {
      return;
    }
    last.current = value;
    setChanged(true);
    const timer = window.setTimeout(() => setChanged(false), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [value]);
  return changed;
}
