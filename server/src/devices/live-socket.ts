import type { DeviceSubscription } from '@gridflow/nodes/device';
import { errorMessage } from '@gridflow/runtime';
import {
  deviceWatchRequestSchema,
  lifecycleWatchRequestSchema,
  type ClientToServerEvents,
  type DeviceLifecycleChange,
  type DeviceRef,
  type DeviceWatchAck,
  type ServerToClientEvents,
} from '@gridflow/runtime/contract';
import type { Socket } from 'socket.io';
import type { EditorIo, SocketData } from '../comms/socket-hub.js';
import { fieldIssues } from '../http/validate.js';
import type { Logger } from '../logger.js';
import type { DeviceFeed } from './device-feed.js';
import { createLiveCoalescer, type LiveCoalescerOptions } from './live-coalescer.js';

export interface LiveDeviceUpdatesOptions extends LiveCoalescerOptions {
  /** How often coalesced updates are sent: at most this many per second per device is 1000 / intervalMs. */
  intervalMs?: number;
  /** Devices one connection may watch at once. */
  maxWatchesPerSocket?: number;
  /** Devices watched by all connections together. */
  maxWatchedDevices?: number;
}

export interface LiveDeviceUpdates {
  /** What the registry changed (disabled, created, deleted), for pages that show it. */
  note(ref: DeviceRef, change: Omit<DeviceLifecycleChange, 'productKey' | 'deviceKey'>): void;
  close(): void;
}

const LIFECYCLE_ROOM = 'devices:lifecycle';
const PRODUCT_ROOM = 'devices:lifecycle:';
const DEVICE_ROOM = 'devices:device:';
type EditorSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const deviceRoom = (ref: DeviceRef) => `${DEVICE_ROOM}${ref.productKey}/${ref.deviceKey}`;

/** The device of a device room's name (keys never contain '/': the contract's key pattern). */
function roomDevice(room: string): DeviceRef | undefined {
  if (!room.startsWith(DEVICE_ROOM)) return undefined;
  const [productKey, deviceKey] = room.slice(DEVICE_ROOM.length).split('/');
  return productKey && deviceKey ? { productKey, deviceKey } : undefined;
}

/** `devices:watch: deviceKey: may contain letters, digits and _ . - only` */
function invalid(event: string, error: Parameters<typeof fieldIssues>[0]): DeviceWatchAck {
  const first = fieldIssues(error)[0];
  return { ok: false, error: `${event}: ${first ? `${first.path}: ${first.message}` : 'invalid request'}` };
}

/**
 * Live device updates for the editor's pages over its socket.io connection (authenticated by the
 * socket hub: a client that is not logged in never connects). Subscriptions are socket.io rooms,
 * so they end with the connection. The device feed is subscribed only while some page watches:
 * all devices while a list watches lifecycle, else only the watched devices.
 */
export function attachLiveDeviceUpdates(deps: {
  io: EditorIo;
  feed: DeviceFeed;
  /** Resolves when the device exists; rejects with a message naming it otherwise. */
  deviceExists(ref: DeviceRef): Promise<unknown>;
  logger: Logger;
  options?: LiveDeviceUpdatesOptions;
}): LiveDeviceUpdates {
  const { io, feed, logger } = deps;
  const options = deps.options ?? {};
  const maxPerSocket = options.maxWatchesPerSocket ?? 20;
  const maxWatched = options.maxWatchedDevices ?? 500;
  const editors = io.of('/');
  const rooms = editors.adapter.rooms;

  const coalescer = createLiveCoalescer(
    {
      lifecycle(changes, pending) {
        if (rooms.has(LIFECYCLE_ROOM)) editors.to(LIFECYCLE_ROOM).emit('devices:lifecycle', { changes, pending });
        const byProduct = new Map<string, DeviceLifecycleChange[]>();
        for (const c of changes) {
          if (!rooms.has(PRODUCT_ROOM + c.productKey)) continue;
          let list = byProduct.get(c.productKey);
          if (!list) byProduct.set(c.productKey, (list = []));
          list.push(c);
        }
        // A product page's `pending` is the overall count: it only says "more is coming".
        for (const [productKey, list] of byProduct)
          editors.to(PRODUCT_ROOM + productKey).emit('devices:lifecycle', { changes: list, pending });
      },
      device(update) {
        editors.to(deviceRoom(update)).emit('devices:device', update);
      },
    },
    options,
  );

  let subscription: DeviceSubscription | undefined;
  const resubscribe = () => {
    subscription?.close();
    subscription = undefined;
    if (coalescer.lifecycleWatched) {
      subscription = feed.subscribe({}, coalescer.offer);
      return;
    }
    const watched = coalescer.watchedDevices();
    if (watched.length)
      subscription = feed.subscribe(
        { deviceKeys: watched.map((d) => `${d.productKey}/${d.deviceKey}`) },
        coalescer.offer,
      );
  };
  const lifecycleRoomsExist = () => {
    for (const room of rooms.keys()) if (room === LIFECYCLE_ROOM || room.startsWith(PRODUCT_ROOM)) return true;
    return false;
  };

  // Rooms are the subscriptions: the adapter says when the first page joins one and when the
  // last one leaves it (by unwatching or disconnecting).
  const onCreate = (room: string) => {
    const device = roomDevice(room);
    if (device) coalescer.watch(device);
    else if (room === LIFECYCLE_ROOM || room.startsWith(PRODUCT_ROOM)) coalescer.setLifecycleWatched(true);
    else return;
    resubscribe();
  };
  const onDelete = (room: string) => {
    const device = roomDevice(room);
    if (device) coalescer.unwatch(device);
    else if (room === LIFECYCLE_ROOM || room.startsWith(PRODUCT_ROOM))
      coalescer.setLifecycleWatched(lifecycleRoomsExist());
    else return;
    resubscribe();
  };
  editors.adapter.on('create-room', onCreate);
  editors.adapter.on('delete-room', onDelete);

  const onConnection = (socket: EditorSocket) => {
    // Rooms asked for and not given up: an unwatch that overtakes the existence check wins.
    const wanted = new Set<string>();
    const answer = (ack: unknown, a: DeviceWatchAck) => {
      if (typeof ack === 'function') (ack as (a: DeviceWatchAck) => void)(a);
      else if (!a.ok) logger.debug(`live device updates: ${a.error} (the client gave no callback)`);
    };
    socket.on('devices:watch', (raw: unknown, ack: unknown) => {
      const parsed = deviceWatchRequestSchema.safeParse(raw);
      if (!parsed.success) return answer(ack, invalid('devices:watch', parsed.error));
      const ref = parsed.data;
      const room = deviceRoom(ref);
      const mine = [...socket.rooms].filter((r) => r.startsWith(DEVICE_ROOM)).length;
      if (!socket.rooms.has(room) && mine >= maxPerSocket) {
        return answer(ack, {
          ok: false,
          error: `devices:watch: this connection already watches ${mine} devices (at most ${maxPerSocket})`,
        });
      }
      if (!rooms.has(room) && coalescer.watchCount >= maxWatched) {
        return answer(ack, {
          ok: false,
          error: `devices:watch: ${maxWatched} devices are watched already; try again later`,
        });
      }
      wanted.add(room);
      deps.deviceExists(ref).then(
        () => {
          if (socket.connected && wanted.has(room)) void socket.join(room);
          answer(ack, { ok: true });
        },
        (err: unknown) => {
          wanted.delete(room);
          answer(ack, { ok: false, error: `devices:watch: ${errorMessage(err)}` });
        },
      );
    });
    socket.on('devices:unwatch', (raw: unknown) => {
      const parsed = deviceWatchRequestSchema.safeParse(raw);
      if (!parsed.success) return;
      const room = deviceRoom(parsed.data);
      wanted.delete(room);
      void socket.leave(room);
    });
    socket.on('devices:watch-lifecycle', (raw: unknown, ack: unknown) => {
      const parsed = lifecycleWatchRequestSchema.safeParse(raw ?? {});
      if (!parsed.success) return answer(ack, invalid('devices:watch-lifecycle', parsed.error));
      for (const r of [...socket.rooms]) if (r === LIFECYCLE_ROOM || r.startsWith(PRODUCT_ROOM)) void socket.leave(r);
      void socket.join(parsed.data.productKey ? PRODUCT_ROOM + parsed.data.productKey : LIFECYCLE_ROOM);
      answer(ack, { ok: true });
    });
    socket.on('devices:unwatch-lifecycle', () => {
      for (const r of [...socket.rooms]) if (r === LIFECYCLE_ROOM || r.startsWith(PRODUCT_ROOM)) void socket.leave(r);
    });
  };
  editors.on('connection', onConnection);

  const timer = setInterval(() => {
    try {
      coalescer.flush();
    } catch (err) {
      logger.error('sending live device updates failed', { error: errorMessage(err) });
    }
  }, options.intervalMs ?? 250);
  timer.unref();

  return {
    note: (ref, change) => coalescer.note(ref, change),
    close() {
      clearInterval(timer);
      subscription?.close();
      subscription = undefined;
      editors.off('connection', onConnection);
      editors.adapter.off('create-room', onCreate);
      editors.adapter.off('delete-room', onDelete);
    },
  };
}
