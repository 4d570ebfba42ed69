import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../format/money';
import type { TopicEvent } from '../realtime';
import { readBalance, readBalanceChange, spendOfChange, type BalanceChange } from './balanceChange';
import { addAmounts, NO_SPEND, type SpendAmounts } from './spendSeries';

const gstd = parseMoney;

function change(reason: string, delta: string, escrow: string): BalanceChange {
  return { at: 0, available: 0n, escrow: gstd(escrow), delta: gstd(delta), reason };
}

describe('readBalanceChange', () => {
  const event: TopicEvent = {
    id: 'e1',
    kind: 'balance.changed',
    at: '2026-03-01T10:20:30Z',
    available: '98.95',
    escrow: '1.05',
    delta: '-1.05',
    reason: 'hold',
    taskId: 't1',
  };

  it('reads the money exactly', () => {
    expect(readBalanceChange(event, 5)).toEqual({
      at: Date.parse('2026-03-01T10:20:30Z'),
      available: 98_950_000_000n,
      escrow: 1_050_000_000n,
      delta: -1_050_000_000n,
      reason: 'hold',
    });
  });

  it('places an event without a readable time at its arrival', () => {
    expect(readBalanceChange({ ...event, at: 'soon' }, 5)?.at).toBe(5);
  });

  it('ignores other kinds and malformed amounts', () => {
    expect(readBalanceChange({ ...event, kind: 'task.settled' }, 5)).toBeNull();
    expect(readBalanceChange({ ...event, delta: -1.05 }, 5)).toBeNull();
    expect(readBalanceChange({ ...event, escrow: '1,05' }, 5)).toBeNull();
    expect(readBalanceChange({ ...event, reason: undefined }, 5)).toBeNull();
  });

  it('reads an account balance, or nothing when it is malformed', () => {
    expect(readBalance({ available: '2', escrow: '0.5' })).toEqual({ available: 2_000_000_000n, escrow: 500_000_000n });
    expect(readBalance({ available: 'x', escrow: '0.5' })).toBeNull();
  });
});

describe('spendOfChange', () => {
  it('counts a hold as held', () => {
    expect(spendOfChange(gstd('0'), change('hold', '-1.05', '1.05'))).toEqual({ ...NO_SPEND, held: gstd('1.05') });
  });

  it('counts a refund as refunded', () => {
    expect(spendOfChange(gstd('1.05'), change('refund', '1.05', '0'))).toEqual({ ...NO_SPEND, refunded: gstd('1.05') });
  });

  it('splits a release into what came back and what was spent', () => {
    expect(spendOfChange(gstd('2.1'), change('release', '0.5', '0'))).toEqual({
      ...NO_SPEND,
      refunded: gstd('0.5'),
      spent: gstd('1.6'),
    });
  });

  it('counts escrow that left silently at the next event', () => {
    // 1.05 was paid out in full (no event), then a new task held 2.
    expect(spendOfChange(gstd('1.05'), change('hold', '-2', '2'))).toEqual({ ...NO_SPEND, held: gstd('2'), spent: gstd('1.05') });
  });

  it('never counts money that did not leave escrow as refunded', () => {
    expect(spendOfChange(gstd('1'), change('deposit', '50', '1'))).toEqual(NO_SPEND);
  });

  it('knows only the hold and the return without a previous escrow', () => {
    expect(spendOfChange(null, change('release', '0.5', '0'))).toEqual({ ...NO_SPEND, refunded: gstd('0.5') });
  });

  // A model of the client's escrow: holds and settlements (part back to the client, the rest to workers and fees;
  // silent when nothing comes back, as the gateway publishes them).
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('hold' as const), amount: fc.bigInt({ min: 1n, max: 10n ** 12n }) }),
    fc.record({ kind: fc.constant('settle' as const), outPart: fc.double({ min: 0, max: 1, noNaN: true }), backPart: fc.double({ min: 0, max: 1, noNaN: true }) }),
  );

  it('adds up, over a stream of events, to exactly what the model held, returned and spent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(operation, { maxLength: 40 }), (initialEscrow, operations) => {
        let escrow = initialEscrow;
        let expected = NO_SPEND;
        let silentlySpent = 0n;
        let seen = NO_SPEND;
        let lastSeenEscrow: bigint = initialEscrow;

        const publish = (reason: string, delta: bigint, ownSpend: SpendAmounts) => {
          expected = addAmounts(expected, { ...ownSpend, spent: ownSpend.spent + silentlySpent });
          silentlySpent = 0n;
          const event: BalanceChange = { at: 0, available: 0n, escrow, delta, reason };
          seen = addAmounts(seen, spendOfChange(lastSeenEscrow, event));
          lastSeenEscrow = escrow;
        };

        for (const op of operations) {
          if (op.kind === 'hold') {
            escrow += op.amount;
            publish('hold', -op.amount, { ...NO_SPEND, held: op.amount });
          } else {
            const out = (escrow * BigInt(Math.round(op.outPart * 1000))) / 1000n;
            const back = (out * BigInt(Math.round(op.backPart * 1000))) / 1000n;
            escrow -= out;
            if (back === 0n) {
              silentlySpent += out;
            } else {
              publish('release', back, { ...NO_SPEND, refunded: back, spent: out - back });
            }
          }
        }

        expect(seen).toEqual(expected);
        expect(seen.held - seen.refunded - seen.spent).toBe(lastSeenEscrow - initialEscrow);
      }),
    );
  });
});
