import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from '@gridflow/runtime/contract';

export type EditorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects to the server's socket.io on the page's origin; the session cookie authenticates it. */
export function connectSocket(): EditorSocket {
  return io({ path: SOCKET_PATH, withCredentials: true, transports: ['websocket', 'polling'] });
}
