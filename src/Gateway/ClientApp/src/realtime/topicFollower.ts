import type { Position } from './protocol';

/**
 * Follows one topic on the client side: hands every event to the application exactly once and in offset
 * order, whether it comes by replay or live, twice, ahead of a replayed one, or again after a reconnect; and
 * says when continuity was lost so the application re-reads state. Pure: the socket feeds it frames.
 * Mirrors Gstd.Client.Realtime.TopicFollower (C#).
 */
export class TopicFollower<T> {
  /** Events held back waiting for a gap before them to fill; beyond this, later ones wait for the replay. */
  static readonly maxEarly = 10_000;

  readonly topic: string;
  readonly #early = new Map<number, T>();
  #epoch: string | null = null;
  #offset = 0;

  constructor(topic: string) {
    this.topic = topic;
  }

  /** The epoch followed; null until the first `subscribed`. */
  get epoch(): string | null {
    return this.#epoch;
  }

  /** The offset of the last event handed to the application. */
  get offset(): number {
    return this.#offset;
  }

  /** Where to resubscribe from after a reconnect, or null to start at the head. */
  get since(): Position | null {
    return this.#epoch === null ? null : { epoch: this.#epoch, offset: this.#offset };
  }

  /** An event is waiting for one before it: a resubscribe from `since` fills the gap. */
  get hasGap(): boolean {
    return this.#early.size > 0;
  }

  /**
   * The server's answer to a (re)subscribe. Answers true when the application must re-read state: the
   * server could not replay what was missed (its history ends, or the topic restarted in a new epoch).
   */
  subscribed(epoch: string, offset: number, recovered: boolean): boolean {
    // Early events of the last connection are dropped: the replay that follows sends them again.
    this.#early.clear();
    if (recovered && this.#epoch === null) {
      // The first subscribe starts at the head.
      this.#epoch = epoch;
      this.#offset = offset;
      return false;
    }

    if (recovered && epoch === this.#epoch) {
      // A recovered resubscribe keeps its place: the replay of what was missed follows.
      return false;
    }

    this.#epoch = epoch;
    this.#offset = offset;
    return true;
  }

  /**
   * One `event` frame. Answers the events now due to the application in order: none for a repeat or an
   * early event, several when this one filled a gap.
   */
  received(epoch: string, offset: number, payload: T): T[] {
    if (epoch !== this.#epoch || offset <= this.#offset) {
      // Another epoch's event is continuity the server will report (resync); a repeat was delivered.
      return [];
    }

    if (offset > this.#offset + 1) {
      // The first copy is kept, like C#'s TryAdd: a repeat of an early event carries the same payload.
      if (this.#early.size < TopicFollower.maxEarly && !this.#early.has(offset)) {
        this.#early.set(offset, payload);
      }

      return [];
    }

    const due = [payload];
    this.#offset = offset;
    for (let next = offset + 1; this.#early.has(next); next++) {
      due.push(this.#early.get(next)!);
      this.#early.delete(next);
      this.#offset = next;
    }

    return due;
  }

  /** A `resync` frame: continuity was lost; the application re-reads state and follows from here. */
  resync(epoch: string, offset: number): void {
    this.#early.clear();
    this.#epoch = epoch;
    this.#offset = offset;
  }
}
