import { useMemo, useState } from 'react';
import { timeseriesAggregates, timeseriesEndpoints, type ThingModel, type TimeseriesAggregate } from '@gridflow/runtime/contract';
import { formatTime } from '../shared/format.js';
import { useLoad } from '../shared/hooks.js';
import { request, withModule } from '../shared/http.js';
import { alignSeries } from '../shared/series.js';
import { TimeChart } from '../shared/TimeChart.js';
import { Field, LoadError } from '../shared/ui.js';

export const ranges = [
  { id: '15m', label: 'last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'last hour', ms: 3_600_000 },
  { id: '6h', label: 'last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'last 30 days', ms: 30 * 86_400_000 },
] as const;

/** Points that can be charted: numbers, and booleans as 0/1. */
function chartable(model: ThingModel): ThingModel['measurePoints'] {
  return model.measurePoints.filter((p) => ['int', 'float', 'double', 'bool', 'enum'].includes(p.spec.type));
}

/**
 * A point of the device over a chosen range, from /api/timeseries (which picks raw rows or a
 * downsampled tier). Dragging over the chart zooms into that range; the server sends it at the
 * finer resolution.
 */
export function PointChart({ productKey, deviceKey, model }: { productKey: string; deviceKey: string; model: ThingModel }) {
  const points = chartable(model);
  const [point, setPoint] = useState(points[0]?.identifier ?? '');
  const [range, setRange] = useState<string>('1h');
  const [aggregate, setAggregate] = useState<TimeseriesAggregate>('avg');
  const [zoom, setZoom] = useState<{ from: number; to: number }>();
  // The end of a preset range is "now" as of the last refresh, so polling moves the window.
  const [now, setNow] = useState(() => Date.now());
  const preset = ranges.find((r) => r.id === range) ?? ranges[1];
  const from = zoom?.from ?? now - preset.ms;
  const to = zoom?.to ?? now;

  const series = useLoad(
    (signal) =>
      point
        ? withModule(
            'Time-series storage (QuestDB)',
            request(`load ${point} of ${deviceKey}`, timeseriesEndpoints.timeseries, {
              query: { productKey, devices: deviceKey, points: point, from, to, aggregate, maxPoints: 1500 },
              signal,
            }),
          )
        : Promise.resolve(undefined),
    [point, from, to, aggregate],
  );
  const data = useMemo(
    () => alignSeries((series.data?.series ?? []).map((s) => ({ label: s.point, data: s.data }))),
    [series.data],
  );
  const spec = model.measurePoints.find((p) => p.identifier === point)?.spec;
  const unit = spec && 'unit' in spec ? spec.unit : undefined;

  return (
    <div className="gf-card" data-testid="point-chart">
      <h2>History</h2>
      {points.length === 0 ? (
        <div className="gf-empty">The model has no numeric measure points to chart.</div>
      ) : (
        <>
          <div className="gf-toolbar">
            <Field label="Point" name="chart-point">
              <select value={point} onChange={(e) => setPoint(e.target.value)}>
                {points.map((p) => (
                  <option key={p.identifier} value={p.identifier}>
                    {p.name} ({p.identifier})
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Range" name="chart-range">
              <select
                value={zoom ? '' : range}
                onChange={(e) => {
                  setRange(e.target.value);
                  setZoom(undefined);
                  setNow(Date.now());
                }}
              >
                {zoom && <option value="">zoomed</option>}
                {ranges.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Aggregate" name="chart-aggregate">
              <select value={aggregate} onChange={(e) => setAggregate(e.target.value as TimeseriesAggregate)}>
                {timeseriesAggregates.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </Field>
            <span style={{ alignSelf: 'flex-end', display: 'flex', gap: 6 }}>
              <button type="button" onClick={() => (setZoom(undefined), setNow(Date.now()))} data-testid="chart-refresh">
                {zoom ? 'Reset zoom' : 'Refresh'}
              </button>
            </span>
          </div>
          {series.error && <LoadError message={series.error} retry={series.reload} />}
          <div className="gf-muted" style={{ fontSize: 12, marginBottom: 4 }} data-testid="chart-info">
            {formatTime(from)} – {formatTime(to)}
            {series.data &&
              ` · ${data.x.length} points from ${series.data.source === 'raw' ? 'raw rows' : `the ${series.data.source} tier`}` +
                (series.data.interval ? ` by ${series.data.interval} (${series.data.aggregate ?? ''})` : '') +
                (series.data.decimated ? ', decimated' : '')}
            {' · drag across the chart to zoom'}
          </div>
          {data.x.length > 0 ? (
            <TimeChart data={data} unit={unit} onZoom={(f, t) => setZoom({ from: f, to: t })} testId="device-chart" />
          ) : (
            series.data && <div className="gf-empty">No stored values in this range (is there a storage policy for the product?).</div>
          )}
        </>
      )}
    </div>
  );
}
