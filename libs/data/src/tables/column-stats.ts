import { isMissingText, parseBooleanText, parseNumberText } from './cells.js';
import {
  DISTINCT_CAP,
  MAX_CATEGORY_DISTINCT,
  MAX_PROFILE_CATEGORIES,
  SMALL_TABLE_CELLS,
  type ColumnProfile,
  type ColumnType,
} from './table-types.js';

/**
 * What one pass over a column learns, in memory bounded by DISTINCT_CAP values: missing and
 * present counts, whether every present cell is a number (with exact min, max, mean and
 * population std by Welford's method) or a boolean, and the distinct values with their counts.
 * Once DISTINCT_CAP values are counted, new values are not (the counts of the most frequent
 * values stay exact for the values already seen, which covers the categories that matter).
 */
export class ColumnStats {
  missing = 0;
  present = 0;
  private allNumbers = true;
  private allBooleans = true;
  private count = 0;
  private mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;
  /** Distinct texts with their counts; while every cell is a number, `numberCounts` instead (numbers hash faster). */
  private counts = new Map<string, number>();
  private numberCounts = new Map<number, number>();
  private capped = false;

  add(raw: string): void {
    if (isMissingText(raw)) {
      this.missing += 1;
      return;
    }
    const text = raw.trim();
    this.present += 1;
    if (this.allBooleans && parseBooleanText(text) === undefined) this.allBooleans = false;
    if (this.allNumbers) {
      const value = parseNumberText(text);
      if (value !== undefined) {
        this.addNumber(value);
        if (!this.capped) this.countDistinct(this.numberCounts, value);
        return;
      }
      this.allNumbers = false;
      // From here on texts are counted; the numbers seen so far keep their counts as texts.
      for (const [number, count] of this.numberCounts) this.counts.set(String(number), count);
      this.numberCounts.clear();
    }
    this.countDistinct(this.counts, text);
  }

  /** Counts a value; a new one past DISTINCT_CAP is not counted, and sets `capped`. */
  private countDistinct<K>(counts: Map<K, number>, key: K): void {
    const seen = counts.get(key);
    if (seen !== undefined) counts.set(key, seen + 1);
    else if (counts.size < DISTINCT_CAP) counts.set(key, 1);
    else this.capped = true;
  }

  private get distinct(): number {
    return this.allNumbers ? this.numberCounts.size : this.counts.size;
  }

  private addNumber(value: number): void {
    this.count += 1;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** See inferColumnType. */
  type(): ColumnType {
    return inferColumnType({
      present: this.present,
      distinct: this.distinct,
      distinctCapped: this.capped,
      allNumbers: this.allNumbers,
      allBooleans: this.allBooleans,
    });
  }

  /** The column's profile, less the histogram (a second pass computes it). */
  profile(name: string): ColumnProfile {
    const type = this.type();
    const profile: ColumnProfile = { name, type, missing: this.missing, distinct: this.distinct, distinctCapped: this.capped };
    if (type === 'number' && this.count > 0) {
      profile.min = this.min;
      profile.max = this.max;
      profile.mean = this.mean;
      profile.std = Math.sqrt(this.m2 / this.count);
    } else if (type !== 'number') {
      const counts: [string, number][] = this.allNumbers ? [...this.numberCounts].map(([v, n]) => [String(v), n]) : [...this.counts];
      profile.top = counts
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, MAX_PROFILE_CATEGORIES)
        .map(([value, count]) => ({ value, count }));
    }
    return profile;
  }
}

export interface TypeEvidence {
  present: number;
  distinct: number;
  distinctCapped: boolean;
  allNumbers: boolean;
  allBooleans: boolean;
}

/**
 * The type rule, over every present cell of a column:
 * - boolean: every present cell is true/false/yes/no (any case) — checked before number, and a
 *   column of 0/1 stays a number;
 * - number: every present cell is a decimal number;
 * - category: otherwise, when there are at most MAX_CATEGORY_DISTINCT (1,000) distinct values
 *   and, in a column of more than SMALL_TABLE_CELLS (40) present cells, at most half as many
 *   distinct values as present cells (values repeat, as categories do);
 * - text: the rest (names, ids, free text).
 * A column with no present cell at all is a category (it one-hot encodes to "(missing)").
 */
export function inferColumnType(evidence: TypeEvidence): ColumnType {
  if (evidence.present === 0) return 'category';
  if (evidence.allBooleans) return 'boolean';
  if (evidence.allNumbers) return 'number';
  if (evidence.distinctCapped || evidence.distinct > MAX_CATEGORY_DISTINCT) return 'text';
  if (evidence.present > SMALL_TABLE_CELLS && evidence.distinct > evidence.present / 2) return 'text';
  return 'category';
}
