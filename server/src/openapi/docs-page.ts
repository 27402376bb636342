import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

/**
 * The interactive API page at /api/docs: Swagger UI from the swagger-ui-dist npm package, served
 * by this server so the page works without internet access. The start-up script is a file, not
 * inline, and the online spec validator is switched off (it would call an outside host).
 */

const uiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files of the package the page needs; nothing else of node_modules is reachable. */
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// Relative URLs: the page is /api/docs, so `docs/…` is /api/docs/… and `openapi.json` is /api/openapi.json.
const page = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Gridflow API</title>
    <link rel="stylesheet" href="docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
    <style>body { margin: 0 } .swagger-ui .topbar { display: none }</style>
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

// "Try it out" sends the browser's session cookie, so a logged-in editor user can call the API here.
const init = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    withCredentials: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // 160-odd schema components: rendering them all at the bottom of the page costs seconds.
    defaultModelsExpandDepth: -1,
  });
});
`;

/** Routes for the page, to mount on the /api router. */
export function docsRoutes(): Router {
  const router = Router({ strict: true });
  router.get('/docs', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(page);
  });
  // The page's relative URLs only work without a trailing slash.
  router.get('/docs/', (_req, res) => res.redirect(301, '../docs'));
  router.get('/docs/init.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(init);
  });
  router.get('/docs/:asset', (req, res, next) => {
    const name = req.params.asset;
    const type = assets[name];
    if (!type) return next();
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(uiDir, name));
  });
  return router;
}
