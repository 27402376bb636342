import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

const RESERVED = /^\/(api|socket\.io|metrics|flows|auth)(\/|$)/;

const placeholder = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gridflow</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>Gridflow is running</h1>
<p>The editor has not been built yet. Build it with</p>
<pre><code>npm run build:editor</code></pre>
<p>and reload this page. The API is available under <code>/api</code> (see <code>/api/health</code>).</p>
</body></html>`;

/**
 * Serves the built editor at `/`, with the SPA fallback (any other GET that is not an API path
 * gets index.html). When the bundle is missing, a page says how to build it. The bundle is
 * looked up on each request, so building it while the server runs is enough.
 */
export function editorStatic(editorDir: string): Router {
  const router = Router();
  const index = join(editorDir, 'index.html');
  const serve = express.static(editorDir, { index: false, maxAge: '1h' });
  router.use((req, res, next) => {
    if (RESERVED.test(req.path)) return next();
    if (!existsSync(index)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.status(200).type('html').send(placeholder);
      return;
    }
    // index.html must not be cached: it names the hashed asset files of the current build.
    if (req.path === '/' || req.path === '/index.html') {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
      return;
    }
    serve(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // Missing assets are a 404; other paths are client-side routes of the SPA.
      if (/\.[a-z0-9]+$/i.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
  return router;
}
