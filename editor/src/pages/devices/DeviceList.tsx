import { useEffect, useMemo, useState } from 'react';
import { deviceEndpoints, type Device, type DeviceState } from '@gridflow/runtime/contract';
import { navigate } from '../route.js';
import { formatAgo, formatTime } from '../shared/format.js';
import { useDebounced, useLoad } from '../shared/hooks.js';
import { request, withModule } from '../shared/http.js';
import { LiveMarker } from '../shared/live.js';
import { LoadError, PageHead, Pill } from '../shared/ui.js';
import { CsvImport } from './CsvImport.js';
import { stamped, useDeviceLifecycle, useLifecycleRows, useThrottled, useTick } from './live-hooks.js';
import { NewDeviceForm } from './NewDeviceForm.js';
import { SecretsTable } from './SecretsTable.js';

const PAGE = 100;
/** Loads again at most this often when pushed changes add or remove rows (a CSV import of thousands). */
const RELOAD_MS = 1000;

/**
 * All devices (or one product's) with live online state, search, paging, create and CSV import.
 * One REST load per filter; online state, disabled and last seen are pushed by the server.
 */
export function DeviceList({ productKey }: { productKey: string }) {
  const [state, setState] = useState<DeviceState | ''>('');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim());
  const [offset, setOffset] = useState(0);
  const [panel, setPanel] = useState<'none' | 'new' | 'import'>('none');
  const [created, setCreated] = useState<Device[]>([]);

  // A new search starts at the first page.
  useEffect(() => setOffset(0), [search]);

  const products = useLoad((signal) => withModule('Device management', request('load products', deviceEndpoints.listProducts, { signal })), []);
  const devices = useLoad(
    (signal) =>
      stamped(
        request('load devices', deviceEndpoints.listDevices, {
          query: { productKey: productKey || undefined, state: state || undefined, search: search || undefined, limit: PAGE, offset },
          signal,
        }),
      ),
    [productKey, state, search, offset],
  );
  const reloadSoon = useThrottled(devices.reload, RELOAD_MS);
  const loaded = useMemo(() => devices.data && { value: devices.data.value.devices, requestedAt: devices.data.requestedAt }, [devices.data]);
  const { rows: list, push } = useLifecycleRows(loaded, { productKey: productKey || undefined, state: state || undefined }, reloadSoon);
  const liveError = useDeviceLifecycle(productKey, (event) => push(event.changes), devices.reload);
  useTick(5000);
  const total = devices.data?.value.total ?? 0;
  const productName = new Map((products.data?.products ?? []).map((p) => [p.productKey, p.name]));
  const online = list.filter((d) => d.state === 'online').length;

  const onCreated = (ds: Device[]): void => {
    setCreated(ds);
    setPanel('none');
    devices.reload();
  };

  return (
    <div className="gf-page-inner">
      <PageHead title="Devices" note={`${total} device${total === 1 ? '' : 's'}${list.length ? `, ${online} of these online` : ''}`}>
        <LiveMarker />
        <button type="button" onClick={() => setPanel(panel === 'import' ? 'none' : 'import')} data-testid="device-import-open">
          Import CSV
        </button>
        <button type="button" className="primary" onClick={() => setPanel(panel === 'new' ? 'none' : 'new')} data-testid="device-new">
          New device
        </button>
      </PageHead>
      {created.length > 0 && <SecretsTable devices={created} onDone={() => setCreated([])} />}
      {panel === 'new' && products.data && (
        <NewDeviceForm products={products.data.products} productKey={productKey} onCreated={(d) => onCreated([d])} onCancel={() => setPanel('none')} />
      )}
      {panel === 'import' && products.data && (
        <CsvImport products={products.data.products} productKey={productKey} onCreated={onCreated} onCancel={() => setPanel('none')} />
      )}
      <div className="gf-card">
        <div className="gf-toolbar">
          <select value={productKey} onChange={(e) => (e.target.value ? navigate('devices', e.target.value) : navigate('devices'))} data-testid="device-filter-product">
            <option value="">All products</option>
            {(products.data?.products ?? []).map((p) => (
              <option key={p.productKey} value={p.productKey}>
                {p.name} ({p.productKey})
              </option>
            ))}
          </select>
          <select value={state} onChange={(e) => (setState(e.target.value as DeviceState | ''), setOffset(0))} data-testid="device-filter-state">
            <option value="">Any state</option>
            <option value="online">online</option>
            <option value="offline">offline</option>
            <option value="inactive">inactive</option>
          </select>
          <input type="search" placeholder="Search key or name" value={searchText} onChange={(e) => setSearchText(e.target.value)} data-testid="device-search" />
          <span className="spacer" style={{ flex: 1 }} />
          {total > PAGE && (
            <span>
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                ‹
              </button>{' '}
              {offset + 1}–{Math.min(offset + PAGE, total)} of {total}{' '}
              <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                ›
              </button>
            </span>
          )}
        </div>
        {devices.error && <LoadError message={devices.error} retry={devices.reload} />}
        {liveError && <LoadError message={`live updates: ${liveError}`} />}
        <table className="gf-table" data-testid="device-table">
          <thead>
            <tr>
              <th>Device</th>
              <th>Device key</th>
              <th>Product</th>
              <th>State</th>
              <th>Last seen</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr
                key={`${d.productKey}/${d.deviceKey}`}
                className="clickable"
                onClick={() => navigate('devices', d.productKey, d.deviceKey)}
                data-testid={`device-row-${d.deviceKey}`}
                data-state={d.state}
              >
                <td>
                  <span className={`gf-dot ${d.state}`} />
                  <b>{d.name}</b>
                  {d.gateway && <div className="gf-muted">via gateway {d.gateway.deviceKey}</div>}
                </td>
                <td className="gf-mono">{d.deviceKey}</td>
                <td>{productName.get(d.productKey) ?? d.productKey}</td>
                <td>
                  <Pill kind={d.state}>{d.state}</Pill> {d.disabled && <Pill kind="disabled">disabled</Pill>}
                </td>
                <td title={formatTime(d.lastSeen)}>{formatAgo(d.lastSeen)}</td>
                <td>{formatTime(d.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!devices.loading && list.length === 0 && <div className="gf-empty">{search || state ? 'No device matches.' : 'No devices yet.'}</div>}
      </div>
    </div>
  );
}
