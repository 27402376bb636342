import type { ThingModel } from '@gridflow/runtime/contract';
import { compileModel, type CompiledModel } from './compiled-model.js';
import type { DeviceStore } from './store.js';

/**
 * Compiled thing models by id. Sessions load their model at connect (async); the message path
 * then only does a synchronous lookup. A model changed through the registry is recompiled at once.
 */
export interface ModelCache {
  get(modelId: string): CompiledModel | undefined;
  load(modelId: string): Promise<CompiledModel | undefined>;
  set(model: ThingModel): CompiledModel;
  delete(modelId: string): void;
}

export function createModelCache(store: DeviceStore): ModelCache {
  const compiled = new Map<string, CompiledModel>();
  return {
    get: (id) => compiled.get(id),
    async load(id) {
      const hit = compiled.get(id);
      if (hit) return hit;
      const record = await store.getModel(id);
      if (!record) return undefined;
      // A concurrent load may have finished first; keep one instance.
      const again = compiled.get(id);
      if (again) return again;
      const c = compileModel(record.model);
      compiled.set(id, c);
      return c;
    },
    set(model) {
      const c = compileModel(model);
      compiled.set(model.id, c);
      return c;
    },
    delete: (id) => void compiled.delete(id),
  };
}
