import { canonicalJson } from '@trainyard/contract';

/**
 * The example whose JSON `text` holds (same value, any layout or key order), or undefined when
 * the text is not one of them: edited, or not JSON at all. The "start from" picker shows it.
 */
export function exampleOf(text: string, examples: Readonly<Record<string, unknown>>): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const canonical = canonicalJson(value);
  return Object.keys(examples).find((name) => canonicalJson(examples[name]) === canonical);
}

/** An example as the editor shows it. */
export function exampleText(example: unknown): string {
  return JSON.stringify(example, null, 2);
}
