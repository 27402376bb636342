import { useMemo, useState } from 'react';
import { sqlRequestSchema, timeseriesEndpoints, type SqlResponse } from '@gridflow/runtime/contract';
import type { PageProps } from '../registry.js';
import { formatValue } from '../shared/format.js';
import { requestFieldErrors, validate, type FieldErrors } from '../shared/form-errors.js';
import { request, withModule } from '../shared/http.js';
import { alignSeries } from '../shared/series.js';
import { TimeChart } from '../shared/TimeChart.js';
import { FormErrors, PageHead } from '../shared/ui.js';
import { chartSeries } from './result-chart.js';

const EXAMPLES = [
  { label: 'Tables', sql: 'SHOW TABLES' },
  { label: 'Device events', sql: 'SELECT * FROM device_events ORDER BY ts DESC LIMIT 100' },
  { label: 'Alerts', sql: 'SELECT * FROM alerts ORDER BY ts DESC LIMIT 100' },
];
/** Rows drawn in the table; the rest stay in the result (the chart uses all). */
const TABLE_ROWS = 1000;

/** The data explorer: a read-only SQL console on QuestDB with a results table and a time-series chart. */
export function ExplorerPage(_props: PageProps) {
  const [sql, setSql] = useState(EXAMPLES[0]?.sql ?? '');
  const [limit, setLimit] = useState(10_000);
  const [result, setResult] = useState<SqlResponse>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [hidden, setHidden] = useState<string[]>([]);

  const run = async (): Promise<void> => {
    const checked = validate(sqlRequestSchema, { sql, limit });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    try {
      const r = await withModule('Time-series storage (QuestDB)', request('run the query', timeseriesEndpoints.sql, { body: checked.data }));
      setResult(r);
      setHidden([]);
      setView(chartSeries(r).series.length > 0 ? 'chart' : 'table');
    } catch (err) {
      setErrors(requestFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const chart = useMemo(() => (result ? chartSeries(result) : undefined), [result]);
  const aligned = useMemo(
    () => alignSeries(chart?.series.filter((s) => !hidden.some((h) => s.label === h || s.label.endsWith(` ${h}`))) ?? []),
    [chart, hidden],
  );

  return (
    <div className="gf-page-inner">
      <PageHead title="Data explorer" note="read-only SQL on QuestDB">
        {EXAMPLES.map((e) => (
          <button key={e.label} type="button" onClick={() => setSql(e.sql)}>
            {e.label}
          </button>
        ))}
      </PageHead>
      <form
        className="gf-card"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <textarea
          className={`gf-sql${errors['sql'] ? ' bad' : ''}`}
          value={sql}
          spellCheck={false}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
              e.preventDefault();
              void run();
            }
          }}
          data-testid="sql-input"
        />
        <div className="gf-toolbar" style={{ marginTop: 8, marginBottom: 0 }}>
          <label>
            at most{' '}
            <input type="number" min={1} max={100000} style={{ width: 90 }} value={limit} onChange={(e) => setLimit(Number(e.target.value))} /> rows
          </label>
          <span style={{ flex: 1 }} />
          <span className="gf-muted">Ctrl+Enter runs</span>
          <button type="submit" className="primary" disabled={busy} data-testid="sql-run">
            {busy ? 'Running…' : 'Run'}
          </button>
        </div>
        <FormErrors messages={Object.values(errors)} />
      </form>
      {result && (
        <div className="gf-card" data-testid="sql-result">
          <div className="gf-toolbar">
            <b data-testid="sql-summary">
              {result.rowCount} row{result.rowCount === 1 ? '' : 's'}
              {result.truncated ? ' (cut at the limit)' : ''} in {Math.round(result.elapsedMs)} ms
            </b>
            <span style={{ flex: 1 }} />
            <div className="gf-tabs" style={{ marginBottom: 0 }}>
              <button type="button" className={view === 'table' ? 'active' : undefined} onClick={() => setView('table')} data-testid="sql-view-table">
                Table
              </button>
              <button
                type="button"
                className={view === 'chart' ? 'active' : undefined}
                onClick={() => setView('chart')}
                disabled={!chart || chart.series.length === 0}
                title={chart?.series.length ? '' : 'needs a timestamp column and a number column'}
                data-testid="sql-view-chart"
              >
                Chart
              </button>
            </div>
          </div>
          {view === 'table' ? (
            <div className="gf-table-wrap">
              <table className="gf-table" data-testid="sql-table">
                <thead>
                  <tr>
                    {result.columns.map((c) => (
                      <th key={c.name} className={c.kind === 'number' ? 'num' : undefined} title={c.kind}>
                        {c.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.rows.slice(0, TABLE_ROWS).map((row, i) => (
                    <tr key={i}>
                      {row.map((v, j) => (
                        <td key={j} className={result.columns[j]?.kind === 'number' ? 'num' : undefined}>
                          {formatValue(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {result.rows.length > TABLE_ROWS && <div className="gf-empty">The table shows the first {TABLE_ROWS} rows; the chart shows all.</div>}
            </div>
          ) : (
            <>
              <div className="gf-toolbar">
                <span className="gf-muted">over {chart?.time}:</span>
                {chart?.numeric.map((n) => (
                  <label key={n} className="gf-radio">
                    <input type="checkbox" checked={!hidden.includes(n)} onChange={(e) => setHidden(e.target.checked ? hidden.filter((h) => h !== n) : [...hidden, n])} />
                    {n}
                  </label>
                ))}
              </div>
              {aligned.ys.length > 0 && <TimeChart data={aligned} height={340} testId="sql-chart" />}
            </>
          )}
        </div>
      )}
    </div>
  );
}
