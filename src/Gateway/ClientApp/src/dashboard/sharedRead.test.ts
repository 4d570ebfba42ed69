import { describe, expect, it } from 'vitest';
import { shareReadsPerTurn } from './sharedRead';

/** A read the test answers by hand, and a turn the test ends by hand. */
function setup() {
  const reads: { signal: AbortSignal; answer: (value: string) => void; fail: (error: unknown) => void }[] = [];
  const turnEnds: (() => void)[] = [];
  const read = shareReadsPerTurn<string>(
    (signal) =>
      new Promise<string>((answer, fail) => {
        reads.push({ signal, answer, fail });
      }),
    (callback) => turnEnds.push(callback),
  );
  const endTurn = () => turnEnds.splice(0).forEach((callback) => callback());
  return { read, reads, endTurn };
}

describe('shareReadsPerTurn', () => {
  it('makes one request for the callers of one turn and gives each the answer', async () => {
    const { read, reads } = setup();
    const first = read(new AbortController().signal);
    const second = read(new AbortController().signal);

    expect(reads).toHaveLength(1);
    reads[0]!.answer('account');
    await expect(first).resolves.toBe('account');
    await expect(second).resolves.toBe('account');
  });

  it('starts a new request in a later turn, even while the first is still out', async () => {
    const { read, reads, endTurn } = setup();
    const first = read(new AbortController().signal);
    endTurn();
    const second = read(new AbortController().signal);

    expect(reads).toHaveLength(2);
    reads[0]!.answer('older');
    reads[1]!.answer('newer');
    await expect(first).resolves.toBe('older');
    await expect(second).resolves.toBe('newer');
  });

  it('keeps the request going while one caller remains, and aborts it when the last one leaves', async () => {
    const { read, reads } = setup();
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = read(leaving.signal);
    const stayed = read(staying.signal);

    leaving.abort(new Error('unmounted'));
    await expect(left).rejects.toThrow('unmounted');
    expect(reads[0]!.signal.aborted).toBe(false);

    staying.abort(new Error('unmounted too'));
    await expect(stayed).rejects.toThrow('unmounted too');
    expect(reads[0]!.signal.aborted).toBe(true);
  });

  it('does not join a request every caller aborted, within the same turn', () => {
    const { read, reads } = setup();
    const gone = new AbortController();
    read(gone.signal).catch(() => undefined);
    gone.abort();
    read(new AbortController().signal).catch(() => undefined);

    expect(reads).toHaveLength(2);
    expect(reads[1]!.signal.aborted).toBe(false);
  });

  it('hands a failure to every caller and refuses an already aborted signal without a request', async () => {
    const { read, reads } = setup();
    const aborted = new AbortController();
    aborted.abort(new Error('too late'));
    await expect(read(aborted.signal)).rejects.toThrow('too late');
    expect(reads).toHaveLength(0);

    const first = read(new AbortController().signal);
    const second = read(new AbortController().signal);
    reads[0]!.fail(new Error('offline'));
    await expect(first).rejects.toThrow('offline');
    await expect(second).rejects.toThrow('offline');
  });
});
