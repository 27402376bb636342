import type { Param, PointType, ThingModel } from '@gridflow/runtime/contract';
import { compileSpec, INVALID, type ValueCheck } from './value-check.js';

/** A thing model compiled once into lookups and checks; every device message of its products uses it. */
export interface CompiledModel {
  readonly model: ThingModel;
  /**
   * Checks a `measurepoints` object in place: quality wrappers `{ value, quality }` are unwrapped
   * into `quality`. With `skipInvalid`, bad points are dropped (and named in `skipped`) instead of failing.
   */
  checkPoints(raw: unknown, skipInvalid?: boolean): PointsResult;
  /** Checks values by identifier against a parameter list (event outputs, service inputs or outputs, attributes). */
  checkEvent(eventId: string, values: unknown): ParamsResult;
  checkServiceInputs(serviceId: string, values: unknown): ParamsResult;
  checkAttributes(values: unknown, options: { partial: boolean }): ParamsResult;
  hasService(serviceId: string): boolean;
  hasEvent(eventId: string): boolean;
  pointType(identifier: string): PointType | undefined;
}

export type PointsResult =
  | { ok: true; points: Record<string, unknown>; quality: Record<string, number> | undefined; skipped: string[] | undefined }
  | { ok: false; message: string };

export type ParamsResult = { ok: true; values: Record<string, unknown> } | { ok: false; message: string };

interface CompiledPoint extends ValueCheck {
  pointType: PointType;
  hasQuality: boolean;
}

interface CompiledParams {
  byId: Map<string, ValueCheck>;
  required: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function compileParams(params: readonly Pick<Param, 'identifier' | 'spec' | 'required'>[]): CompiledParams {
  return {
    byId: new Map(params.map((p) => [p.identifier, compileSpec(p.spec)])),
    required: params.filter((p) => p.required).map((p) => p.identifier),
  };
}

function checkParams(params: CompiledParams, raw: unknown, what: string, partial = false): ParamsResult {
  if (raw === undefined || raw === null) raw = {};
  if (!isPlainObject(raw)) return { ok: false, message: `${what} must be an object` };
  if (!partial) for (const r of params.required) if (!(r in raw)) return { ok: false, message: `${what}: "${r}" is required` };
  for (const key in raw) {
    const c = params.byId.get(key);
    if (!c) return { ok: false, message: `${what}: "${key}" is not defined` };
    const out = c.check(raw[key]);
    if (out === INVALID) return { ok: false, message: `${what}: "${key}": ${c.explain(raw[key])}` };
    raw[key] = out;
  }
  return { ok: true, values: raw };
}

export function compileModel(model: ThingModel): CompiledModel {
  const points = new Map<string, CompiledPoint>();
  for (const p of model.measurePoints) {
    points.set(p.identifier, { ...compileSpec(p.spec), pointType: p.pointType, hasQuality: p.hasQuality });
  }
  const events = new Map(model.events.map((e) => [e.identifier, compileParams(e.outputs)]));
  const services = new Map(model.services.map((s) => [s.identifier, compileParams(s.inputs)]));
  const attributes = compileParams(model.attributes);
  const modelId = model.id;

  return {
    model,
    checkPoints(raw, skipInvalid = false) {
      if (!isPlainObject(raw)) return { ok: false, message: 'measurepoints must be an object' };
      let quality: Record<string, number> | undefined;
      let skipped: string[] | undefined;
      for (const key in raw) {
        const point = points.get(key);
        let value = raw[key];
        let problem: string | undefined;
        if (!point) problem = `measure point "${key}" is not defined in model "${modelId}"`;
        else {
          // EnOS devices may send { value, quality } for any point.
          if (isPlainObject(value) && 'value' in value && (point.hasQuality || 'quality' in value)) {
            const q = value['quality'];
            if (q !== undefined) {
              if (typeof q !== 'number' || !Number.isInteger(q)) problem = `measure point "${key}": quality must be an integer`;
              else (quality ??= {})[key] = q;
            }
            value = value['value'];
          }
          if (problem === undefined) {
            const out = point.check(value);
            if (out === INVALID) problem = `measure point "${key}": ${point.explain(value)}`;
            else raw[key] = out;
          }
        }
        if (problem !== undefined) {
          if (!skipInvalid) return { ok: false, message: problem };
          (skipped ??= []).push(key);
          delete raw[key];
        }
      }
      return { ok: true, points: raw, quality, skipped };
    },
    checkEvent(eventId, values) {
      const params = events.get(eventId);
      if (!params) return { ok: false, message: `event "${eventId}" is not defined in model "${modelId}"` };
      return checkParams(params, values, `event "${eventId}"`);
    },
    checkServiceInputs(serviceId, values) {
      const params = services.get(serviceId);
      if (!params) return { ok: false, message: `service "${serviceId}" is not defined in model "${modelId}"` };
      return checkParams(params, values, `service "${serviceId}" input`);
    },
    checkAttributes(values, { partial }) {
      return checkParams(attributes, values, 'attributes', partial);
    },
    hasService: (id) => services.has(id),
    hasEvent: (id) => events.has(id),
    pointType: (id) => points.get(id)?.pointType,
  };
}
