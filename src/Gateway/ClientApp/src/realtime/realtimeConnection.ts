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
}

/** A connection silent this long (the server pings every 15 s) is taken for dead. */
const silenceMs = 45_000;

/** How long a gap in a topic's offsets may stay open before the topic is resubscribed to fill it. */
const gapPatienceMs = 1_000;

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
  readonly frame: Record<string, unknown>;
  readonly resolve: (reply: ReplyFrame) => void;
  readonly reject: (error: RealtimeError) => void;
}

const defaultSchedule: Schedule = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

/**
 * A realtime connection that survives network cuts and silo restarts: it reconnects with exponential backoff
 * and jitter (0.5 s to 30 s), resubscribes every topic from the last offset the application received, and
 * hands each event over once and in order. Messages sent with `send` are queued while disconnected and sent
 * again after a reconnect until answered. Mirrors Gstd.Client.Realtime.RealtimeConnection (C#).
 */
export class RealtimeConnection {
  readonly #options: RealtimeConnectionOptions;
  readonly #WebSocket: SocketConstructor;
  readonly #schedule: Schedule;
  readonly #backoff: Backoff;
  readonly #queueLimit: number;
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
  #lastId = 0;
  #cancelRetry: (() => void) | null = null;
  #cancelSilence: (() => void) | null = null;

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
   * `queue_full`.
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
    return new Promise((resolve, reject) => {
      const message: Outgoing = { id, frame: { ...body, type }, resolve, reject };
      this.#outbox.set(id, message);
      if (this.#open) {
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
      url = await this.#options.getUrl();
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

  #opened(): void {
    this.#open = true;
    // Subscribes go first so each topic is followed again before anything else is asked of the server.
    for (const subscription of this.#subscriptions.values()) {
      this.#opening.add(subscription);
      this.#subscribe(subscription);
    }

    for (const message of this.#outbox.values()) {
      this.#transmit(message);
    }

    this.#settleOpening();
  }

  /** Connected once every topic has its answer: only then is the backoff reset, so a flapping server still backs off. */
  #settleOpening(): void {
    if (this.#open && this.#opening.size === 0 && this.#state !== 'connected') {
      this.#backoff.reset();
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
      default:
        // Pings and the challenge only show the socket is alive.
        return;
    }
  }

  #event(frame: EventFrame): void {
    const subscription = this.#subscriptions.get(frame.topic);
    if (!subscription) {
      return;
    }

    const first = subscription.follower.offset + 1;
    subscription.follower.received(frame.epoch, frame.offset, frame.event).forEach((event, i) => {
      this.#notify(() => this.#options.onEvent?.(frame.topic, event, { epoch: frame.epoch, offset: first + i }));
    });
    if (!subscription.follower.hasGap) {
      this.#stopGapTimer(subscription);
    } else if (!subscription.cancelGapTimer && !subscription.answerDue) {
      // An event was skipped on the way: the replay after a resubscribe brings it.
      subscription.cancelGapTimer = this.#schedule(() => {
        subscription.cancelGapTimer = null;
        this.#subscribe(subscription);
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

  #subscribe(subscription: Subscription): void {
    const { topic, since } = subscription.follower;
    subscription.answerDue = true;
    this.#send(since ? { type: 'subscribe', topic, since } : { type: 'subscribe', topic }, (reply) => {
      subscription.answerDue = false;
      if (reply) {
        this.#answered(subscription, reply);
      }
    });
  }

  #answered(subscription: Subscription, reply: ReplyFrame | ErrorFrame): void {
    const { topic } = subscription.follower;
    if (this.#subscriptions.get(topic) !== subscription) {
      // Unsubscribed since: the answer is of no interest.
      return;
    }

    if (reply.type === 'error') {
      const error = new RealtimeError(reply.code, reply.message);
      this.#unfollow(subscription, error);
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
    this.#send(message.frame, (reply) => {
      if (!reply) {
        // The socket is gone: the message stays in the outbox for the next one.
        return;
      }

      this.#outbox.delete(message.id);
      if (reply.type === 'error') {
        message.reject(new RealtimeError(reply.code, reply.message));
      } else {
        message.resolve(reply);
      }
    }, message.id);
  }

  /** Sends a message on the open socket under a new id (or the one given) and expects its reply. */
  #send(frame: Record<string, unknown>, handler: ReplyHandler, id = this.#nextId()): void {
    this.#replies.set(id, handler);
    this.#socket?.send(JSON.stringify({ ...frame, id }));
  }

  #nextId(): string {
    this.#lastId += 1;
    return String(this.#lastId);
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
    this.#dropSocket();
    if (code === CloseCode.unauthorized || code === CloseCode.forbidden) {
      const reason = code === CloseCode.unauthorized ? 'unauthorized' : 'forbidden';
      this.#stop('unauthorized', new RealtimeError(reason, `The server closed the connection: ${reason}.`));
    } else if (code === CloseCode.goingAway) {
      // The silo is stopping; another one can take the connection now.
      this.#setState('reconnecting');
      this.#backoff.reset();
      void this.#connect();
    } else {
      this.#retry();
    }
  }

  #retry(): void {
    this.#setState('reconnecting');
    this.#cancelRetry = this.#schedule(() => void this.#connect(), this.#backoff.next());
  }

  /** Forgets the current socket: its late frames, replies and close are ignored from here on. */
  #dropSocket(): SocketLike | null {
    const socket = this.#socket;
    if (!socket) {
      return null;
    }

    this.#socket = null;
    this.#open = false;
    socket.onopen = socket.onmessage = socket.onclose = null;
    this.#cancelSilence?.();
    this.#cancelSilence = null;
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

    this.#outbox.forEach((message) => message.reject(error));
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
