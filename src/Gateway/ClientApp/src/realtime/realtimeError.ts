/**
 * Why a realtime request failed. `code` is the server's error code (`not_found`, `validation_failed`, …) or
 * one of the client's own: `queue_full`, `unserializable`, `timeout`, `closed`, `unsubscribed`, `unauthorized`,
 * `forbidden`, `ticket_failed`.
 */
export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
