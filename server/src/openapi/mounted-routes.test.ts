import { describe, expect, it } from 'vitest';
import express, { Router } from 'express';
import { mountedRoutes } from './mounted-routes.js';

describe('mountedRoutes', () => {
  it('lists routes of nested routers with their mount paths', () => {
    const app = express();
    const inner = Router();
    inner.get('/things/:id', (_req, res) => res.end());
    inner
      .route('/things')
      .get((_req, res) => res.end())
      .post((_req, res) => res.end());
    const api = Router();
    api.use('/v1', inner);
    api.use((_req, _res, next) => next());
    app.use('/api', api);
    app.delete(['/a', '/b'], (_req, res) => res.end());
    app.all('/any', (_req, res) => res.end());
    app.use(express.static('/nonexistent'));

    expect(mountedRoutes(app)).toEqual([
      { method: 'GET', path: '/api/v1/things/:id' },
      { method: 'GET', path: '/api/v1/things' },
      { method: 'POST', path: '/api/v1/things' },
      { method: 'DELETE', path: '/a' },
      { method: 'DELETE', path: '/b' },
      { method: 'ALL', path: '/any' },
    ]);
  });
});
