import { describe, expect, it } from 'vitest';
import { readDashboardEnv } from './env.js';

describe('the dashboard server environment', () => {
  it('takes a token of visible ASCII characters, the only ones an HTTP header carries', () => {
    expect(readDashboardEnv({ TRAINYARD_API_TOKEN: 's3cret-Token_1' }).TRAINYARD_API_TOKEN).toBe('s3cret-Token_1');
    for (const token of ['', 'two words', 'tökén', 'tab\there']) {
      expect(() => readDashboardEnv({ TRAINYARD_API_TOKEN: token })).toThrow(/invalid environment: TRAINYARD_API_TOKEN: must be visible ASCII characters/);
    }
  });

  it('opens reads only when TRAINYARD_PUBLIC_READS says so, and refuses a value it cannot read', () => {
    expect(readDashboardEnv({}).TRAINYARD_PUBLIC_READS).toBe(false);
    expect(readDashboardEnv({ TRAINYARD_PUBLIC_READS: 'true' }).TRAINYARD_PUBLIC_READS).toBe(true);
    expect(readDashboardEnv({ TRAINYARD_PUBLIC_READS: 'false' }).TRAINYARD_PUBLIC_READS).toBe(false);
    expect(() => readDashboardEnv({ TRAINYARD_PUBLIC_READS: 'maybe' })).toThrow(/invalid environment: TRAINYARD_PUBLIC_READS/);
  });

  it('reads the port as a number and refuses one out of range', () => {
    expect(readDashboardEnv({ PORT: '8080' }).PORT).toBe(8080);
    expect(() => readDashboardEnv({ PORT: '70000' })).toThrow(/invalid environment: PORT/);
  });
});
