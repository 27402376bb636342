import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ServerToClientEvents } from '@gridflow/runtime/contract';
import { connectSocket, type EditorSocket } from '../../api/socket.js';

/**
 * The pages' socket.io connection, open while any page is shown. (The flow canvas keeps its own
 * session; pages do not reach into it.)
 */
const SocketContext = createContext<EditorSocket | null>(null);

export function LiveSocketProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<EditorSocket | null>(null);
  useEffect(() => {
    const s = connectSocket();
    setSocket(s);
    return () => {
      s.close();
    };
  }, []);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** The pages' socket (null until it exists), for pages that send subscriptions as well as listen. */
export function useLiveSocket(): EditorSocket | null {
  return useContext(SocketContext);
}

type EventName = keyof ServerToClientEvents;
type Listener<K extends EventName> = ServerToClientEvents[K];

/** Calls `handler` for each server event of that name while the component is mounted. */
export function useServerEvent<K extends EventName>(name: K, handler: Listener<K>): void {
  const socket = useContext(SocketContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = ((...args: Parameters<Listener<K>>) => {
      (ref.current as (...a: Parameters<Listener<K>>) => void)(...args);
    }) as Listener<K>;
    // socket.io's typed `on` cannot relate a generic event name to its listener; the cast is that link.
    const on = socket.on.bind(socket) as (ev: K, l: Listener<K>) => void;
    const off = socket.off.bind(socket) as (ev: K, l: Listener<K>) => void;
    on(name, listener);
    return () => off(name, listener);
  }, [socket, name]);
}

/** Whether the pages' socket is connected (for a "live" marker). */
export function useLiveConnected(): boolean {
  const socket = useContext(SocketContext);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!socket) return;
    const on = (): void => setConnected(true);
    const off = (): void => setConnected(false);
    setConnected(socket.connected);
    socket.on('connect', on);
    socket.on('disconnect', off);
    return () => {
      socket.off('connect', on);
      socket.off('disconnect', off);
    };
  }, [socket]);
  return connected;
}

/** A small "live" marker for pages fed by server events. */
export function LiveMarker() {
  const connected = useLiveConnected();
  return (
    <span className={`gf-pill ${connected ? 'online' : 'offline'}`} data-testid="live-marker" title="server events">
      {connected ? '● live' : '○ not connected'}
    </span>
  );
}
