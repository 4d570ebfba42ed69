import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopicFollower } from './topicFollower';

// Payloads carry their own epoch and offset, so what the follower hands over can be checked against the stream.
interface Payload {
  epoch: string;
  n: number;
}

const range = (first: number, last: number): number[] =>
  Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);

/** What the network does to one frame of a connection. */
type FrameOp = 'pass' | 'duplicate' | 'swap' | 'drop' | 'repair';

const frameOp = fc.oneof(
  { weight: 6, arbitrary: fc.constant<FrameOp>('pass') },
  { weight: 1, arbitrary: fc.constant<FrameOp>('duplicate') },
  { weight: 1, arbitrary: fc.constant<FrameOp>('swap') },
  { weight: 1, arbitrary: fc.constant<FrameOp>('drop') },
  { weight: 1, arbitrary: fc.constant<FrameOp>('repair') },
);

/** One connection: how many events the server publishes during it, how many overtake the replay, and where it is cut. */
const connectionPlan = fc.record({
  published: fc.nat({ max: 30 }),
  overtaking: fc.nat({ max: 30 }),
  ops: fc.array(frameOp, { maxLength: 80 }),
  cutAt: fc.option(fc.nat({ max: 80 }), { nil: null }),
});

type ConnectionPlan = typeof connectionPlan extends fc.Arbitrary<infer P> ? P : never;

/**
 * A server publishing `events` events to epoch e1 over connections the plans disturb, then one calm
 * connection. Answers the offsets handed to the application.
 */
function simulate(events: number, plans: ConnectionPlan[]): number[] {
  const follower = new TopicFollower<Payload>('account');
  const delivered: number[] = [];
  const deliver = (offset: number) =>
    delivered.push(...follower.received('e1', offset, { epoch: 'e1', n: offset }).map((p) => p.n));
  let head = 0;

  // A recovered (re)subscribe: the server answers with its head and replays what came after `since`.
  const resubscribe = () => {
    const since = follower.since?.offset ?? head;
    expect(follower.subscribed('e1', head, true)).toBe(false);
    return range(since + 1, head);
  };

  const calm: ConnectionPlan = { published: events, overtaking: 0, ops: [], cutAt: null };
  for (const plan of [...plans, calm]) {
    const replay = resubscribe();
    const live = range(head + 1, Math.min(events, head + plan.published));
    head += live.length;
    const overtaking = plan.overtaking % (live.length + 1);
    const frames = [...live.slice(0, overtaking), ...replay, ...live.slice(overtaking)];
    for (let i = 0; i < frames.length && i !== plan.cutAt; i++) {
      const offset = frames[i]!;
      switch (plan.ops[i] ?? 'pass') {
        case 'pass':
          deliver(offset);
          break;
        case 'duplicate':
          deliver(offset);
          deliver(offset);
          break;
        case 'swap':
          if (i + 1 < frames.length) {
            deliver(frames[i + 1]!);
            i++;
          }

          deliver(offset);
          break;
        case 'drop':
          break;
        case 'repair':
          // The gap timer fired: a resubscribe on the same connection replays from `since`, then live goes on.
          if (follower.hasGap) {
            resubscribe().forEach(deliver);
          }

          deliver(offset);
          break;
      }
    }
  }

  return delivered;
}

describe('TopicFollower', () => {
  it('hands every event to the application once and in order through duplicates, swaps, holes, repairs and reconnects', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.array(connectionPlan, { maxLength: 12 }), (events, plans) => {
        expect(simulate(events, plans)).toEqual(range(1, events));
      }),
      { numRuns: 500 },
    );
  });

  it('after a re-read (recovered=false or resync) delivers only what follows the new position, once and in order', () => {
    const scenario = fc.record({
      before: fc.nat({ max: 40 }),
      // Early events of the old stream, still held when continuity is lost.
      heldEarly: fc.uniqueArray(fc.integer({ min: 2, max: 80 }), { maxLength: 5 }),
      how: fc.constantFrom('notRecovered' as const, 'resync' as const),
      epoch: fc.constantFrom('e1', 'e2'),
      jump: fc.nat({ max: 60 }),
      after: fc.nat({ max: 40 }),
      // Frames the socket still brings from before the switch: the old epoch, or at/below the new position.
      stale: fc.array(fc.record({ epoch: fc.constantFrom('e1', 'e2'), offset: fc.integer({ min: 1, max: 200 }) }), { maxLength: 20 }),
      order: fc.array(fc.nat(), { maxLength: 60 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const follower = new TopicFollower<Payload>('account');
        const delivered: Array<[string, number]> = [];
        const deliver = (epoch: string, offset: number) =>
          delivered.push(...follower.received(epoch, offset, { epoch, n: offset }).map((p): [string, number] => [p.epoch, p.n]));

        follower.subscribed('e1', 0, true);
        range(1, s.before).forEach((o) => deliver('e1', o));
        s.heldEarly.forEach((o) => deliver('e1', s.before + o));
        expect(delivered).toEqual(range(1, s.before).map((o) => ['e1', o]));

        // A new epoch may start anywhere; within e1 the server only ever moves forward.
        const position = s.epoch === 'e1' ? s.before + s.jump : s.jump;
        if (s.how === 'notRecovered') {
          expect(follower.subscribed(s.epoch, position, false)).toBe(true);
        } else {
          follower.resync(s.epoch, position);
        }

        expect(follower.since).toEqual({ epoch: s.epoch, offset: position });
        expect(follower.hasGap).toBe(false);
        delivered.length = 0;

        // The new stream, with stale frames mixed in at positions the generator picks.
        const frames: Array<[string, number]> = range(position + 1, position + s.after).map((o) => [s.epoch, o]);
        s.stale
          .filter((f) => f.epoch !== s.epoch || f.offset <= position)
          .forEach((f, i) => frames.splice((s.order[i] ?? 0) % (frames.length + 1), 0, [f.epoch, f.offset]));
        frames.forEach(([epoch, offset]) => deliver(epoch, offset));

        expect(delivered).toEqual(range(position + 1, position + s.after).map((o) => [s.epoch, o]));
      }),
      { numRuns: 500 },
    );
  });

  it('takes the head on the first subscribe and keeps its place on a recovered resubscribe', () => {
    const follower = new TopicFollower<Payload>('account');
    expect(follower.since).toBeNull();
    expect(follower.subscribed('e1', 41, true)).toBe(false);
    expect(follower.received('e1', 41, { epoch: 'e1', n: 41 })).toEqual([]);
    expect(follower.received('e1', 42, { epoch: 'e1', n: 42 })).toEqual([{ epoch: 'e1', n: 42 }]);

    expect(follower.subscribed('e1', 50, true)).toBe(false);
    expect(follower.since).toEqual({ epoch: 'e1', offset: 42 });
  });

  it('treats a topic that restarted as a re-read and follows the new epoch', () => {
    const follower = new TopicFollower<Payload>('account');
    expect(follower.subscribed('e1', 0, true)).toBe(false);
    expect(follower.received('e1', 1, { epoch: 'e1', n: 1 })).toHaveLength(1);

    expect(follower.subscribed('e2', 7, true)).toBe(true);
    expect(follower.received('e1', 2, { epoch: 'e1', n: 2 })).toEqual([]);
    expect(follower.received('e2', 8, { epoch: 'e2', n: 8 })).toEqual([{ epoch: 'e2', n: 8 }]);
    expect(follower.since).toEqual({ epoch: 'e2', offset: 8 });
  });

  it('moves on a resync frame and forgets early events', () => {
    const follower = new TopicFollower<Payload>('account');
    follower.subscribed('e1', 0, true);
    expect(follower.received('e1', 3, { epoch: 'e1', n: 3 })).toEqual([]);
    expect(follower.hasGap).toBe(true);

    follower.resync('e1', 10);

    expect(follower.hasGap).toBe(false);
    expect(follower.received('e1', 4, { epoch: 'e1', n: 4 })).toEqual([]);
    expect(follower.received('e1', 11, { epoch: 'e1', n: 11 })).toEqual([{ epoch: 'e1', n: 11 }]);
  });

  it(`holds at most ${TopicFollower.maxEarly} early events; later ones wait for the replay`, () => {
    const follower = new TopicFollower<Payload>('account');
    follower.subscribed('e1', 0, true);
    const last = TopicFollower.maxEarly + 2;
    range(2, last).forEach((o) => expect(follower.received('e1', o, { epoch: 'e1', n: o })).toEqual([]));

    const due = follower.received('e1', 1, { epoch: 'e1', n: 1 });

    expect(due.map((p) => p.n)).toEqual(range(1, TopicFollower.maxEarly + 1));
    expect(follower.hasGap).toBe(false);
    expect(follower.received('e1', last, { epoch: 'e1', n: last })).toEqual([{ epoch: 'e1', n: last }]);
  });
});
