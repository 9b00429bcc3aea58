import type { JsonValue } from '@trainyard/contract';

/** A parameter's value as the tables and charts show it: a string as is, anything else as JSON (— where a trial has none). */
export function paramText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '—');
}

/** The numbers, when every value is a finite number (a learning rate, a layer's units); null otherwise (an activation name). */
export function numericValues(values: readonly (JsonValue | undefined)[]): number[] | null {
  return values.length > 0 && values.every((v): v is number => typeof v === 'number' && Number.isFinite(v)) ? [...values] : null;
}

/** Distinct values in the order given, compared by their text. */
export function distinctTexts(values: readonly unknown[]): string[] {
  return [...new Set(values.map(paramText))];
}
