import { type Diagnostic, linter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { EditorView, hoverTooltip } from '@codemirror/view';
import type { JsonSchema } from '@trainyard/contract';
import { jsonLanguage } from '@codemirror/lang-json';
import { handleRefresh, jsonCompletion, jsonSchemaHover, jsonSchemaLinter, stateExtensions, updateSchema } from 'codemirror-json-schema';
import { parseDocument } from './json-editor-document.js';
import { issuesField, setIssues } from './json-editor-issues.js';
import { nearestPointer, pointerOfPath } from './json-editor-paths.js';

/*
 * What the JSON editor knows from a JSON Schema (codemirror-json-schema): completion of keys and
 * values, help on hover, the schema's complaints as lint at the fields; and the outside issues
 * at the fields their paths name. A chunk of its own, loaded after the editor shows (it carries
 * a YAML parser, Markdown and a highlighter that the library always imports).
 */

type SchemaArgument = Parameters<typeof updateSchema>[1];

/** The outside issues as diagnostics at their fields, found again in the current text on every lint pass. */
function issueDiagnostics(view: EditorView): Diagnostic[] {
  const issues = view.state.field(issuesField);
  if (issues.length === 0) return [];
  const { pointers } = parseDocument(view.state);
  return issues.map((issue) => {
    const at = pointers.get(nearestPointer(pointerOfPath(issue.path), (pointer) => pointers.has(pointer)));
    // A field with a value is marked on its value, one without (being typed) on its key, the whole text on its first character.
    const { from, to } = at === undefined ? { from: 0, to: Math.min(1, view.state.doc.length) } : 'valueFrom' in at ? { from: at.valueFrom, to: at.valueTo } : { from: at.keyFrom, to: at.keyTo };
    return { from, to, severity: 'error', source: 'server', message: `${issue.path || '(definition)'}: ${issue.message}` };
  });
}

export function schemaSupport(schema: JsonSchema): Extension[] {
  return [
    linter(jsonSchemaLinter({ jsonParser: parseDocument }), { delay: 300, needsRefresh: handleRefresh }),
    linter(issueDiagnostics, { delay: 0, needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((effect) => effect.is(setIssues))) }),
    jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
    hoverTooltip(jsonSchemaHover()),
    stateExtensions(schema as SchemaArgument),
  ];
}

export function setSchema(view: EditorView, schema: JsonSchema): void {
  updateSchema(view, schema as SchemaArgument);
}
