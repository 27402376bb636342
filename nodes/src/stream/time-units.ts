import { z } from 'zod';

export const timeUnitSchema = z.enum(['milliseconds', 'seconds', 'minutes', 'hours']);
export type TimeUnit = z.infer<typeof timeUnitSchema>;

const FACTOR: Record<TimeUnit, number> = { milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000 };

export const toMs = (value: number, unit: TimeUnit) => value * FACTOR[unit];
