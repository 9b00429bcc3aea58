import { isForbiddenFieldKey, parseFieldPath, type FieldKey } from '../definition/definition-paths.js';

type Container = Record<string, unknown> | unknown[];

/**
 * A deep copy of `target` with the value at `path` replaced; missing objects and lists on the
 * way are created. Only own properties of plain copies are read or written: `__proto__`,
 * `constructor` and `prototype` are refused (a sweep's paths are checked against the
 * definition schema before this; this is the second line), and a value of the wrong kind on
 * the way (a number where an object is needed) is replaced by a fresh object or list.
 */
export function setField(target: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = parseFieldPath(path);
  if (!keys || keys.length === 0) throw new TypeError(`not a field path: ${JSON.stringify(path)}`);
  const refused = keys.find(isForbiddenFieldKey);
  if (refused !== undefined) throw new TypeError(`"${String(refused)}" is never a field (path ${JSON.stringify(path)})`);

  const copy = structuredClone(target);
  let node: Container = copy;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      define(node, key, value);
      return;
    }
    const wantList = typeof keys[i + 1] === 'number';
    let next = read(node, key);
    if (wantList ? !Array.isArray(next) : !isPlainRecord(next)) {
      next = wantList ? [] : {};
      define(node, key, next);
    }
    node = next as Container;
  });
  return copy;
}

function read(node: Container, key: FieldKey): unknown {
  return Object.hasOwn(node, key) ? (node as Record<FieldKey, unknown>)[key] : undefined;
}

/** An own, enumerable data property: never a setter, never the prototype. */
function define(node: Container, key: FieldKey, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
