import type { StorageProjection } from '@gridflow/runtime/contract';
import { formatBytes, formatNumber } from '../shared/format.js';

/** Projected size per day (and at retention) of the raw table and each tier. */
export function ProjectionTable({ projection }: { projection: StorageProjection }) {
  return (
    <div data-testid="projection">
      <p className="gf-muted" style={{ marginTop: 0 }}>
        {projection.devices} device{projection.devices === 1 ? '' : 's'} ×{' '}
        {formatNumber(Math.round(projection.rowsPerDevicePerDay))} rows per device per day (
        {projection.basis === 'measured' ? 'measured over the last 24 h' : 'from the report interval'}), about{' '}
        {projection.rawRowBytes} bytes per raw row.
      </p>
      <table className="gf-table">
        <thead>
          <tr>
            <th>Data</th>
            <th>Table</th>
            <th className="num">Rows / day</th>
            <th className="num">Size / day</th>
            <th className="num">Kept</th>
            <th className="num">Size at retention</th>
          </tr>
        </thead>
        <tbody>
          {projection.items.map((i) => (
            <tr key={i.source} data-testid={`projection-${i.source}`}>
              <td>{i.source === 'raw' ? 'raw rows' : `${i.source} tier`}</td>
              <td className="gf-mono">{i.table}</td>
              <td className="num">{formatNumber(Math.round(i.rowsPerDay))}</td>
              <td className="num">{formatBytes(i.bytesPerDay)}</td>
              <td className="num">
                {i.retentionDays === null ? 'forever' : `${formatNumber(Math.round(i.retentionDays * 10) / 10)} d`}
              </td>
              <td className="num">{i.bytesAtRetention === null ? 'grows' : formatBytes(i.bytesAtRetention)}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={3}>
              <b>Total per day</b>
            </td>
            <td className="num" data-testid="projection-total">
              <b>{formatBytes(projection.totalBytesPerDay)}</b>
            </td>
            <td colSpan={2} />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
