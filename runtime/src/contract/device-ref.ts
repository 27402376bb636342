import { z } from 'zod';

// Apart from devices.ts so that the edge contract (loaded by the edge agent) does not build every
// device and thing-model schema for the one reference it needs.

/** productKey / deviceKey: letters, digits, _ . - (they appear in MQTT topics and usernames). */
export const keySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits and _ . - only');

export const deviceRefSchema = z.object({ productKey: keySchema, deviceKey: keySchema });
export type DeviceRef = z.infer<typeof deviceRefSchema>;
