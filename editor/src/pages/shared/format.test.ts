import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatDuration, formatValue } from './format.js';

describe('page formatting', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatAgo('2026-01-01T11:59:50Z', now)).toBe('10 s ago');
    expect(formatAgo('2026-01-01T11:30:00Z', now)).toBe('30 min ago');
    expect(formatAgo(null, now)).toBe('never');
  });

  it('formats cell values', () => {
    expect(formatValue(1.23456789012)).toBe('1.2345679');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(null)).toBe('—');
  });
});
