import { describe, expect, it } from 'vitest';
import { metricsRecordSchema, RUN_RECORD_VERSION, upgradeRunRecord } from './run-record.schema.js';

describe('run record', () => {
  it('reads a metric stored as null (an Infinity or NaN written by an older build) as absent, so the run still reads', () => {
    expect(metricsRecordSchema.parse({ loss: null, mae: 0.5 })).toEqual({ mae: 0.5 });
    const record = upgradeRunRecord(RUN_RECORD_VERSION, { testMetrics: { loss: null, accuracy: 0.9 } });
    expect(record.testMetrics).toEqual({ accuracy: 0.9 });
  });

  it('still refuses a metric that is not a number', () => {
    expect(metricsRecordSchema.safeParse({ loss: 'high' }).success).toBe(false);
  });
});
