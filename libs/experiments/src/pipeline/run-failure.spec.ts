import { DatasetError } from '@trainyard/data';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './run-failure.js';

describe('describeFailure', () => {
  it('retries a download that may pass later, not one from a machine without network access', () => {
    expect(describeFailure(new DatasetError('DOWNLOAD_FAILED', 'HTTP 503', { transient: true }))).toMatchObject({ kind: 'dataset', retryable: true });
    // Offline: the README promises it fails at once, not after BullMQ's three attempts.
    expect(describeFailure(new DatasetError('DOWNLOAD_FAILED', 'EAI_AGAIN', { transient: false }))).toMatchObject({ kind: 'dataset', retryable: false });
    expect(describeFailure(new DatasetError('PARSE_ERROR', 'line 3'))).toMatchObject({ retryable: false });
  });
});
