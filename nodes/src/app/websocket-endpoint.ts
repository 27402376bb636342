import type WebSocket from 'ws';
import { generateId, type Msg } from '@gridflow/runtime';
import type { WebSocketEndpointApi, WebSocketEvent } from './websocket-services.js';

type Listener = Parameters<WebSocketEndpointApi['subscribe']>[0];

/**
 * The part shared by the listener and the client config nodes: sessions by id, fan-out of
 * received messages to the `websocket in` nodes, and events for their status.
 */
export function createEndpointCore(options: { wholemsg: boolean; label: string; isServer: boolean }) {
  const listeners = new Set<Listener>();
  const sessions = new Map<string, WebSocket>();

  const event = (e: WebSocketEvent) => {
    for (const l of listeners) l.event?.(e);
  };

  /** Node-RED's handleEvent: the text or Buffer as payload, or the whole message parsed from JSON. */
  function toMsg(data: WebSocket.RawData, isBinary: boolean, id: string): Msg {
    const raw = isBinary ? (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)) : data.toString();
    let msg: Msg;
    if (options.wholemsg) {
      try {
        const parsed: unknown = JSON.parse(typeof raw === 'string' ? raw : raw.toString());
        msg = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...(parsed as Msg) } : { _msgid: '', payload: parsed };
      } catch {
        // Not JSON: the text goes on as the payload, as Node-RED does.
        msg = { _msgid: '', payload: raw };
      }
    } else msg = { _msgid: '', payload: raw };
    msg._msgid = generateId();
    msg['_session'] = { type: 'websocket', id };
    return msg;
  }

  const api: WebSocketEndpointApi = {
    wholemsg: options.wholemsg,
    label: options.label,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    broadcast(data) {
      let sent = false;
      for (const ws of sessions.values()) {
        if (ws.readyState !== ws.OPEN) continue;
        ws.send(data);
        sent = true;
      }
      return sent;
    },
    reply(id, data) {
      const ws = sessions.get(id);
      if (!ws || ws.readyState !== ws.OPEN) return false;
      ws.send(data);
      return true;
    },
  };

  return {
    api,
    sessions,
    event,
    /** Wires a socket's messages and lifecycle to the subscribers; returns its session id. */
    attach(ws: WebSocket, onClose?: () => void): string {
      const id = generateId();
      sessions.set(id, ws);
      const count = () => (options.isServer ? sessions.size : '');
      const opened = () => event({ event: 'connect', count: count(), id });
      if (ws.readyState === ws.OPEN) opened();
      else ws.once('open', opened);
      ws.on('message', (data, isBinary) => {
        const msg = toMsg(data, isBinary, id);
        for (const l of listeners) l.message?.(msg);
      });
      ws.on('error', (err) => event({ event: 'error', count: count(), id, error: err.message }));
      ws.on('close', () => {
        sessions.delete(id);
        event({ event: 'disconnect', count: count(), id });
        onClose?.();
      });
      return id;
    },
  };
}
