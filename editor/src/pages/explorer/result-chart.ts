import type { SqlResponse } from '@gridflow/runtime/contract';
import type { InputSeries } from '../shared/series.js';

/**
 * What of a SQL result can be charted over time: the first timestamp column as x, each number
 * column as a line. When the result also has a string column with few values (a device column),
 * each value gets its own line per number column ("inv1 power").
 */
export function chartSeries(result: SqlResponse, wanted?: readonly string[]): { time: string | undefined; numeric: string[]; series: InputSeries[] } {
  const timeIndex = result.columns.findIndex((c) => c.kind === 'timestamp');
  const numeric = result.columns.filter((c) => c.kind === 'number').map((c) => c.name);
  const time = result.columns[timeIndex]?.name;
  if (timeIndex < 0 || numeric.length === 0) return { time, numeric, series: [] };
  const shown = numeric.filter((n) => !wanted || wanted.includes(n));
  const keyIndex = result.columns.findIndex((c) => c.kind === 'string');
  const keys = keyIndex >= 0 ? new Set(result.rows.map((r) => String(r[keyIndex]))) : new Set<string>();
  const split = keyIndex >= 0 && keys.size > 1 && keys.size <= 12;
  const lines = new Map<string, [number, unknown][]>();
  for (const row of result.rows) {
    const t = Date.parse(String(row[timeIndex]));
    if (Number.isNaN(t)) continue;
    for (const name of shown) {
      const ci = result.columns.findIndex((c) => c.name === name);
      const label = split ? `${String(row[keyIndex])} ${name}` : name;
      let line = lines.get(label);
      if (!line) lines.set(label, (line = []));
      line.push([t, row[ci]]);
    }
  }
  return { time, numeric, series: [...lines].map(([label, data]) => ({ label, data })) };
}
