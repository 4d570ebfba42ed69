import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// Through the package's entry point, so the public API is what is tested.
import { RealtimeConnection, RealtimeError, type ConnectionState, type RealtimeConnectionOptions, type SocketLike } from './index';

type Message = Record<string, unknown> & { type: string; id: string };

/** The server end of one socket, in memory: it records what the client sends and plays frames to it. */
class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  readonly sent: Message[] = [];
  closedWith: { code: number | undefined } | null = null;
  opened = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Message);
  }

  close(code?: number): void {
    this.closedWith = { code };
  }

  /** The handshake completes; the server greets with its challenge, as GET /ws does. */
  accept(): void {
    this.opened = true;
    this.onopen?.(new Event('open'));
    this.push({ type: 'challenge', nonce: 'n0' });
  }

  push(frame: object): void {
    this.pushText(JSON.stringify(frame));
  }

  pushText(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  drop(code = 1006): void {
    this.onclose?.(Object.assign(new Event('close'), { code, reason: '', wasClean: false }));
  }

  types(): string[] {
    return this.sent.map((m) => m.type);
  }

  lastSent(type: string, topic?: string): Message {
    const found = this.sent.filter((m) => m.type === type && (topic === undefined || m.topic === topic)).at(-1);
    expect(found, `a '${type}' message was sent`).toBeDefined();
    return found!;
  }

  subscribed(topic: string, epoch: string, offset: number, recovered = true): void {
    this.push({ type: 'subscribed', id: this.lastSent('subscribe', topic).id, topic, epoch, offset, recovered });
  }

  event(topic: string, epoch: string, offset: number): void {
    this.push({ type: 'event', topic, epoch, offset, event: { id: `${offset}`, kind: 'task.updated', at: '2026-01-01T00:00:00Z', n: offset } });
  }

  ack(message: Message): void {
    this.push({ type: 'ack', id: message.id });
  }
}

interface Delivered {
  topic: string;
  epoch: string;
  offset: number;
  /** The payload's own offset: it must be the one the position names. */
  n: unknown;
}

const delivered = (topic: string, epoch: string, ...offsets: number[]): Delivered[] =>
  offsets.map((offset) => ({ topic, epoch, offset, n: offset }));

/** Advances the fake clock, running the promise callbacks (getUrl) that timers set off. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

function harness(options: Partial<RealtimeConnectionOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const created: number[] = [];
  const states: ConnectionState[] = [];
  const events: Delivered[] = [];
  const resyncs: string[] = [];
  let ticket = 0;
  const getUrl = vi.fn(async () => `wss://gstd.test/ws?ticket=t${++ticket}`);
  const connection = new RealtimeConnection({
    getUrl,
    WebSocketImpl: class extends FakeSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
        created.push(Date.now());
      }
    },
    random: () => 0,
    onState: (state) => states.push(state),
    onEvent: (topic, event, { epoch, offset }) => events.push({ topic, epoch, offset, n: event.n }),
    onResync: (topic) => resyncs.push(topic),
    ...options,
  });
  const socket = () => {
    expect(sockets.length, 'a socket was created').toBeGreaterThan(0);
    return sockets.at(-1)!;
  };

  /** Opens the socket of the attempt under way and answers every subscribe at the given positions. */
  const connect = async (positions: Record<string, [epoch: string, offset: number]> = {}) => {
    await tick();
    expect(socket().opened, 'the latest socket is a new one').toBe(false);
    socket().accept();
    for (const [topic, [epoch, offset]] of Object.entries(positions)) {
      socket().subscribed(topic, epoch, offset);
    }

    return socket();
  };

  return { connection, sockets, created, states, events, resyncs, getUrl, socket, connect };
}

/** Records how a promise settles, so a test can see that it has not yet. */
function track<T>(promise: Promise<T>) {
  const outcome: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error: unknown) => Object.assign(outcome, { error, settled: true }),
  );
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RealtimeConnection', () => {
  it('is connected once every subscription is answered, reconnecting after a drop, stopped after close', async () => {
    const h = harness({ topics: ['account', 'task:1'] });
    expect(h.connection.state).toBe('connecting');

    const first = await h.connect();
    expect(first.types()).toEqual(['subscribe', 'subscribe']);
    first.subscribed('account', 'e1', 0);
    expect(h.connection.state).toBe('connecting');
    first.subscribed('task:1', 'e1', 0);
    expect(h.connection.state).toBe('connected');

    first.drop();
    expect(h.connection.state).toBe('reconnecting');
    await tick(250);
    await h.connect({ account: ['e1', 0], 'task:1': ['e1', 0] });
    expect(h.connection.state).toBe('connected');

    h.connection.close();
    expect(h.connection.state).toBe('stopped');
    expect(h.socket().closedWith).toEqual({ code: 1000 });
    await tick(120_000);
    expect(h.sockets).toHaveLength(2);
    expect(h.states).toEqual(['connected', 'reconnecting', 'connected', 'stopped']);
    // Every attempt asked for a fresh ticket.
    expect(h.sockets.map((s) => s.url)).toEqual(['wss://gstd.test/ws?ticket=t1', 'wss://gstd.test/ws?ticket=t2']);
  });

  it.each([
    [0, [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000]],
    [0.999_999, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]],
  ])('backs off 0.5 s doubling to 30 s, jittered to [half, whole] (random %s)', async (random, delays) => {
    const h = harness({ random: () => random, topics: ['account'] });
    await tick();
    for (const delay of delays) {
      const count = h.sockets.length;
      h.socket().drop();
      await tick(delay - 1);
      expect(h.sockets).toHaveLength(count);
      await tick(1);
      expect(h.sockets).toHaveLength(count + 1);
    }

    expect(h.created.slice(1).map((t, i) => t - h.created[i]!)).toEqual(delays);
  });

  it('resets the backoff after 10 s connected (subscriptions answered), not when merely opened', async () => {
    const h = harness({ topics: ['account'] });
    await tick();
    for (const delay of [250, 500, 1_000]) {
      h.socket().drop();
      await tick(delay);
    }

    // Opened but dropped before the subscribe was answered: the backoff keeps growing.
    h.socket().accept();
    h.socket().drop();
    await tick(1_999);
    expect(h.sockets).toHaveLength(4);
    await tick(1);
    await h.connect({ account: ['e1', 0] });
    expect(h.connection.state).toBe('connected');
    await tick(10_000);

    h.socket().drop();
    await tick(249);
    expect(h.sockets).toHaveLength(5);
    await tick(1);
    expect(h.sockets).toHaveLength(6);
  });

  it('keeps backing off when the server closes (1008) within 10 s of each connect', async () => {
    const h = harness({ topics: ['account'] });
    for (const delay of [250, 500, 1_000, 2_000]) {
      await h.connect({ account: ['e1', 0] });
      expect(h.connection.state).toBe('connected');
      await tick(9_999);
      const count = h.sockets.length;
      h.socket().drop(1008);
      await tick(delay - 1);
      expect(h.sockets).toHaveLength(count);
      await tick(1);
      expect(h.sockets).toHaveLength(count + 1);
    }
  });

  it('retries with backoff when getUrl fails, and asks again each time', async () => {
    const getUrl = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error('network down')).mockResolvedValue('wss://gstd.test/ws?ticket=t2');
    const h = harness({ getUrl });
    await tick();
    expect(h.sockets).toHaveLength(0);
    expect(h.connection.state).toBe('reconnecting');
    await tick(249);
    expect(getUrl).toHaveBeenCalledTimes(1);
    await tick(1);
    expect(getUrl).toHaveBeenCalledTimes(2);
    expect(h.socket().url).toBe('wss://gstd.test/ws?ticket=t2');
  });

  it.each<[Partial<RealtimeConnectionOptions>, number]>([
    [{}, 30_000],
    [{ getUrlTimeoutMs: 5_000 }, 5_000],
  ])('takes a getUrl that does not answer for a failed attempt (%o: after %s ms) and ignores its late answer', async (options, timeoutMs) => {
    let answerLate: (url: string) => void = () => {};
    const getUrl = vi
      .fn<() => Promise<string>>()
      .mockReturnValueOnce(new Promise((resolve) => (answerLate = resolve)))
      .mockResolvedValue('wss://gstd.test/ws?ticket=t2');
    const h = harness({ getUrl, ...options });
    await tick(timeoutMs - 1);
    expect(h.connection.state).toBe('connecting');
    await tick(1);
    expect(h.connection.state).toBe('reconnecting');
    await tick(249);
    expect(getUrl).toHaveBeenCalledTimes(1);
    await tick(1);
    expect(getUrl).toHaveBeenCalledTimes(2);
    expect(h.sockets.map((s) => s.url)).toEqual(['wss://gstd.test/ws?ticket=t2']);

    answerLate('wss://gstd.test/ws?ticket=late');
    await tick();
    expect(h.sockets.map((s) => s.url)).toEqual(['wss://gstd.test/ws?ticket=t2']);
  });

  /** Drops four attempts (250 ms to 2 s apart, random 0): the next delay is 4 s. */
  const grownBackoff = async () => {
    const h = harness({ topics: ['account'] });
    await tick();
    for (const delay of [250, 500, 1_000, 2_000]) {
      h.socket().drop();
      await tick(delay);
    }

    expect(h.sockets).toHaveLength(5);
    return h;
  };

  it('reconnects at once on 1001 (going away) from a connected socket, keeping the backoff', async () => {
    const h = await grownBackoff();
    await h.connect({ account: ['e1', 0] });
    h.socket().drop(1001);
    expect(h.connection.state).toBe('reconnecting');
    await tick();
    expect(h.sockets).toHaveLength(6);

    h.socket().drop();
    await tick(3_999);
    expect(h.sockets).toHaveLength(6);
    await tick(1);
    expect(h.sockets).toHaveLength(7);
  });

  it('retries a 1001 before the socket got connected after the backoff, not at once', async () => {
    const h = await grownBackoff();
    h.socket().accept();
    h.socket().drop(1001);
    expect(h.connection.state).toBe('reconnecting');
    await tick(3_999);
    expect(h.sockets).toHaveLength(5);
    await tick(1);
    expect(h.sockets).toHaveLength(6);
  });

  it.each([
    [4401, 'unauthorized'],
    [4403, 'forbidden'],
  ])('stops for good on close code %s, as unauthorized', async (code, reason) => {
    const h = harness({ topics: ['account'] });
    await h.connect({ account: ['e1', 0] });
    const pending = track(h.connection.send('hello'));

    h.socket().drop(code);
    await tick(120_000);

    expect(h.connection.state).toBe('unauthorized');
    expect(h.states).toEqual(['connected', 'unauthorized']);
    expect(h.sockets).toHaveLength(1);
    expect(pending.error).toBeInstanceOf(RealtimeError);
    expect((pending.error as RealtimeError).code).toBe(reason);
    await expect(h.connection.send('ping')).rejects.toMatchObject({ code: reason });
  });

  it('stops as unauthorized when getUrl is refused the ticket', async () => {
    const getUrl = vi.fn<() => Promise<string>>().mockRejectedValue(new RealtimeError('unauthorized', 'bad key'));
    const h = harness({ getUrl });
    await tick(120_000);
    expect(h.connection.state).toBe('unauthorized');
    expect(getUrl).toHaveBeenCalledTimes(1);
    expect(h.sockets).toHaveLength(0);
  });

  it('resubscribes after a reconnect from the last delivered offset and hands the replay over once', async () => {
    const h = harness({ topics: ['account'] });
    const first = await h.connect();
    expect(first.lastSent('subscribe')).not.toHaveProperty('since');
    first.subscribed('account', 'e1', 0);
    [1, 2, 3].forEach((o) => first.event('account', 'e1', o));
    first.drop();
    await tick(250);

    const second = await h.connect();
    expect(second.sent[0]).toEqual({ type: 'subscribe', id: expect.any(String), topic: 'account', since: { epoch: 'e1', offset: 3 } });
    second.subscribed('account', 'e1', 5, true);
    [3, 5, 4, 5, 6].forEach((o) => second.event('account', 'e1', o));

    expect(h.events).toEqual(delivered('account', 'e1', 1, 2, 3, 4, 5, 6));
    expect(h.resyncs).toEqual([]);
  });

  it('asks for a re-read when the server cannot recover, and on a resync frame', async () => {
    const h = harness({ topics: ['account'] });
    const first = await h.connect({ account: ['e1', 0] });
    first.event('account', 'e1', 1);
    first.drop();
    await tick(250);

    const second = await h.connect();
    second.subscribed('account', 'e2', 10, false);
    expect(h.resyncs).toEqual(['account']);
    second.event('account', 'e1', 2);
    second.event('account', 'e2', 11);

    second.push({ type: 'resync', topic: 'account', epoch: 'e2', offset: 20 });
    expect(h.resyncs).toEqual(['account', 'account']);
    second.event('account', 'e2', 12);
    second.event('account', 'e2', 21);

    expect(h.events).toEqual([...delivered('account', 'e1', 1), ...delivered('account', 'e2', 11, 21)]);
  });

  it('sends queued messages in order after the subscribes and resolves each with its own reply', async () => {
    const h = harness({ topics: ['account'] });
    const hello = track(h.connection.send('hello', { workerId: 'w1' }));
    const ping = track(h.connection.send('ping'));
    const accept = track(h.connection.send('accept', { taskId: 't1', lease: 2 }));

    const socket = await h.connect();
    expect(socket.types()).toEqual(['subscribe', 'hello', 'ping', 'accept']);
    expect(socket.sent[1]).toEqual({ type: 'hello', id: expect.any(String), workerId: 'w1' });
    expect(new Set(socket.sent.map((m) => m.id)).size).toBe(4);

    socket.push({ type: 'pong', id: socket.lastSent('ping').id });
    await tick();
    expect(ping.value).toEqual({ type: 'pong', id: socket.lastSent('ping').id });
    expect(hello.settled).toBe(false);

    socket.ack(socket.lastSent('hello'));
    socket.ack(socket.lastSent('accept'));
    await tick();
    expect(hello.value).toEqual({ type: 'ack', id: socket.lastSent('hello').id });
    expect(accept.value).toEqual({ type: 'ack', id: socket.lastSent('accept').id });
  });

  it('rejects a message the server answers with an error frame, with its code and message', async () => {
    const h = harness();
    const socket = await h.connect();
    const accept = h.connection.send('accept', { taskId: 't1', lease: 2 });
    socket.push({ type: 'error', id: socket.lastSent('accept').id, code: 'invalid_state', message: 'The lease is over.' });

    await expect(accept).rejects.toBeInstanceOf(RealtimeError);
    await expect(accept).rejects.toMatchObject({ code: 'invalid_state', message: 'The lease is over.' });
  });

  it('sends unacknowledged messages again after a drop, in their order and before newer ones', async () => {
    const h = harness({ topics: ['account'] });
    const first = await h.connect({ account: ['e1', 0] });
    const a = track(h.connection.send('progress', { n: 'a' }));
    const b = track(h.connection.send('progress', { n: 'b' }));
    const c = track(h.connection.send('progress', { n: 'c' }));
    first.ack(first.sent.find((m) => m.n === 'b')!);
    first.drop();
    const d = track(h.connection.send('progress', { n: 'd' }));
    await tick(250);

    const second = await h.connect();
    expect(second.sent.map((m) => (m.type === 'subscribe' ? 'subscribe' : m.n))).toEqual(['subscribe', 'a', 'c', 'd']);
    expect(second.sent[1]!.id).toBe(first.sent.find((m) => m.n === 'a')!.id);
    await tick();
    expect([a.settled, b.settled, c.settled, d.settled]).toEqual([false, true, false, false]);

    second.sent.slice(1).forEach((m) => second.ack(m));
    await tick();
    expect([a.settled, c.settled, d.settled]).toEqual([true, true, true]);
  });

  it('bounds the messages awaiting a reply: beyond queueLimit a send fails with queue_full', async () => {
    const h = harness({ queueLimit: 2 });
    const first = track(h.connection.send('progress', { n: 1 }));
    track(h.connection.send('progress', { n: 2 }));
    await expect(h.connection.send('progress', { n: 3 })).rejects.toMatchObject({ code: 'queue_full' });

    const socket = await h.connect();
    socket.ack(socket.sent[0]!);
    await tick();
    expect(first.settled).toBe(true);
    const third = track(h.connection.send('progress', { n: 3 }));
    expect(socket.sent.map((m) => m.n)).toEqual([1, 2, 3]);
    await tick();
    expect(third.settled).toBe(false);
  });

  it.each([
    ['a BigInt', () => ({ n: 1n })],
    ['a cycle', () => {
      const body: Record<string, unknown> = {};
      body.self = body;
      return body;
    }],
  ])('refuses a body with %s at once, so it neither holds a queue slot nor blocks the messages behind it', async (_, body) => {
    const h = harness({ queueLimit: 1 });
    const refused = track(h.connection.send('progress', body()));
    await tick();
    expect(refused.error).toBeInstanceOf(RealtimeError);
    expect(refused.error).toMatchObject({ code: 'unserializable' });

    const ping = track(h.connection.send('ping'));
    const socket = await h.connect();
    expect(socket.types()).toEqual(['ping']);
    socket.push({ type: 'pong', id: socket.lastSent('ping').id });
    await tick();
    expect(ping.value).toMatchObject({ type: 'pong' });
  });

  it.each<[Partial<RealtimeConnectionOptions>, number]>([
    [{}, 30_000],
    [{ replyTimeoutMs: 5_000 }, 5_000],
  ])('fails a message unanswered (%o: for %s ms, queued time included) with timeout and frees its slot', async (options, timeoutMs) => {
    const h = harness({ queueLimit: 1, ...options });
    const ping = track(h.connection.send('ping'));
    await tick(1_000);
    const first = await h.connect();
    await tick(timeoutMs - 1_001);
    expect(ping.settled).toBe(false);
    await expect(h.connection.send('ping')).rejects.toMatchObject({ code: 'queue_full' });

    await tick(1);
    expect(ping.error).toBeInstanceOf(RealtimeError);
    expect(ping.error).toMatchObject({ code: 'timeout' });
    const next = track(h.connection.send('ping', { n: 2 }));
    // The timed-out message is not sent again after a reconnect.
    first.drop();
    await tick(250);
    const second = await h.connect();
    expect(second.sent.map((m) => m.n)).toEqual([2]);
    second.push({ type: 'pong', id: second.lastSent('ping').id });
    await tick();
    expect(next.settled).toBe(true);
  });

  it('hands the challenge nonce to onConnected, whose messages go out before the queued ones', async () => {
    const nonces: string[] = [];
    const h = harness({
      topics: ['account'],
      onConnected: (nonce) => {
        nonces.push(nonce);
        void h.connection.send('hello', { nonce });
      },
    });
    track(h.connection.send('progress', { n: 1 }));
    await tick();
    const socket = h.socket();
    socket.onopen?.(new Event('open'));
    track(h.connection.send('progress', { n: 2 }));
    // Only subscribes go out before the challenge.
    expect(socket.types()).toEqual(['subscribe']);

    socket.push({ type: 'challenge', nonce: 'n1' });
    expect(nonces).toEqual(['n1']);
    expect(socket.sent.map((m) => m.nonce ?? m.n ?? m.type)).toEqual(['subscribe', 'n1', 1, 2]);

    socket.drop();
    await tick(250);
    await h.connect();
    expect(nonces).toEqual(['n1', 'n0']);
  });

  it('sends nothing queued when onConnected closes the connection', async () => {
    const h = harness({ topics: ['account'], onConnected: () => h.connection.close() });
    const queued = track(h.connection.send('progress'));
    const socket = await h.connect();
    await tick();

    expect(socket.types()).toEqual(['subscribe']);
    expect(queued.error).toMatchObject({ code: 'closed' });
  });

  it('takes 45 s without any frame for a dead connection and reconnects', async () => {
    const h = harness({ topics: ['account'] });
    const first = await h.connect({ account: ['e1', 0] });

    await tick(44_999);
    first.push({ type: 'ping' });
    await tick(44_999);
    expect(first.closedWith).toBeNull();
    expect(h.connection.state).toBe('connected');

    await tick(1);
    expect(first.closedWith).not.toBeNull();
    expect(h.connection.state).toBe('reconnecting');
    // The dead socket's late close changes nothing.
    first.drop();
    await tick(250);
    expect(h.sockets).toHaveLength(2);
    await h.connect({ account: ['e1', 0] });
    expect(h.connection.state).toBe('connected');
  });

  it('resubscribes a topic whose gap stayed open for 1 s, and the replay fills it', async () => {
    const h = harness({ topics: ['account'] });
    const socket = await h.connect({ account: ['e1', 0] });
    socket.event('account', 'e1', 1);
    socket.event('account', 'e1', 3);
    expect(h.events).toEqual(delivered('account', 'e1', 1));

    await tick(999);
    expect(socket.types().filter((t) => t === 'subscribe')).toHaveLength(1);
    await tick(1);
    expect(socket.types().filter((t) => t === 'subscribe')).toHaveLength(2);
    expect(socket.lastSent('subscribe').since).toEqual({ epoch: 'e1', offset: 1 });

    socket.subscribed('account', 'e1', 3, true);
    socket.event('account', 'e1', 2);
    socket.event('account', 'e1', 3);
    expect(h.events).toEqual(delivered('account', 'e1', 1, 2, 3));
    expect(h.resyncs).toEqual([]);
  });

  it('leaves a gap that closes within 1 s alone', async () => {
    const h = harness({ topics: ['account'] });
    const socket = await h.connect({ account: ['e1', 0] });
    socket.event('account', 'e1', 2);
    await tick(900);
    socket.event('account', 'e1', 1);
    await tick(10_000);

    expect(h.events).toEqual(delivered('account', 'e1', 1, 2));
    expect(socket.types().filter((t) => t === 'subscribe')).toHaveLength(1);
  });

  it('subscribes and unsubscribes at any time; an unsubscribed topic is left out of later connections', async () => {
    const h = harness();
    const first = await h.connect();
    expect(h.connection.state).toBe('connected');

    const subscribed = track(h.connection.subscribe('task:1'));
    expect(first.lastSent('subscribe', 'task:1')).not.toHaveProperty('since');
    await tick();
    expect(subscribed.settled).toBe(false);
    first.subscribed('task:1', 'e1', 4);
    await tick();
    expect(subscribed.settled).toBe(true);
    first.event('task:1', 'e1', 5);

    const unsubscribed = track(h.connection.unsubscribe('task:1'));
    first.event('task:1', 'e1', 6);
    first.ack(first.lastSent('unsubscribe', 'task:1'));
    await tick();
    expect(unsubscribed.settled).toBe(true);

    first.drop();
    const later = track(h.connection.subscribe('task:2'));
    await tick(250);
    const second = await h.connect({ 'task:2': ['e9', 0] });
    expect(second.sent.map((m) => m.topic)).toEqual(['task:2']);
    await tick();
    expect(later.settled).toBe(true);
    expect(h.events).toEqual(delivered('task:1', 'e1', 5));
  });

  it('settles an unsubscribe whose socket drops before the ack: the next connection leaves the topic out', async () => {
    const h = harness({ topics: ['account', 'task:1'] });
    const first = await h.connect({ account: ['e1', 0], 'task:1': ['e1', 0] });
    const unsubscribed = track(h.connection.unsubscribe('task:1'));
    expect(first.lastSent('unsubscribe', 'task:1')).toBeDefined();

    first.drop();
    await tick(250);
    expect(unsubscribed.settled).toBe(true);
    expect(unsubscribed.error).toBeUndefined();
    const second = await h.connect();
    expect(second.sent.map((m) => m.topic)).toEqual(['account']);
  });

  it('drops a topic the server refuses, rejecting its subscribe with the code', async () => {
    const onSubscriptionError = vi.fn();
    const h = harness({ onSubscriptionError });
    const first = await h.connect();
    const subscribed = h.connection.subscribe('task:nope');
    first.push({ type: 'error', id: first.lastSent('subscribe').id, code: 'not_found', message: 'No such topic.' });

    await expect(subscribed).rejects.toMatchObject({ code: 'not_found' });
    expect(onSubscriptionError).toHaveBeenCalledWith('task:nope', expect.objectContaining({ code: 'not_found' }));
    // The server holds no subscription of a refused first subscribe: there is nothing to unsubscribe.
    expect(first.types()).toEqual(['subscribe']);
    first.drop();
    await tick(250);
    const second = await h.connect();
    expect(second.sent).toEqual([]);
  });

  it('unsubscribes a topic whose gap-repair resubscribe is refused, so the server stops pushing it', async () => {
    const onSubscriptionError = vi.fn();
    const h = harness({ topics: ['account'], onSubscriptionError });
    const socket = await h.connect({ account: ['e1', 0] });
    socket.event('account', 'e1', 2);
    await tick(1_000);
    const resubscribe = socket.lastSent('subscribe');
    expect(resubscribe.since).toEqual({ epoch: 'e1', offset: 0 });

    socket.push({ type: 'error', id: resubscribe.id, code: 'not_found', message: 'No such topic.' });
    expect(socket.types()).toEqual(['subscribe', 'subscribe', 'unsubscribe']);
    expect(socket.lastSent('unsubscribe').topic).toBe('account');
    expect(onSubscriptionError).toHaveBeenCalledWith('account', expect.objectContaining({ code: 'not_found' }));
    socket.ack(socket.lastSent('unsubscribe'));
    socket.event('account', 'e1', 1);
    expect(h.events).toEqual([]);
  });

  it('skips malformed frames and frames of topics it does not follow', async () => {
    const h = harness({ topics: ['account'] });
    const socket = await h.connect({ account: ['e1', 0] });
    socket.pushText('not json');
    socket.pushText('[1,2]');
    // Taken for events, these would be handed over as offset 1 (without a payload) or hold a gap open at 1.5.
    socket.push({ type: 'event', topic: 'account', epoch: 'e1', offset: 1 });
    socket.push({ type: 'event', topic: 'account', epoch: 'e1', offset: 1.5, event: { id: 'x', kind: 'task.updated', at: '' } });
    socket.event('worker:w1', 'e1', 1);
    socket.event('account', 'e1', 1);
    const pending = track(h.connection.send('ping'));
    socket.push({ type: 'error', id: null, code: 'validation_failed', message: 'A frame must be one JSON object.' });
    await tick(1_000);

    expect(h.events).toEqual(delivered('account', 'e1', 1));
    expect(pending.settled).toBe(false);
    // No gap was left open to repair.
    expect(socket.types()).toEqual(['subscribe', 'ping']);
  });

  it('keeps handing events over when a listener throws, and rethrows its error outside', async () => {
    const rethrown: Array<() => void> = [];
    const seen: number[] = [];
    const h = harness({
      topics: ['account'],
      onEvent: (_topic, _event, { offset }) => {
        seen.push(offset);
        if (offset === 1) {
          throw new Error('listener bug');
        }
      },
    });
    const socket = await h.connect({ account: ['e1', 0] });
    const microtask = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => rethrown.push(callback));
    socket.event('account', 'e1', 2);
    socket.event('account', 'e1', 1);
    microtask.mockRestore();

    expect(seen).toEqual([1, 2]);
    expect(rethrown).toHaveLength(1);
    expect(rethrown[0]!).toThrow('listener bug');
  });

  it.each(['unsubscribe', 'close'] as const)('stops handing a batch over once a listener calls %s, and leaves its gap alone', async (call) => {
    const seen: number[] = [];
    const h = harness({
      topics: ['account'],
      onEvent: (_topic, _event, { offset }) => {
        seen.push(offset);
        if (offset === 2) {
          void (call === 'close' ? h.connection.close() : h.connection.unsubscribe('account'));
        }
      },
    });
    const socket = await h.connect({ account: ['e1', 0] });
    [2, 3, 5].forEach((o) => socket.event('account', 'e1', o));
    // Fills the gap before 2 and 3; the one before 5 stays open.
    socket.event('account', 'e1', 1);
    await tick(1_000);

    expect(seen).toEqual([1, 2]);
    expect(socket.types().filter((t) => t === 'subscribe')).toHaveLength(1);
  });

  it.each([1006, 1001])('does not reconnect when an onState listener closes on reconnecting (close code %s)', async (code) => {
    const h = harness({
      topics: ['account'],
      onState: (state) => {
        if (state === 'reconnecting') {
          h.connection.close();
        }
      },
    });
    const socket = await h.connect({ account: ['e1', 0] });
    socket.drop(code);
    await tick(120_000);

    expect(h.connection.state).toBe('stopped');
    expect(h.getUrl).toHaveBeenCalledTimes(1);
    expect(h.sockets).toHaveLength(1);
  });

  it('close rejects whatever awaits a reply and cancels a pending reconnect', async () => {
    const h = harness({ topics: ['account'] });
    const socket = await h.connect({ account: ['e1', 0] });
    const pending = h.connection.send('ping');
    socket.drop();
    const subscribing = h.connection.subscribe('task:1');

    h.connection.close();

    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    await expect(subscribing).rejects.toMatchObject({ code: 'closed' });
    await tick(120_000);
    expect(h.getUrl).toHaveBeenCalledTimes(1);
    expect(h.sockets).toHaveLength(1);
    expect(h.connection.state).toBe('stopped');
  });
});
