import type { StoragePolicy, StoragePolicyPatch, StoragePolicyView, ThingModel } from '@gridflow/runtime/contract';
import type { SqlClient } from '@gridflow/nodes/storage';
import { ApiFailure } from '../errors.js';
import type { Logger } from '../logger.js';
import { applyPolicy, type ApplyResult } from './policy-apply.js';
import type { StoragePolicyStore } from './policy-store.js';
import { applyPatch, defaultPolicy, pointsOf, productTable, type StoredPointInfo } from './policy.js';
import { projectStorage } from './projection.js';

/**
 * Storage policies at run time: the REST operations (each change applied to QuestDB before it is
 * answered), and what the device ingest asks on every message (is this product stored, where, and
 * how is each point typed). The ingest's lookups are synchronous, from a cache kept here.
 */

/** What storage needs from device management: products and their thing models. */
export interface ProductCatalog {
  getProduct(productKey: string): Promise<{ productKey: string; modelId: string; devices: number } | undefined>;
  getModel(modelId: string): Promise<ThingModel | undefined>;
}

export interface ActiveProduct {
  policy: StoragePolicy;
  table: string;
  points: ReadonlyMap<string, StoredPointInfo>;
}

export interface StorageService {
  list(): Promise<StoragePolicyView[]>;
  get(productKey: string): Promise<StoragePolicyView>;
  patch(productKey: string, patch: StoragePolicyPatch): Promise<StoragePolicyView>;
  preview(productKey: string, patch: StoragePolicyPatch): Promise<StoragePolicyView>;
  remove(productKey: string): Promise<void>;
  /** The product's policy when its data is being stored; undefined otherwise. */
  active(productKey: string): ActiveProduct | undefined;
  /** The product's policy, stored or paused (reads go on after storing stopped); undefined without one. */
  lookup(productKey: string): ActiveProduct | undefined;
  /** The product whose table this is. */
  productOfTable(table: string): string | undefined;
  /** Re-reads the thing model (a point appeared that the cache does not know) and adds its columns. */
  refreshModel(productKey: string): Promise<ActiveProduct | undefined>;
  /** Makes sure the table is applied in QuestDB (tables whose apply failed at start are applied here, later). */
  prepareTable(table: string): Promise<void>;
  /** Loads every policy and applies it; a failure is logged and left to prepareTable to retry. */
  start(): Promise<void>;
}

export interface StorageServiceOptions {
  store: StoragePolicyStore;
  catalog: ProductCatalog;
  sql: SqlClient;
  logger: Logger;
  now?: () => Date;
}

interface Entry extends ActiveProduct {
  applied: boolean;
}

export function createStorageService(options: StorageServiceOptions): StorageService {
  const { store, catalog, sql, logger } = options;
  const now = () => (options.now ? options.now() : new Date()).toISOString();
  const cache = new Map<string, Entry>();
  const byTable = new Map<string, string>();
  const applying = new Map<string, Promise<void>>();

  async function productAndModel(productKey: string) {
    const product = await catalog.getProduct(productKey);
    if (!product) throw new ApiFailure('NOT_FOUND', `product "${productKey}" does not exist`);
    const model = await catalog.getModel(product.modelId);
    if (!model)
      throw new ApiFailure('NOT_FOUND', `thing model "${product.modelId}" of product "${productKey}" does not exist`);
    return { product, model };
  }

  function remember(policy: StoragePolicy, points: StoredPointInfo[], applied: boolean): Entry {
    const entry: Entry = {
      policy,
      table: productTable(policy.productKey),
      points: new Map(points.map((p) => [p.identifier, p])),
      applied,
    };
    cache.set(policy.productKey, entry);
    byTable.set(entry.table.toLowerCase(), policy.productKey);
    return entry;
  }

  async function apply(policy: StoragePolicy, points: StoredPointInfo[]): Promise<ApplyResult> {
    const result = await applyPolicy(sql, store, policy, points);
    if (result.tableCreated || result.columnsAdded.length || result.rebuilt.length || result.dropped.length) {
      logger.info(
        `storage ${policy.productKey}: table ${result.table}${result.tableCreated ? ' created' : ''}` +
          `${result.columnsAdded.length ? `, columns added: ${result.columnsAdded.join(', ')}` : ''}` +
          `${result.rebuilt.length ? `, views built: ${result.rebuilt.join(', ')}` : ''}` +
          `${result.dropped.length ? `, views dropped: ${result.dropped.join(', ')}` : ''}`,
      );
    }
    return result;
  }

  /** Rows per device over the last day of data (back-filled data counts too); undefined before data exists. */
  async function measuredRate(table: string): Promise<number | undefined> {
    try {
      const newest = await sql.query<{ ts: Date | null }>(`SELECT max(ts) ts FROM "${table}"`);
      const last = newest.rows[0]?.ts;
      if (!last) return undefined;
      const { rows } = await sql.query<{ n: number; devices: number }>(
        `SELECT count() n, count_distinct(device) devices FROM "${table}" WHERE ts > $1`,
        [new Date(last.getTime() - 86_400_000)],
      );
      const r = rows[0];
      return r && r.devices > 0 ? r.n / r.devices : undefined;
    } catch {
      return undefined; // no table yet, or QuestDB unreachable: the projection falls back to the declared rate
    }
  }

  async function view(policy: StoragePolicy, measure = true): Promise<StoragePolicyView> {
    const { product, model } = await productAndModel(policy.productKey);
    const points = pointsOf(model, policy);
    const table = productTable(policy.productKey);
    const downsampled = points.some((p) => p.downsampled);
    return {
      ...policy,
      table,
      views: downsampled
        ? policy.tiers.filter((t) => t.enabled).map((t) => ({ tier: t.tier, name: `${table}_${t.tier}` }))
        : [],
      modelPoints: points.map((p) => ({
        identifier: p.identifier,
        columnType: p.type.toUpperCase(),
        numeric: p.numeric,
        stored: p.stored,
        downsampled: p.downsampled,
      })),
      projection: projectStorage({
        policy,
        points,
        devices: product.devices,
        measuredRowsPerDevicePerDay: measure ? await measuredRate(table) : undefined,
      }),
    };
  }

  async function applyEntry(productKey: string): Promise<void> {
    const running = applying.get(productKey);
    if (running) return running;
    const job = (async () => {
      const policy = await store.get(productKey);
      if (!policy) return;
      const { model } = await productAndModel(productKey);
      const points = pointsOf(model, policy);
      await apply(policy, points);
      remember(policy, points, true);
    })().finally(() => applying.delete(productKey));
    applying.set(productKey, job);
    return job;
  }

  function active(productKey: string): ActiveProduct | undefined {
    const entry = cache.get(productKey);
    return entry && entry.policy.store ? entry : undefined;
  }

  return {
    async list() {
      const policies = await store.list();
      const views: StoragePolicyView[] = [];
      for (const p of policies) {
        try {
          views.push(await view(p));
        } catch (err) {
          logger.warn(`storage policy of ${p.productKey}: ${(err as Error).message}`);
        }
      }
      return views;
    },
    async get(productKey) {
      const policy = await store.get(productKey);
      if (!policy)
        throw new ApiFailure('NOT_FOUND', `product "${productKey}" has no storage policy (nothing of it is stored)`);
      return view(policy);
    },
    async patch(productKey, patch) {
      const { model } = await productAndModel(productKey);
      const existing = await store.get(productKey);
      const policy = applyPatch(existing ?? defaultPolicy(productKey, now()), patch, now());
      const points = pointsOf(model, policy);
      // Saved first (applying records the views it built), taken back when QuestDB refuses it.
      await store.put(policy);
      try {
        await apply(policy, points);
      } catch (err) {
        if (existing) await store.put(existing);
        else await store.delete(productKey);
        throw new ApiFailure('CONFLICT', `the policy could not be applied in QuestDB: ${(err as Error).message}`);
      }
      remember(policy, points, true);
      return view(policy);
    },
    async preview(productKey, patch) {
      const before = (await store.get(productKey)) ?? defaultPolicy(productKey, now());
      return view(applyPatch(before, patch, now()));
    },
    async remove(productKey) {
      if (!(await store.delete(productKey)))
        throw new ApiFailure('NOT_FOUND', `product "${productKey}" has no storage policy`);
      const entry = cache.get(productKey);
      cache.delete(productKey);
      if (entry) byTable.delete(entry.table.toLowerCase());
    },
    active,
    lookup: (productKey) => cache.get(productKey),
    productOfTable: (table) => byTable.get(table.toLowerCase()),
    async refreshModel(productKey) {
      await applyEntry(productKey);
      return active(productKey);
    },
    async prepareTable(table) {
      const productKey = byTable.get(table.toLowerCase());
      if (!productKey) return;
      if (!cache.get(productKey)?.applied) await applyEntry(productKey);
    },
    async start() {
      for (const policy of await store.list()) {
        try {
          const { model } = await productAndModel(policy.productKey);
          const points = pointsOf(model, policy);
          remember(policy, points, false);
          await applyEntry(policy.productKey);
        } catch (err) {
          logger.warn(`storage policy of ${policy.productKey} not applied yet: ${(err as Error).message}`);
        }
      }
    },
  };
}
