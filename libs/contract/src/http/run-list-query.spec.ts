import { describe, expect, it } from 'vitest';
import { runListQuerySchema } from './api-contract.js';

describe('runListQuerySchema', () => {
  it('takes statuses in any case, as `ls --status failed` sends them', () => {
    expect(runListQuerySchema.parse({ status: 'failed,Cancelled' }).status).toEqual(['FAILED', 'CANCELLED']);
    expect(runListQuerySchema.safeParse({ status: 'broken' }).success).toBe(false);
  });

  it('takes a run id prefix of at least 4 hex digits', () => {
    expect(runListQuerySchema.parse({ idPrefix: '87a7' }).idPrefix).toBe('87a7');
    expect(runListQuerySchema.safeParse({ idPrefix: '87a' }).success).toBe(false);
    expect(runListQuerySchema.safeParse({ idPrefix: '87a7%' }).success).toBe(false);
  });
});
