// The browser client of the realtime WebSocket (GET /ws): no framework, no Node APIs.
export type {
  AckFrame,
  ErrorFrame,
  EventFrame,
  PongFrame,
  Position,
  ReplyFrame,
  ResyncFrame,
  SubscribedFrame,
  TopicEvent,
} from './protocol';
export {
  RealtimeConnection,
  type ConnectionState,
  type RealtimeConnectionOptions,
  type Schedule,
  type SocketConstructor,
  type SocketLike,
} from './realtimeConnection';
export { RealtimeError } from './realtimeError';
export { ticketUrl, type TicketUrlOptions } from './ticketUrl';
export { TopicFollower } from './topicFollower';
