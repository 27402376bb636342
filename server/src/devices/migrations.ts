import type { MigrationSet } from '../store/db.js';

/** Schema of the device registry: thing models, products, devices (with topology and latest values). */
export const deviceMigrations: MigrationSet = {
  module: 'devices',
  migrations: [
    {
      version: 1,
      name: 'thing models, products, devices',
      up: `
        CREATE TABLE thing_models (
          id TEXT PRIMARY KEY,
          body TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE products (
          product_key TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          description TEXT,
          model_id TEXT NOT NULL REFERENCES thing_models(id),
          auth_mode TEXT NOT NULL,
          node_type TEXT NOT NULL,
          product_secret TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX products_by_model ON products(model_id);
        CREATE TABLE devices (
          product_key TEXT NOT NULL REFERENCES products(product_key),
          device_key TEXT NOT NULL,
          name TEXT NOT NULL,
          description TEXT,
          device_secret TEXT NOT NULL,
          attributes TEXT NOT NULL DEFAULT '{}',
          state TEXT NOT NULL DEFAULT 'inactive',
          disabled INTEGER NOT NULL DEFAULT 0,
          last_seen TEXT,
          points TEXT NOT NULL DEFAULT '{}',
          gateway_product_key TEXT,
          gateway_device_key TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (product_key, device_key),
          FOREIGN KEY (gateway_product_key, gateway_device_key) REFERENCES devices(product_key, device_key) ON DELETE SET NULL
        );
        CREATE INDEX devices_by_gateway ON devices(gateway_product_key, gateway_device_key);
        CREATE INDEX devices_by_state ON devices(state);
      `,
    },
  ],
};
