import { syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import { disableErrorLogging } from 'best-effort-json-parser';
import { type JSONPointersMap, parseJSONDocumentState } from 'codemirror-json-schema';

// The lenient parser behind completion logs every half-typed text as a console error.
disableErrorLogging();

/**
 * The editor's document as data, with the position of every field by JSON Pointer.
 *
 * codemirror-json-schema 0.8 takes the node after a property name as its value, but
 * @lezer/json 1.0.3 has a node for the ":" between them: its positions would mark the colon.
 * Here the value is the node after the colon (a field still without one is marked on its key).
 */
export function parseDocument(state: EditorState): { data: unknown; pointers: JSONPointersMap } {
  const { data, pointers } = parseJSONDocumentState(state);
  const tree = syntaxTree(state);
  for (const [pointer, at] of pointers) {
    if (!('valueFrom' in at)) continue;
    const node = tree.resolveInner(at.valueFrom, 1);
    if (node.name !== ':') continue;
    const value = node.nextSibling;
    pointers.set(pointer, value ? { ...at, valueFrom: value.from, valueTo: value.to } : { keyFrom: at.keyFrom, keyTo: at.keyTo });
  }
  return { data, pointers };
}
