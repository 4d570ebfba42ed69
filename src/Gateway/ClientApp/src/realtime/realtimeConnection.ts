import { Backoff } from './backoff';
import {
  CloseCode,
  parseServerFrame,
  type ErrorFrame,
  type EventFrame,
  type Position,
  type ReplyFrame,
  type ResyncFrame,
  type TopicEvent,
} from './protocol';
import { RealtimeError } from './realtimeError';
import { TopicFollower } from './topicFollower';

/** What a connection indicator shows. `unauthorized` and `stopped` are final. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'stopped';

/** The part of the browser WebSocket the connection uses; tests hand in a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketConstructor = new (url: string) => SocketLike;

/** Runs `callback` after `ms` milliseconds; answers a function that cancels it. */
export type Schedule = (callback: () => void, ms: number) => () => void;

export interface RealtimeConnectionOptions {
  /** The URL of `/ws` for one connect attempt, with a fresh ticket each time (see `ticketUrl`). */
  getUrl: () => Promise<string>;
  /** Topics followed from the start, as if `subscribe` was called for each. */
  topics?: Iterable<string>;
  /** Every event of a followed topic, exactly once and in offset order within its topic. */
  onEvent?: (topic: string, event: TopicEvent, position: Position) => void;
  /** The topic's continuity was lost: re-read its state over HTTP; its events carry on from there. */
  onResync?: (topic: string) => void;
  onState?: (state: ConnectionState) => void;
  /** The server refused a (re)subscribe, e.g. `not_found`: the topic is no longer followed. */
  onSubscriptionError?: (topic: string, error: RealtimeError) => void;
  /** Defaults to the global WebSocket. */
  WebSocketImpl?: SocketConstructor;
  /** Jitter of the reconnect delays; defaults to Math.random. */
  random?: () => number;
  /** Defaults to setTimeout/clearTimeout. */
  schedule?: Schedule;
  /** How many sent messages may await their reply (queued while disconnected included); default 256. */
  queueLimit?: number;
  /** How long `getUrl` may take before the attempt counts as failed and is retried; default 30 s. */
  getUrlTimeoutMs?: number;
  /** How long a sent message may await its reply (queued time included) before it fails with `timeout`; default 30 s. */
  replyTimeoutMs?: number;
  /**
   * A socket opened and the server's challenge arrived. Messages sent from here go out before the ones queued
   * while disconnected: a worker agent signs `nonce` and sends its `hello` first.
   */
  onConnected?: (nonce: string) => void;
}

/** A connection silent this long (the server pings every 15 s) is taken for dead. */
const silenceMs = 45_000;

/** How long a gap in a topic's offsets may stay open before the topic is resubscribed to fill it. */
const gapPatienceMs = 1_000;

/** How long a connection must stay connected before the backoff starts again from the shortest delay. */
const stableMs = 10_000;

/** Called with the reply to a message id, or with null when the socket it went out on is gone. */
type ReplyHandler = (reply: ReplyFrame | ErrorFrame | null) => void;

interface Waiter {
  resolve: () => void;
  reject: (error: RealtimeError) => void;
}

interface Subscription {
  readonly follower: TopicFollower<TopicEvent>;
  /** `subscribe` calls waiting for the topic's first answer. */
  waiting: Waiter[];
  /** A subscribe of this topic awaits its answer on the current socket. */
  answerDue: boolean;
  cancelGapTimer: (() => void) | null;
}

interface Outgoing {
  readonly id: string;
  /** Serialised once, in `send`, so a body JSON cannot hold is refused there instead of blocking the outbox. */
  readonly text: string;
  readonly resolve: (reply: ReplyFrame) => void;
  readonly reject: (error: RealtimeError) => void;
  readonly cancelTimeout: () => void;
}

const defaultSchedule: Schedule = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

/**
 * A realtime connection that survives network cuts and silo restarts: it reconnects with exponential backoff
 * and jitter (0.5 s to 30 s), resubscribes every topic from the last offset the application received, and
 * hands each event over once and in order. Messages sent with `send` are queued while disconnected and sent
 * again after a reconnect until answered or timed out. Mirrors Gstd.Client.Realtime.RealtimeConnection (C#).
 */
export class RealtimeConnection {
  readonly #options: RealtimeConnectionOptions;
  readonly #WebSocket: SocketConstructor;
  readonly #schedule: Schedule;
  readonly #backoff: Backoff;
  readonly #queueLimit: number;
  readonly #getUrlTimeoutMs: number;
  readonly #replyTimeoutMs: number;
  readonly #subscriptions = new Map<string, Subscription>();
  /** Messages awaiting their reply, in the order sent: after a reconnect they go again, before newer ones. */
  readonly #outbox = new Map<string, Outgoing>();
  /** Replies expected on the current socket, by message id. */
  readonly #replies = new Map<string, ReplyHandler>();
  /** Subscriptions whose answers the current socket awaits before it counts as connected. */
  readonly #opening = new Set<Subscription>();
  #state: ConnectionState = 'connecting';
  /** Set once stopped: what every later request fails with. */
  #stopError: RealtimeError | null = null;
  #socket: SocketLike | null = null;
  #open = false;
  /** The current socket's challenge arrived: messages go out on it (subscribes already do once it is open). */
  #greeted = false;
  #lastId = 0;
  #cancelRetry: (() => void) | null = null;
  #cancelSilence: (() => void) | null = null;
  #cancelStable: (() => void) | null = null;

  constructor(options: RealtimeConnectionOptions) {
    const WebSocketImpl = options.WebSocketImpl ?? globalThis.WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new Error('There is no global WebSocket here: pass WebSocketImpl.');
    }

    this.#options = options;
    this.#WebSocket = WebSocketImpl;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#backoff = new Backoff(options.random);
    this.#queueLimit = options.queueLimit ?? 256;
    this.#getUrlTimeoutMs = options.getUrlTimeoutMs ?? 30_000;
    this.#replyTimeoutMs = options.replyTimeoutMs ?? 30_000;
    for (const topic of options.topics ?? []) {
      this.#follow(topic);
    }

    void this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /**
   * Follows a topic (from the server's head, the first time); resolves once the server has answered, and
   * rejects with the server's code (e.g. `not_found`) if it refuses.
   */
  subscribe(topic: string): Promise<void> {
    if (this.#stopError) {
      return Promise.reject(this.#stopError);
    }

    const existing = this.#subscriptions.get(topic);
    if (existing && existing.follower.epoch !== null) {
      return Promise.resolve();
    }

    const subscription = existing ?? this.#follow(topic);
    return new Promise((resolve, reject) => {
      subscription.waiting.push({ resolve, reject });
      if (this.#open && !existing) {
        this.#subscribe(subscription);
      }
    });
  }

  /** Stops following a topic: no more of its events are handed over, and reconnects leave it out. */
  unsubscribe(topic: string): Promise<void> {
    const subscription = this.#subscriptions.get(topic);
    if (!subscription) {
      return Promise.resolve();
    }

    this.#unfollow(subscription, new RealtimeError('unsubscribed', `Unsubscribed from '${topic}' before the server answered.`));
    if (!this.#open) {
      // The next connection does not subscribe it: there is nothing to tell the server.
      return Promise.resolve();
    }

    return new Promise((resolve, reject) => {
      this.#send({ type: 'unsubscribe', topic }, (reply) => {
        if (reply?.type === 'error') {
          reject(new RealtimeError(reply.code, reply.message));
        } else {
          // Acknowledged, or the socket is gone and the subscription with it.
          resolve();
        }
      });
    });
  }

  /**
   * Sends a message (its `id` is added) and resolves with the server's reply (`ack`, `pong`, `subscribed`);
   * an `error` reply rejects with a RealtimeError carrying its code. Queued while disconnected and sent
   * again after a reconnect until answered; at most `queueLimit` wait at once, beyond that it fails with
   * `queue_full`. Fails with `unserializable` if the body cannot be turned into JSON, and with `timeout` if
   * no reply comes within `replyTimeoutMs`.
   */
  send(type: string, body: Record<string, unknown> = {}): Promise<ReplyFrame> {
    if (this.#stopError) {
      return Promise.reject(this.#stopError);
    }

    if (this.#outbox.size >= this.#queueLimit) {
      return Promise.reject(
        new RealtimeError('queue_full', `${this.#queueLimit} messages already await their reply; send again once some are answered.`),
      );
    }

    const id = this.#nextId();
    let text: string;
    try {
      text = JSON.stringify({ ...body, type, id });
    } catch (error) {
      return Promise.reject(new RealtimeError('unserializable', `The '${type}' message cannot be sent as JSON: ${String(error)}`));
    }

    return new Promise((resolve, reject) => {
      const cancelTimeout = this.#schedule(() => {
        // Its queue slot is freed, and a late reply finds no handler.
        this.#outbox.delete(id);
        this.#replies.delete(id);
        reject(new RealtimeError('timeout', `No reply to '${type}' within ${this.#replyTimeoutMs} ms.`));
      }, this.#replyTimeoutMs);
      const message: Outgoing = { id, text, resolve, reject, cancelTimeout };
      this.#outbox.set(id, message);
      if (this.#greeted) {
        this.#transmit(message);
      }
    });
  }

  /** Closes the socket and stops reconnecting; whatever still awaits a reply fails with `closed`. */
  close(): void {
    this.#stop('stopped', new RealtimeError('closed', 'The realtime connection was closed.'));
  }

  async #connect(): Promise<void> {
    this.#cancelRetry = null;
    let url: string;
    try {
      url = await this.#fetchUrl();
    } catch (error) {
      if (this.#stopError) {
        return;
      }

      if (error instanceof RealtimeError && (error.code === 'unauthorized' || error.code === 'forbidden')) {
        this.#stop('unauthorized', error);
      } else {
        this.#retry();
      }

      return;
    }

    if (this.#stopError) {
      return;
    }

    let socket: SocketLike;
    try {
      socket = new this.#WebSocket(url);
    } catch {
      // A malformed URL: the next attempt asks for a new one.
      this.#retry();
      return;
    }

    this.#socket = socket;
    // Also bounds a handshake that never completes.
    this.#expectFrame();
    // A dropped socket's handlers are detached, so these only ever see the current one.
    socket.onopen = () => this.#opened();
    socket.onmessage = (event) => this.#received(event.data);
    socket.onclose = (event) => this.#lost(event.code);
  }

  /** `getUrl`, failing after `getUrlTimeoutMs`: a ticket fetch that never settles must not end the reconnecting. */
  #fetchUrl(): Promise<string> {
    return new Promise((resolve, reject) => {
      const cancel = this.#schedule(
        () => reject(new RealtimeError('timeout', `getUrl did not answer within ${this.#getUrlTimeoutMs} ms.`)),
        this.#getUrlTimeoutMs,
      );
      // Once timed out, a late answer settles nothing: the attempt has failed and the next asks again.
      Promise.resolve()
        .then(() => this.#options.getUrl())
        .then(resolve, reject)
        .finally(cancel);
    });
  }

  #opened(): void {
    this.#open = true;
    // Subscribes go first so each topic is followed again before anything else is asked of the server.
    for (const subscription of this.#subscriptions.values()) {
      this.#opening.add(subscription);
      this.#subscribe(subscription);
    }

    this.#settleOpening();
  }

  /** The socket's first frame: `onConnected` may send (a signed `hello`) before the queued messages go out. */
  #greet(nonce: string): void {
    const queued = [...this.#outbox.values()];
    this.#greeted = true;
    this.#notify(() => this.#options.onConnected?.(nonce));
    // Were the connection closed meanwhile, #sendText drops these and close() has failed them.
    queued.forEach((message) => this.#transmit(message));
  }

  /**
   * Connected once every topic has its answer. The backoff starts again from the shortest delay only after
   * `stableMs` connected, so a server that closes right after the subscribes (1008) still meets growing delays.
   */
  #settleOpening(): void {
    if (this.#open && this.#opening.size === 0 && this.#state !== 'connected') {
      this.#cancelStable = this.#schedule(() => {
        this.#cancelStable = null;
        this.#backoff.reset();
      }, stableMs);
      this.#setState('connected');
    }
  }

  #received(data: unknown): void {
    this.#expectFrame();
    const frame = typeof data === 'string' ? parseServerFrame(data) : null;
    switch (frame?.type) {
      case 'event':
        this.#event(frame);
        return;
      case 'resync':
        this.#resync(frame);
        return;
      case 'subscribed':
      case 'ack':
      case 'pong':
      case 'error':
        if (frame.id !== null) {
          const handler = this.#replies.get(frame.id);
          this.#replies.delete(frame.id);
          handler?.(frame);
        }

        return;
      case 'challenge':
        if (!this.#greeted) {
          this.#greet(frame.nonce);
        }

        return;
      default:
        // Pings only show the socket is alive.
        return;
    }
  }

  #event(frame: EventFrame): void {
    const subscription = this.#subscriptions.get(frame.topic);
    if (!subscription) {
      return;
    }

    const first = subscription.follower.offset + 1;
    for (const [i, event] of subscription.follower.received(frame.epoch, frame.offset, frame.event).entries()) {
      this.#notify(() => this.#options.onEvent?.(frame.topic, event, { epoch: frame.epoch, offset: first + i }));
      if (!this.#follows(subscription)) {
        // The listener unsubscribed or closed: the rest of the batch, and any gap repair, are unwanted.
        return;
      }
    }

    if (!subscription.follower.hasGap) {
      this.#stopGapTimer(subscription);
    } else if (!subscription.cancelGapTimer && !subscription.answerDue) {
      // An event was skipped on the way: the replay after a resubscribe brings it.
      subscription.cancelGapTimer = this.#schedule(() => {
        subscription.cancelGapTimer = null;
        this.#subscribe(subscription, true);
      }, gapPatienceMs);
    }
  }

  #resync(frame: ResyncFrame): void {
    const subscription = this.#subscriptions.get(frame.topic);
    if (subscription) {
      this.#stopGapTimer(subscription);
      subscription.follower.resync(frame.epoch, frame.offset);
      this.#notify(() => this.#options.onResync?.(frame.topic));
    }
  }

  /** `repair`: a resubscribe to fill a gap, on the socket where the topic is already subscribed. */
  #subscribe(subscription: Subscription, repair = false): void {
    const { topic, since } = subscription.follower;
    subscription.answerDue = this.#send(since ? { type: 'subscribe', topic, since } : { type: 'subscribe', topic }, (reply) => {
      subscription.answerDue = false;
      if (reply) {
        this.#answered(subscription, reply, repair);
      }
    });
  }

  #answered(subscription: Subscription, reply: ReplyFrame | ErrorFrame, repair: boolean): void {
    const { topic } = subscription.follower;
    if (!this.#follows(subscription)) {
      // Unsubscribed since: the answer is of no interest.
      return;
    }

    if (reply.type === 'error') {
      const error = new RealtimeError(reply.code, reply.message);
      this.#unfollow(subscription, error);
      if (repair) {
        // The server keeps the subscription the refused resubscribe was to replace: end it, or it keeps pushing.
        // Sent before the listener hears of it, so a subscribe the listener sends again is not undone.
        this.#send({ type: 'unsubscribe', topic }, () => {});
      }

      this.#notify(() => this.#options.onSubscriptionError?.(topic, error));
    } else if (reply.type === 'subscribed') {
      this.#stopGapTimer(subscription);
      if (subscription.follower.subscribed(reply.epoch, reply.offset, reply.recovered)) {
        this.#notify(() => this.#options.onResync?.(topic));
      }

      subscription.waiting.forEach((waiter) => waiter.resolve());
      subscription.waiting = [];
      this.#opening.delete(subscription);
    }

    this.#settleOpening();
  }

  #transmit(message: Outgoing): void {
    this.#sendText(message.id, message.text, (reply) => {
      if (!reply) {
        // The socket is gone: the message stays in the outbox for the next one.
        return;
      }

      this.#outbox.delete(message.id);
      message.cancelTimeout();
      if (reply.type === 'error') {
        message.reject(new RealtimeError(reply.code, reply.message));
      } else {
        message.resolve(reply);
      }
    });
  }

  /** Sends one of the connection's own frames under a new id; see #sendText. */
  #send(frame: Record<string, unknown>, handler: ReplyHandler): boolean {
    const id = this.#nextId();
    return this.#sendText(id, JSON.stringify({ ...frame, id }), handler);
  }

  /**
   * Sends a serialised message on the open socket and expects its reply under `id`; answers whether it went
   * out. Without an open socket it does nothing: no reply could ever come to the handler.
   */
  #sendText(id: string, text: string, handler: ReplyHandler): boolean {
    const socket = this.#open ? this.#socket : null;
    if (!socket) {
      return false;
    }

    this.#replies.set(id, handler);
    socket.send(text);
    return true;
  }

  #nextId(): string {
    this.#lastId += 1;
    return String(this.#lastId);
  }

  /** Whether the subscription is still the topic's: close() unfollows every topic, so this covers it too. */
  #follows(subscription: Subscription): boolean {
    return this.#subscriptions.get(subscription.follower.topic) === subscription;
  }

  #follow(topic: string): Subscription {
    const subscription: Subscription = { follower: new TopicFollower(topic), waiting: [], answerDue: false, cancelGapTimer: null };
    this.#subscriptions.set(topic, subscription);
    return subscription;
  }

  #unfollow(subscription: Subscription, error: RealtimeError): void {
    this.#subscriptions.delete(subscription.follower.topic);
    this.#stopGapTimer(subscription);
    subscription.waiting.forEach((waiter) => waiter.reject(error));
    subscription.waiting = [];
    if (this.#opening.delete(subscription)) {
      this.#settleOpening();
    }
  }

  #stopGapTimer(subscription: Subscription): void {
    subscription.cancelGapTimer?.();
    subscription.cancelGapTimer = null;
  }

  /** (Re)starts the silence timer: a frame must arrive within 45 s or the connection is taken for dead. */
  #expectFrame(): void {
    this.#cancelSilence?.();
    this.#cancelSilence = this.#schedule(() => {
      this.#dropSocket()?.close();
      this.#retry();
    }, silenceMs);
  }

  #lost(code: number): void {
    const wasConnected = this.#state === 'connected';
    this.#dropSocket();
    if (code === CloseCode.unauthorized || code === CloseCode.forbidden) {
      const reason = code === CloseCode.unauthorized ? 'unauthorized' : 'forbidden';
      this.#stop('unauthorized', new RealtimeError(reason, `The server closed the connection: ${reason}.`));
    } else if (code === CloseCode.goingAway && wasConnected) {
      // The silo is stopping; another one can take the connection now. Only from a connected socket, and
      // with the backoff kept, so a server answering every attempt with 1001 is not retried in a tight loop.
      this.#setState('reconnecting');
      // An onState listener may have closed the connection.
      if (!this.#stopError) {
        void this.#connect();
      }
    } else {
      this.#retry();
    }
  }

  #retry(): void {
    this.#setState('reconnecting');
    // An onState listener may have closed the connection.
    if (!this.#stopError) {
      this.#cancelRetry = this.#schedule(() => void this.#connect(), this.#backoff.next());
    }
  }

  /** Forgets the current socket: its late frames, replies and close are ignored from here on. */
  #dropSocket(): SocketLike | null {
    const socket = this.#socket;
    if (!socket) {
      return null;
    }

    this.#socket = null;
    this.#open = false;
    this.#greeted = false;
    socket.onopen = socket.onmessage = socket.onclose = null;
    this.#cancelSilence?.();
    this.#cancelSilence = null;
    this.#cancelStable?.();
    this.#cancelStable = null;
    this.#opening.clear();
    const handlers = [...this.#replies.values()];
    this.#replies.clear();
    handlers.forEach((handler) => handler(null));
    for (const subscription of this.#subscriptions.values()) {
      this.#stopGapTimer(subscription);
    }

    return socket;
  }

  #stop(state: 'stopped' | 'unauthorized', error: RealtimeError): void {
    if (this.#stopError) {
      return;
    }

    this.#stopError = error;
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#dropSocket()?.close(1000, 'bye');
    for (const subscription of [...this.#subscriptions.values()]) {
      this.#unfollow(subscription, error);
    }

    this.#outbox.forEach((message) => {
      message.cancelTimeout();
      message.reject(error);
    });
    this.#outbox.clear();
    this.#setState(state);
  }

  #setState(state: ConnectionState): void {
    if (this.#state !== state) {
      this.#state = state;
      this.#notify(() => this.#options.onState?.(state));
    }
  }

  /** An application callback that throws must not cut the bookkeeping short (events after it would be lost). */
  #notify(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
