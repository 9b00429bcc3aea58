export type DatasetErrorCode =
  | 'NOT_FOUND'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'PARSE_ERROR'
  | 'MISSING_COLUMN'
  | 'EMPTY'
  | 'INVALID_SPEC';

/** The one error class of @trainyard/data; callers map `code` (e.g. to HTTP statuses or retry decisions). */
export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  /**
   * Whether trying again later may succeed (a download that timed out or got a 5xx), as
   * opposed to a machine without network access, where it fails the same way every time.
   */
  readonly transient: boolean;

  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.name = 'DatasetError';
    this.code = code;
    this.transient = options?.transient ?? false;
  }
}
