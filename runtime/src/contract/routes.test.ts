import { describe, expect, it } from 'vitest';
import { deviceEndpoints } from './devices.js';
import { endpoints } from './endpoints.js';
import { apiRoutes } from './routes.js';
import { storageEndpoints } from './storage.js';
import { timeseriesEndpoints } from './timeseries.js';

describe('apiRoutes', () => {
  it('holds every table whole: no route name is shadowed by another table', () => {
    const tables = [endpoints, deviceEndpoints, timeseriesEndpoints, storageEndpoints];
    const names = tables.flatMap((t) => Object.keys(t));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(apiRoutes).length).toBe(names.length);
  });

  it('lists each method and path once', () => {
    const keys = Object.values(apiRoutes).map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
