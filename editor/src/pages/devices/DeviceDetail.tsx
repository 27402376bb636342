import { useCallback, useMemo, useState } from 'react';
import { deviceEndpoints, type DeviceLiveUpdate, type LiveDeviceEvent, type PointValue } from '@gridflow/runtime/contract';
import { hashFor, navigate } from '../route.js';
import { formatAgo, formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, request } from '../shared/http.js';
import { LiveMarker } from '../shared/live.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { AttributesCard } from './AttributesCard.js';
import { LatestValues } from './LatestValues.js';
import { mergePoints } from './live-apply.js';
import { stamped, useDeviceWatch, useLifecycleRows, useTick } from './live-hooks.js';
import { PointChart } from './PointChart.js';
import { RecentEvents } from './RecentEvents.js';
import { ServiceInvoke } from './ServiceInvoke.js';

/** Pushed events kept for the recent events table (it shows fewer). */
const LIVE_EVENTS = 50;
const noReload = (): void => undefined;

/**
 * One device: state, attributes, live latest values, recent events, service invocation, a chart.
 * Loaded once over REST; the server pushes state, latest values and new events while it is open.
 */
export function DeviceDetail({ productKey, deviceKey }: { productKey: string; deviceKey: string }) {
  const params = { productKey, deviceKey };
  const device = useLoad((signal) => stamped(request(`load device ${productKey}/${deviceKey}`, deviceEndpoints.getDevice, { params, signal })), []);
  const loaded = useMemo(() => device.data && { value: [device.data.value], requestedAt: device.data.requestedAt }, [device.data]);
  const { rows, push } = useLifecycleRows(loaded, {}, noReload);
  const [points, setPoints] = useState<Record<string, PointValue>>({});
  const [events, setEvents] = useState<LiveDeviceEvent[]>([]);
  const [deleted, setDeleted] = useState(false);
  // Bumped after a reconnect: the panels load again what they missed.
  const [resync, setResync] = useState(0);
  const onUpdate = useCallback(
    (u: DeviceLiveUpdate) => {
      if (u.lifecycle) push([u.lifecycle]);
      if (u.lifecycle?.deleted) setDeleted(true);
      const pushed = u.points;
      if (pushed) setPoints((p) => mergePoints(p, pushed));
      const fresh = u.events;
      if (fresh?.length) setEvents((e) => [...[...fresh].reverse(), ...e].slice(0, LIVE_EVENTS));
    },
    [push],
  );
  const liveError = useDeviceWatch(productKey, deviceKey, onUpdate, () => {
    device.reload();
    setResync((n) => n + 1);
  });
  useTick(5000);
  const product = useLoad((signal) => request(`load product ${productKey}`, deviceEndpoints.getProduct, { params: { productKey }, signal }), []);
  const modelId = product.data?.modelId;
  const model = useLoad(
    (signal) => (modelId ? request(`load thing model ${modelId}`, deviceEndpoints.getThingModel, { params: { modelId }, signal }) : Promise.resolve(undefined)),
    [modelId],
  );
  const [error, setError] = useState('');
  const d = deleted ? undefined : rows[0];
  const m = model.data?.model;

  const setDisabled = async (disabled: boolean): Promise<void> => {
    try {
      await request(`${disabled ? 'disable' : 'enable'} device ${deviceKey}`, deviceEndpoints.updateDevice, { params, body: { disabled } });
      setError('');
      device.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const remove = async (): Promise<void> => {
    if (!window.confirm(`Delete device ${deviceKey}? It can no longer connect.`)) return;
    try {
      await request(`delete device ${deviceKey}`, deviceEndpoints.deleteDevice, { params });
      navigate('devices', productKey);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="gf-page-inner" data-testid="device-detail">
      <div style={{ marginBottom: 6 }}>
        <a href={hashFor('devices')}>Devices</a> › <a href={hashFor('devices', productKey)}>{product.data?.name ?? productKey}</a> › {deviceKey}
      </div>
      <PageHead title={d?.name ?? deviceKey}>
        <LiveMarker />
        {d && (
          <>
            <span data-testid="device-state">
              <span className={`gf-dot ${d.state}`} />
              <Pill kind={d.state}>{d.state}</Pill>
            </span>
            {d.disabled && <Pill kind="disabled">disabled</Pill>}
            <button type="button" onClick={() => void setDisabled(!d.disabled)} data-testid="device-toggle-disabled">
              {d.disabled ? 'Enable' : 'Disable'}
            </button>
            <button type="button" className="danger" onClick={() => void remove()}>
              Delete
            </button>
          </>
        )}
      </PageHead>
      {(device.error || error) && <LoadError message={device.error || error} retry={device.reload} />}
      {liveError && <LoadError message={`live updates: ${liveError}`} />}
      {deleted && <div className="gf-empty" data-testid="device-deleted">This device was deleted.</div>}
      {d && (
        <div className="gf-cols">
          <div className="gf-card">
            <h2>Device</h2>
            <dl className="gf-kv">
              <dt>Product key</dt>
              <dd className="gf-mono">{d.productKey}</dd>
              <dt>Device key</dt>
              <dd className="gf-mono">{d.deviceKey}</dd>
              <dt>Thing model</dt>
              <dd>{modelId ? <a href={hashFor('models', modelId)}>{m?.name ?? modelId}</a> : '—'}</dd>
              <dt>Last seen</dt>
              <dd title={formatTime(d.lastSeen)}>{formatAgo(d.lastSeen)}</dd>
              {d.gateway && (
                <>
                  <dt>Gateway</dt>
                  <dd>
                    <a href={hashFor('devices', d.gateway.productKey, d.gateway.deviceKey)}>{d.gateway.deviceKey}</a>
                  </dd>
                </>
              )}
              <dt>Created</dt>
              <dd>{formatTime(d.createdAt)}</dd>
              {d.description && (
                <>
                  <dt>Description</dt>
                  <dd>{d.description}</dd>
                </>
              )}
            </dl>
            <AttributesCard device={d} model={m} onSaved={device.reload} />
          </div>
          <LatestValues productKey={productKey} deviceKey={deviceKey} model={m} live={points} resync={resync} />
        </div>
      )}
      {d && m && (
        <>
          <div style={{ height: 14 }} />
          <PointChart productKey={productKey} deviceKey={deviceKey} model={m} />
          <div className="gf-cols">
            <ServiceInvoke productKey={productKey} deviceKey={deviceKey} model={m} online={d.state === 'online'} />
            <RecentEvents productKey={productKey} deviceKey={deviceKey} model={m} live={events} resync={resync} />
          </div>
        </>
      )}
    </div>
  );
}
