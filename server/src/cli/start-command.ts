import { ConfigError, loadConfig } from '../config.js';
import { errorMessage } from '@gridflow/runtime';
import { defaultModules } from '../modules.js';
import { createServer } from '../server.js';
import { parseArgs } from 'node:util';
import { portFlag, usageErrors } from './args.js';
import { UsageError, type Command } from './usage.js';

export const startCommand: Command = {
  summary: 'start the server: editor, API and flows',
  usage: `gridflow start [--config <file>] [--port <n>] [--host <addr>] [--data-dir <dir>]`,
  async run(args, io) {
    const { values, positionals } = usageErrors(() =>
      parseArgs({
        args,
        strict: true,
        allowPositionals: true,
        options: {
          config: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          'data-dir': { type: 'string' },
        },
      }),
    );
    if (positionals.length) throw new UsageError(`start takes no arguments, got "${positionals.join(' ')}"`);
    let config;
    try {
      config = loadConfig({
        ...(values.config !== undefined ? { file: values.config } : {}),
        env: io.env,
        cwd: io.cwd,
        overrides: { port: portFlag(values.port), host: values.host, dataDir: values['data-dir'] },
      });
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr(`gridflow: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    let server;
    try {
      server = await createServer(config, { modules: defaultModules(config) });
    } catch (err) {
      io.stderr(`gridflow: cannot start: ${errorMessage(err)}\n`);
      return 1;
    }
    let url: string;
    try {
      ({ url } = await server.listen());
    } catch (err) {
      io.stderr(`gridflow: ${errorMessage(err)}\n`);
      await server.close();
      return 1;
    }
    io.stdout(`Gridflow is running at ${url}\n`);
    io.stdout(`Data directory: ${config.dataDir}\n`);
    if (server.firstAdmin?.password) {
      io.stdout(
        `\nFirst start: created the user "${server.firstAdmin.username}" with the password\n\n    ${server.firstAdmin.password}\n\n` +
          `It is shown only this once; change it after logging in, or set GRIDFLOW_ADMIN_PASSWORD before the first start.\n\n`,
      );
    } else if (server.firstAdmin) {
      io.stdout(`First start: created the user "${server.firstAdmin.username}" with the password from GRIDFLOW_ADMIN_PASSWORD.\n`);
    }
    const signal = await io.stopSignal();
    io.stderr(`gridflow: ${signal}: stopping\n`);
    await server.close();
    return 0;
  },
};
