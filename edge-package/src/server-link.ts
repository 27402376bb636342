import { io, type Socket } from 'socket.io-client';
import type { EdgeLogger } from './logger.js';

export interface ServerLinkOptions {
  server: string;
  edgeId: string;
  credential: string;
  log: EdgeLogger;
  /** First and longest pause between reconnection attempts (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface ServerLink {
  socket: Socket;
  /** Opens the connection; call once the socket's handlers are attached, so no event is missed. */
  open(): void;
  /** Set once the server refused this edge for good (revoked, unknown, bad credential). */
  readonly refused: string | undefined;
  close(): void;
}

/** Handshake refusals that another attempt cannot change. */
const PERMANENT = /revoked|unknown edge|bad credential/i;

/** Exponential back-off with jitter, reset on every successful connection. */
export function backoff(minMs: number, maxMs: number, random: () => number = Math.random) {
  let attempt = 0;
  return {
    next(): number {
      const base = Math.min(maxMs, minMs * 2 ** attempt);
      attempt++;
      return Math.round(base * (0.7 + 0.6 * random()));
    },
    reset() {
      attempt = 0;
    },
  };
}

/**
 * The socket to the server's `/edge` namespace, authenticated with the edge's credential.
 * socket.io retries a dropped transport by itself, but not a session the server ended (it does
 * so when it shuts down or revokes the edge) nor a refused handshake; those are retried here
 * with back-off, so a restarted server gets its edges back and a revoked edge hears why.
 */
export function connectToServer(options: ServerLinkOptions): ServerLink {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const delays = backoff(minDelay, maxDelay);
  let refused: string | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const socket = io(new URL('/edge', options.server).toString(), {
    auth: { edgeId: options.edgeId, credential: options.credential },
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelay: minDelay,
    reconnectionDelayMax: maxDelay,
    randomizationFactor: 0.3,
  });
  const retryLater = () => {
    if (closed || refused || retry) return;
    const wait = delays.next();
    retry = setTimeout(() => {
      retry = undefined;
      if (!closed && !socket.connected) socket.connect();
    }, wait);
  };

  socket.on('connect', () => delays.reset());
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (err) => {
    if (PERMANENT.test(err.message)) {
      refused = err.message;
      options.log.error(`the server refused this edge: ${err.message}; flows keep running offline`);
      socket.disconnect();
      return;
    }
    // A handshake the server's middleware rejected is not retried by socket.io; a transport failure is.
    if (!socket.active) retryLater();
  });

  return {
    socket,
    open: () => socket.connect(),
    get refused() {
      return refused;
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      socket.close();
    },
  };
}
