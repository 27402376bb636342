import { useState } from 'react';
import { deviceEndpoints } from '@gridflow/runtime/contract';
import { hashFor, navigate } from '../route.js';
import { formatAgo, formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { errorMessage, request } from '../shared/http.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { AttributesCard } from './AttributesCard.js';
import { LatestValues } from './LatestValues.js';
import { PointChart } from './PointChart.js';
import { RecentEvents } from './RecentEvents.js';
import { ServiceInvoke } from './ServiceInvoke.js';

/** The server has no device-state event: the header asks again this often. */
const POLL_MS = 3000;

/** One device: state, attributes, live latest values, recent events, service invocation, a chart. */
export function DeviceDetail({ productKey, deviceKey }: { productKey: string; deviceKey: string }) {
  const params = { productKey, deviceKey };
  const device = useLoad((signal) => request(`load device ${productKey}/${deviceKey}`, deviceEndpoints.getDevice, { params, signal }), [], POLL_MS);
  const product = useLoad((signal) => request(`load product ${productKey}`, deviceEndpoints.getProduct, { params: { productKey }, signal }), []);
  const modelId = product.data?.modelId;
  const model = useLoad(
    (signal) => (modelId ? request(`load thing model ${modelId}`, deviceEndpoints.getThingModel, { params: { modelId }, signal }) : Promise.resolve(undefined)),
    [modelId],
  );
  const [error, setError] = useState('');
  const d = device.data;
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
          <LatestValues productKey={productKey} deviceKey={deviceKey} model={m} />
        </div>
      )}
      {d && m && (
        <>
          <div style={{ height: 14 }} />
          <PointChart productKey={productKey} deviceKey={deviceKey} model={m} />
          <div className="gf-cols">
            <ServiceInvoke productKey={productKey} deviceKey={deviceKey} model={m} online={d.state === 'online'} />
            <RecentEvents productKey={productKey} deviceKey={deviceKey} model={m} />
          </div>
        </>
      )}
    </div>
  );
}
