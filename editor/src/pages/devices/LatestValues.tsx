import { deviceEndpoints, type ThingModel } from '@gridflow/runtime/contract';
import { formatAgo, formatTime, formatValue } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { LoadError } from '../shared/ui.js';

/** Latest values are pushed by devices as they report; the panel asks this often. */
const POLL_MS = 2000;

/** The latest value of every measure point of the device, refreshed live. */
export function LatestValues({ productKey, deviceKey, model }: { productKey: string; deviceKey: string; model: ThingModel | undefined }) {
  const points = useLoad(
    (signal) => request(`load latest values of ${deviceKey}`, deviceEndpoints.devicePoints, { params: { productKey, deviceKey }, signal }),
    [],
    POLL_MS,
  );
  const values = points.data?.points ?? {};
  const declared = model?.measurePoints ?? [];
  const extra = Object.keys(values).filter((k) => !declared.some((p) => p.identifier === k));
  return (
    <div className="gf-card">
      <h2>Latest values</h2>
      {points.error && <LoadError message={points.error} />}
      <table className="gf-table" data-testid="latest-values">
        <thead>
          <tr>
            <th>Point</th>
            <th className="num">Value</th>
            <th>Unit</th>
            <th>Quality</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {declared.map((p) => {
            const v = values[p.identifier];
            return (
              <tr key={p.identifier} data-testid={`latest-${p.identifier}`}>
                <td title={p.identifier}>
                  {p.name} <span className="gf-muted">{p.pointType}</span>
                </td>
                <td className="num" data-testid={`latest-value-${p.identifier}`}>
                  {v ? formatValue(v.value) : '—'}
                </td>
                <td>{'unit' in p.spec ? (p.spec.unit ?? '') : ''}</td>
                <td>{v?.quality ?? ''}</td>
                <td title={v ? formatTime(v.time) : ''}>{v ? formatAgo(v.time) : 'never'}</td>
              </tr>
            );
          })}
          {extra.map((k) => (
            <tr key={k}>
              <td>{k}</td>
              <td className="num">{formatValue(values[k]?.value)}</td>
              <td />
              <td>{values[k]?.quality ?? ''}</td>
              <td>{formatAgo(values[k]?.time)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {declared.length === 0 && extra.length === 0 && <div className="gf-empty">The model has no measure points.</div>}
    </div>
  );
}
