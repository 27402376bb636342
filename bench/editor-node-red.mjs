// Serves Node-RED 4.1's own editor (admin UI, no auth) on a free port with the flows file given,
// for the editor benchmark; prints "NR_PORT <port>" once it listens.
import { basename } from 'node:path';
import http from 'node:http';
import express from 'express';
import RED from 'node-red';

const [flowFile, userDir] = process.argv.slice(2);
const app = express();
const server = http.createServer(app);
RED.init(server, {
  userDir,
  flowFile: basename(flowFile),
  httpAdminRoot: '/',
  httpNodeRoot: '/nr-api',
  uiHost: '127.0.0.1',
  logging: { console: { level: 'error', metrics: false, audit: false } },
  editorTheme: { tours: false, palette: { editable: false }, projects: { enabled: false } },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
});
app.use('/', RED.httpAdmin);
app.use('/nr-api', RED.httpNode);
server.listen(0, '127.0.0.1', () => {
  RED.start().then(
    () => console.log(`NR_PORT ${server.address().port}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
