/** The comparison a threshold alert watches, with the hysteresis that keeps it from chattering. */
export const conditionOps = ['>', '>=', '<', '<=', '==', '!=', 'between', 'outside'] as const;
export type ConditionOp = (typeof conditionOps)[number];

export interface Condition {
  op: ConditionOp;
  /** The limit; the low limit for between/outside. */
  threshold: number;
  /** The high limit for between/outside. */
  threshold2: number;
  /** How far back past the limit a value must go before the alert clears. */
  hysteresis: number;
}

/** True when the value should raise the alert. */
export function raises(c: Condition, v: number): boolean {
  switch (c.op) {
    case '>':
      return v > c.threshold;
    case '>=':
      return v >= c.threshold;
    case '<':
      return v < c.threshold;
    case '<=':
      return v <= c.threshold;
    case '==':
      return v === c.threshold;
    case '!=':
      return v !== c.threshold;
    case 'between':
      return v >= c.threshold && v <= c.threshold2;
    case 'outside':
      return v < c.threshold || v > c.threshold2;
  }
}

/**
 * True when the value should clear a raised alert: past the limit by the hysteresis. Values in
 * between neither raise nor clear, so a signal hovering at the limit does not flap.
 */
export function clears(c: Condition, v: number): boolean {
  const h = c.hysteresis;
  switch (c.op) {
    case '>':
      return v <= c.threshold - h;
    case '>=':
      return v < c.threshold - h;
    case '<':
      return v >= c.threshold + h;
    case '<=':
      return v > c.threshold + h;
    case '==':
      return Math.abs(v - c.threshold) > h;
    case '!=':
      return Math.abs(v - c.threshold) <= h;
    case 'between':
      return v < c.threshold - h || v > c.threshold2 + h;
    case 'outside':
      return v >= c.threshold + h && v <= c.threshold2 - h;
  }
}

/** The condition as text for alert messages: "> 80", "between 10 and 20". */
export function describeCondition(c: Condition): string {
  if (c.op === 'between' || c.op === 'outside') return `${c.op} ${c.threshold} and ${c.threshold2}`;
  return `${c.op} ${c.threshold}`;
}
