import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { RealtimeConnection, ticketUrl, type ConnectionState, type TopicEvent } from '../realtime';

/** What a component hears of one topic: each event once, in order, and a resync when it must re-read state. */
export interface TopicListener {
  onEvent: (event: TopicEvent) => void;
  onResync: () => void;
}

interface Live {
  state: ConnectionState;
  listen: (topic: string, listener: TopicListener) => () => void;
}

const LiveContext = createContext<Live | null>(null);

/**
 * One realtime connection for the signed-in key, shared by every component of the app: each topic is followed
 * while some component listens to it, and events are handed to that topic's listeners.
 */
export function LiveProvider({ apiKey, children }: { apiKey: string; children: ReactNode }) {
  const [state, setState] = useState<ConnectionState>('connecting');
  const listeners = useRef(new Map<string, Set<TopicListener>>());
  const connection = useRef<RealtimeConnection | null>(null);

  useEffect(() => {
    // Listeners of components mounted before this effect are followed from the start.
    const created = new RealtimeConnection({
      getUrl: ticketUrl({ baseUrl: new URL('/', window.location.href).href, apiKey }),
      topics: listeners.current.keys(),
      onEvent: (topic, event) => listeners.current.get(topic)?.forEach((l) => l.onEvent(event)),
      onResync: (topic) => listeners.current.get(topic)?.forEach((l) => l.onResync()),
      onState: setState,
    });
    connection.current = created;
    return () => {
      connection.current = null;
      created.close();
    };
  }, [apiKey]);

  const listen = useCallback((topic: string, listener: TopicListener) => {
    let set = listeners.current.get(topic);
    if (set === undefined) {
      set = new Set();
      listeners.current.set(topic, set);
      connection.current?.subscribe(topic).catch(() => {
        // A refused topic (not the caller's) has nothing to hear; the listener keeps its HTTP state.
      });
    }
    set.add(listener);
    const own = set;
    return () => {
      own.delete(listener);
      if (own.size === 0 && listeners.current.get(topic) === own) {
        listeners.current.delete(topic);
        connection.current?.unsubscribe(topic).catch(() => {
          // The connection is closing or the topic already went: nothing more to stop.
        });
      }
    };
  }, []);

  const live = useMemo<Live>(() => ({ state, listen }), [state, listen]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

function useLive(): Live {
  const live = useContext(LiveContext);
  if (live === null) {
    throw new Error('Live hooks need a LiveProvider above them.');
  }
  return live;
}

/**
 * Hears a topic (`account`, `network`, `worker:{id}`) while the component is mounted. The handlers may change on
 * every render; the latest ones are called.
 */
export function useTopic(topic: string | null, onEvent: (event: TopicEvent) => void, onResync: () => void): void {
  const { listen } = useLive();
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  useEffect(() => {
    if (topic === null) {
      return;
    }
    return listen(topic, {
      onEvent: (event) => handlers.current.onEvent(event),
      onResync: () => handlers.current.onResync(),
    });
  }, [topic, listen]);
}

/** The connection's state, for the indicator. */
export function useConnectionState(): ConnectionState {
  return useLive().state;
}
