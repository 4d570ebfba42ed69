/**
 * Reconnect delays: exponential from `firstMs` doubling to `maxMs`, each jittered into [delay/2, delay] so
 * clients dropped together (a silo restart) do not all come back at the same instant.
 */
export class Backoff {
  #delayMs: number;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly firstMs = 500,
    private readonly maxMs = 30_000,
  ) {
    this.#delayMs = firstMs;
  }

  /** The delay to wait before the next attempt; the one after it is twice as long, up to the cap. */
  next(): number {
    const delay = this.#delayMs;
    this.#delayMs = Math.min(delay * 2, this.maxMs);
    return Math.round(delay * (0.5 + this.random() / 2));
  }

  /** After a successful connection: the next drop is retried quickly again. */
  reset(): void {
    this.#delayMs = this.firstMs;
  }
}
