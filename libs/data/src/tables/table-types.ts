/*
 * Tables as users bring them: a header and rows of text, numbers and missing cells. The shapes
 * here are plain TypeScript so that every package can use them; @trainyard/contract checks
 * them at the boundaries with zod (its table-profile schema satisfies these types).
 */

/** A cell before preprocessing: a number, a text, or missing (null). */
export type Cell = number | string | null;

/**
 * number: every present cell is a finite number; boolean: every present cell is true/false
 * (also yes/no, case-insensitive); category: a few distinct texts; text: too many distinct
 * texts to be a category (refused as a feature unless the definition says otherwise).
 */
export const COLUMN_TYPES = ['number', 'category', 'boolean', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Cells read as missing (pandas' defaults, less the rarely meant ones). */
export const MISSING_CELLS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A'];

/** Most categories a profile lists (the most frequent first); `distinct` says how many there are. */
export const MAX_PROFILE_CATEGORIES = 20;
/** Bins of a numeric column's histogram (equal width between min and max). */
export const HISTOGRAM_BINS = 20;
/** Rows a profile keeps as the table's preview. */
export const PREVIEW_ROWS = 20;
/** Distinct values a profile counts per column; past it, `distinctCapped` is set (such a column is text). */
export const DISTINCT_CAP = 10_000;
/**
 * Type inference of a column with texts that are neither numbers nor booleans: a category when
 * it has at most MAX_CATEGORY_DISTINCT distinct values and, over SMALL_TABLE_CELLS present
 * cells, at most half as many distinct values as present cells; otherwise text (free text,
 * names, ids: not a feature unless the definition makes it a category).
 */
export const MAX_CATEGORY_DISTINCT = 1_000;
export const SMALL_TABLE_CELLS = 40;
/** The category a missing cell of a category or boolean column becomes (unless imputed). */
export const MISSING_CATEGORY = '(missing)';

/** Delimiters a table may use, detected from its header line. */
export type Delimiter = ',' | ';' | '\t';

export interface Histogram {
  /** HISTOGRAM_BINS + 1 edges from min to max (one bin when min = max). */
  edges: number[];
  counts: number[];
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Cells read as missing (see MISSING_CELLS). */
  missing: number;
  /** Distinct present values; counting stops past a cap (`distinctCapped`). */
  distinct: number;
  distinctCapped: boolean;
  /** type number only. */
  min?: number;
  max?: number;
  mean?: number;
  /** Population standard deviation (ddof 0, as scikit-learn's StandardScaler). */
  std?: number;
  histogram?: Histogram;
  /** category, boolean and text: the most frequent values with their counts, most frequent first. */
  top?: { value: string; count: number }[];
}

export interface TableProfile {
  format: 'csv' | 'tsv';
  /** The delimiter detected from the header line. */
  delimiter: Delimiter;
  rows: number;
  columns: ColumnProfile[];
  /** The first PREVIEW_ROWS rows, as the file has them (missing cells as null, numbers of number columns as numbers). */
  preview: Cell[][];
}

/** Per-column choices of a definition (preprocessing.columns), scikit-learn's names. */
export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant' | 'drop';
export interface ColumnOptions {
  /** Overrides the inferred type (a text column cannot be a feature; make it a category or leave it out). */
  type?: 'number' | 'category' | 'boolean';
  /**
   * Missing cells: imputed with the training part's mean, median or most frequent value, a
   * constant (`fillValue`), or the row dropped (before the split). Defaults: numbers `median`,
   * categories and booleans keep missing as a category of its own.
   */
  impute?: ImputeStrategy;
  fillValue?: number | string;
}
