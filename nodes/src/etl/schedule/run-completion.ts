/**
 * When has a run come back? A source that sends a run's rows as several messages marks them with
 * `msg.parts` whose id is the run id and whose last one carries `count`. The run is complete once
 * every index from 0 to count-1 came back (in any order, duplicates from later splits ignored).
 * A message of the run without such parts completes it at once.
 */
export interface PartsInfo {
  id?: unknown;
  index?: unknown;
  count?: unknown;
  parts?: unknown;
}

/** The run's own parts within `msg.parts` (Node-RED nests the parts of a later split as `parts.parts`). */
export function runParts(parts: unknown, runId: string): { index: number; count?: number } | undefined {
  let p = parts;
  for (let depth = 0; depth < 16 && p !== null && typeof p === 'object'; depth++) {
    const info = p as PartsInfo;
    if (info.id === runId && typeof info.index === 'number') {
      return { index: info.index, ...(typeof info.count === 'number' ? { count: info.count } : {}) };
    }
    p = info.parts;
  }
  return undefined;
}

/** Counts a run's returning parts without keeping one entry per index when they come back in order. */
export function createCompletion() {
  let next = 0;
  const ahead = new Set<number>();
  let count: number | undefined;
  return {
    /** Records one returning part; true when the run is complete. */
    arrive(index: number, total?: number): boolean {
      if (total !== undefined) count = total;
      if (Number.isInteger(index) && index >= next && !ahead.has(index)) {
        if (index === next) {
          next++;
          while (ahead.delete(next)) next++;
        } else ahead.add(index);
      }
      return count !== undefined && next >= count;
    },
    get returned() {
      return next + ahead.size;
    },
  };
}
