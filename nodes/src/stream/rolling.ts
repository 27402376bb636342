/**
 * A fixed-size ring of the last N values with running sum and sum of squares: O(1) per value.
 * The sums are recomputed from the ring each time it wraps, so float drift cannot build up.
 */
export interface RollingWindow {
  readonly capacity: number;
  readonly count: number;
  push(x: number): void;
  mean(): number;
  /** Population standard deviation of the values held. */
  std(): number;
  clear(): void;
}

export function createRollingWindow(capacity: number): RollingWindow {
  const ring = new Float64Array(capacity);
  let count = 0;
  let index = 0;
  let sum = 0;
  let sumSq = 0;
  return {
    capacity,
    get count() {
      return count;
    },
    push(x) {
      if (count === capacity) {
        const old = ring[index] as number;
        sum -= old;
        sumSq -= old * old;
      } else count++;
      ring[index] = x;
      sum += x;
      sumSq += x * x;
      index++;
      if (index === capacity) {
        index = 0;
        sum = 0;
        sumSq = 0;
        for (let i = 0; i < count; i++) {
          const v = ring[i] as number;
          sum += v;
          sumSq += v * v;
        }
      }
    },
    mean: () => (count ? sum / count : NaN),
    std() {
      if (!count) return NaN;
      const m = sum / count;
      return Math.sqrt(Math.max(0, sumSq / count - m * m));
    },
    clear() {
      count = index = sum = sumSq = 0;
    },
  };
}

/**
 * Exponentially weighted mean and variance (West's incremental form): with weight `alpha` for
 * the newest value, variance' = (1 - alpha) * (variance + alpha * delta^2).
 */
export interface Ewma {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
  update(x: number): void;
  clear(): void;
}

export function createEwma(alpha: number): Ewma {
  let count = 0;
  let mean = 0;
  let variance = 0;
  return {
    get count() {
      return count;
    },
    get mean() {
      return mean;
    },
    get variance() {
      return variance;
    },
    update(x) {
      if (count === 0) {
        mean = x;
        variance = 0;
      } else {
        const d = x - mean;
        mean += alpha * d;
        variance = (1 - alpha) * (variance + alpha * d * d);
      }
      count++;
    },
    clear() {
      count = mean = variance = 0;
    },
  };
}

/**
 * How far `x` lies from a baseline, in standard deviations. A flat baseline (deviation 0) scores
 * 0 for the same value and Infinity for any other.
 */
export function zScore(x: number, mean: number, std: number): number {
  const d = Math.abs(x - mean);
  if (std > 0) return d / std;
  return d === 0 ? 0 : Infinity;
}
