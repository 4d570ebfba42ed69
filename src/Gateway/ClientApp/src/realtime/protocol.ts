// The frames of GET /ws: text frames holding one JSON object each.

/** A place in a topic: the epoch (a topic that restarts gets a new one) and an offset within it. */
export interface Position {
  epoch: string;
  offset: number;
}

/** One event of a topic as the server publishes it: its id, kind and time, then the kind's own fields. */
export interface TopicEvent {
  id: string;
  kind: string;
  at: string;
  [field: string]: unknown;
}

export interface EventFrame extends Position {
  type: 'event';
  topic: string;
  event: TopicEvent;
}

/** Continuity was lost mid-stream: re-read the topic's state over HTTP, then follow from this position. */
export interface ResyncFrame extends Position {
  type: 'resync';
  topic: string;
}

/** The answer to a subscribe; when recovered with a `since`, the missed events follow as event frames. */
export interface SubscribedFrame extends Position {
  type: 'subscribed';
  id: string;
  topic: string;
  recovered: boolean;
}

export interface AckFrame {
  type: 'ack';
  id: string;
}

export interface PongFrame {
  type: 'pong';
  id: string;
}

/** A refused message. The id is null when the server could not read one from the message. */
export interface ErrorFrame {
  type: 'error';
  id: string | null;
  code: string;
  message: string;
}

/** The server's keep-alive, every 15 s: it only shows the socket is alive. */
export interface PingFrame {
  type: 'ping';
}

/** The first frame on every socket: a worker agent signs its nonce in `hello` to bind its worker. */
export interface ChallengeFrame {
  type: 'challenge';
  nonce: string;
}

/** A successful answer to a message sent with an id. */
export type ReplyFrame = AckFrame | PongFrame | SubscribedFrame;

export type ServerFrame = EventFrame | ResyncFrame | ReplyFrame | ErrorFrame | PingFrame | ChallengeFrame;

/**
 * WebSocket close codes the client treats specially; any other (1006 cut, 1008 slow consumer or abuse, 1009
 * too big, …) is retried after the backoff.
 */
export const CloseCode = {
  /** The silo is stopping: reconnect (to another one) at once. */
  goingAway: 1001,
  /** Credentials refused: retrying cannot help. */
  unauthorized: 4401,
  forbidden: 4403,
} as const;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPosition = (frame: Fields): boolean =>
  typeof frame.epoch === 'string' && Number.isSafeInteger(frame.offset);

/**
 * Reads one text frame; null for anything that is not a well-formed frame of a known type, so a
 * malformed frame is skipped rather than breaking the connection's bookkeeping.
 */
export function parseServerFrame(text: string): ServerFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }

  if (!isObject(frame)) {
    return null;
  }

  const hasId = typeof frame.id === 'string';
  switch (frame.type) {
    case 'event':
      return typeof frame.topic === 'string' && isPosition(frame) && isObject(frame.event)
        ? (frame as unknown as EventFrame)
        : null;
    case 'resync':
      return typeof frame.topic === 'string' && isPosition(frame) ? (frame as unknown as ResyncFrame) : null;
    case 'subscribed':
      return hasId && typeof frame.topic === 'string' && isPosition(frame) && typeof frame.recovered === 'boolean'
        ? (frame as unknown as SubscribedFrame)
        : null;
    case 'ack':
    case 'pong':
      return hasId ? (frame as unknown as AckFrame | PongFrame) : null;
    case 'error':
      return (hasId || frame.id === null || frame.id === undefined) && typeof frame.code === 'string'
        ? { type: 'error', id: hasId ? (frame.id as string) : null, code: frame.code, message: String(frame.message ?? '') }
        : null;
    case 'ping':
      return { type: 'ping' };
    case 'challenge':
      return typeof frame.nonce === 'string' ? { type: 'challenge', nonce: frame.nonce } : null;
    default:
      return null;
  }
}
