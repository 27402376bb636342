import { useMemo } from 'react';
import { deviceEndpoints, type PointValue, type ThingModel } from '@gridflow/runtime/contract';
import { formatAgo, formatTime, formatValue } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request } from '../shared/http.js';
import { LoadError } from '../shared/ui.js';
import { mergePoints } from './live-apply.js';

/**
 * The latest value of every measure point of the device: loaded once (again at each `resync`,
 * after a reconnect), with the values the server pushes (`live`) on top, the newer value winning.
 */
export function LatestValues({
  productKey,
  deviceKey,
  model,
  live,
  resync,
}: {
  productKey: string;
  deviceKey: string;
  model: ThingModel | undefined;
  live: Record<string, PointValue>;
  resync: number;
}) {
  const points = useLoad(
    (signal) => request(`load latest values of ${deviceKey}`, deviceEndpoints.devicePoints, { params: { productKey, deviceKey }, signal }),
    [resync],
  );
  const loaded = points.data?.points;
  const values = useMemo(() => mergePoints(loaded ?? {}, live), [loaded, live]);
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
