import type { FieldPlan } from '../field-plan.js';

export interface FieldProps {
  plan: FieldPlan;
  /** The object the field edits (a node, or one item of a list). */
  obj: Record<string, unknown>;
  onPatch(patch: Record<string, unknown>): void;
  /** data-testid of the field's main control. */
  testId: string;
}

export const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
