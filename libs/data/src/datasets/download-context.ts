import type { DatasetSource } from './canonical-sources.js';

/** What a downloadable dataset's loader needs from LoadDatasetOptions, with defaults applied. */
export interface DownloadContext {
  dataHome: string;
  fetch: typeof fetch;
  /** undefined = the canonical source. */
  source: DatasetSource | undefined;
  onProgress: ((message: string) => void) | undefined;
}
