import { useCallback, useEffect, useRef, useState } from 'react';
import type { Device, DeviceLifecycleChange, DeviceLifecycleEvent, DeviceLiveUpdate } from '@gridflow/runtime/contract';
import { useLiveSocket, useServerEvent } from '../shared/live.js';
import { applyLifecycle, changesNeedReload, type ListScope } from './live-apply.js';

/**
 * Device pages are fed by pushed updates (the server's `devices:*` socket events) on top of one
 * REST load. A subscription ends with the connection, so after each (re)connect the page
 * subscribes again and calls `onResync` to load over REST what it missed meanwhile.
 */
function useResubscribe(
  subscribe: (() => void) | undefined,
  unsubscribe: (() => void) | undefined,
  onResync: () => void,
): void {
  const socket = useLiveSocket();
  const resync = useRef(onResync);
  resync.current = onResync;
  useEffect(() => {
    if (!socket || !subscribe || !unsubscribe) return;
    const onConnect = (): void => {
      subscribe();
      resync.current();
    };
    if (socket.connected) subscribe();
    socket.on('connect', onConnect);
    return () => {
      socket.off('connect', onConnect);
      if (socket.connected) unsubscribe();
    };
  }, [socket, subscribe, unsubscribe]);
}

/** Lifecycle changes of all devices (or one product's) while mounted; returns the server's refusal, if any. */
export function useDeviceLifecycle(
  productKey: string,
  onEvent: (event: DeviceLifecycleEvent) => void,
  onResync: () => void,
): string {
  const socket = useLiveSocket();
  const [error, setError] = useState('');
  useServerEvent('devices:lifecycle', onEvent);
  const subscribe = useCallback(() => {
    socket?.emit('devices:watch-lifecycle', productKey ? { productKey } : {}, (a) => setError(a.ok ? '' : a.error));
  }, [socket, productKey]);
  const unsubscribe = useCallback(() => void socket?.emit('devices:unwatch-lifecycle'), [socket]);
  useResubscribe(socket ? subscribe : undefined, socket ? unsubscribe : undefined, onResync);
  return error;
}

/** Latest values, new events and lifecycle of one device while mounted; returns the server's refusal, if any. */
export function useDeviceWatch(
  productKey: string,
  deviceKey: string,
  onUpdate: (update: DeviceLiveUpdate) => void,
  onResync: () => void,
): string {
  const socket = useLiveSocket();
  const [error, setError] = useState('');
  useServerEvent('devices:device', (u) => {
    if (u.productKey === productKey && u.deviceKey === deviceKey) onUpdate(u);
  });
  const subscribe = useCallback(() => {
    socket?.emit('devices:watch', { productKey, deviceKey }, (a) => setError(a.ok ? '' : a.error));
  }, [socket, productKey, deviceKey]);
  const unsubscribe = useCallback(
    () => void socket?.emit('devices:unwatch', { productKey, deviceKey }),
    [socket, productKey, deviceKey],
  );
  useResubscribe(socket ? subscribe : undefined, socket ? unsubscribe : undefined, onResync);
  return error;
}

/** A REST answer with the time its request started (pushes after that time are newer than it). */
export interface Stamped<T> {
  value: T;
  requestedAt: number;
}

/** Stamps a loader's answer with when it was asked. */
export function stamped<T>(load: Promise<T>, requestedAt = Date.now()): Promise<Stamped<T>> {
  return load.then((value) => ({ value, requestedAt }));
}

/** How long pushed changes are kept to be replayed over a REST answer that was slow to come. */
const REPLAY_MS = 30_000;

/**
 * Rows loaded over REST with the pushed lifecycle changes applied: changes pushed after a load
 * was asked are applied again over its answer, so a slow answer does not undo them.
 */
export function useLifecycleRows(
  loaded: Stamped<Device[]> | undefined,
  scope: ListScope,
  onReload: () => void,
): { rows: Device[]; push(changes: DeviceLifecycleChange[]): void } {
  const [rows, setRows] = useState<Device[]>([]);
  const log = useRef<{ at: number; changes: DeviceLifecycleChange[] }[]>([]);
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  const reloadRef = useRef(onReload);
  reloadRef.current = onReload;
  useEffect(() => {
    if (!loaded) return;
    log.current = log.current.filter((e) => e.at >= loaded.requestedAt);
    setRows(
      applyLifecycle(
        loaded.value,
        log.current.flatMap((e) => e.changes),
      ),
    );
  }, [loaded]);
  const push = useCallback((changes: DeviceLifecycleChange[]) => {
    const now = Date.now();
    log.current = log.current.filter((e) => now - e.at < REPLAY_MS);
    log.current.push({ at: now, changes });
    setRows((current) => applyLifecycle(current, changes));
    if (changesNeedReload(changes, scopeRef.current)) reloadRef.current();
  }, []);
  return { rows, push };
}

/** Calls `fn` at most once per `ms`, the last call of a burst included (so a burst of changes costs one reload). */
export function useThrottled(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      ref.current();
    }, ms);
  }, [ms]);
}

/** Renders again every `ms` (no request): "12 s ago" keeps counting between pushes. */
export function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}
