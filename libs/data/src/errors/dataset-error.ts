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

  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
    this.code = code;
  }
}
