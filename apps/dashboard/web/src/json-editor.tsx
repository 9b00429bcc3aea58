import { autocompletion } from '@codemirror/autocomplete';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { Compartment, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { DefinitionIssue, JsonSchema } from '@trainyard/contract';
import { basicSetup } from 'codemirror';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { issuesField, setIssues } from './json-editor-issues.js';

/*
 * A JSON editor (CodeMirror 6) that knows a JSON Schema. Loaded on demand (pages that do not
 * edit JSON do not load CodeMirror), in two steps: the editor itself, then what it knows from
 * the schema (json-editor-schema.ts), which it announces with aria-busy until then.
 */

type SchemaSupport = typeof import('./json-editor-schema.js');

export interface JsonEditorProps {
  /** The accessible name of the text area. */
  label: string;
  value: string;
  onChange(value: string): void;
  schema: JsonSchema;
  /** Issues found elsewhere, each shown at the field its path names (or the nearest field the text has). */
  issues: readonly DefinitionIssue[];
}

function extensions(label: string, schemaSupport: Compartment, onChange: { current: (value: string) => void }): Extension[] {
  return [
    basicSetup,
    json(),
    EditorView.contentAttributes.of({ 'aria-label': label }),
    EditorView.lineWrapping,
    linter(jsonParseLinter(), { delay: 300 }),
    lintGutter(),
    issuesField,
    autocompletion({ icons: false }),
    schemaSupport.of([]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange.current(update.state.doc.toString());
    }),
  ];
}

export function JsonEditor({ label, value, onChange, schema, issues }: JsonEditorProps) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const compartment = useRef(new Compartment());
  const configured = useRef(false);
  const changed = useRef(onChange);
  const [support, setSupport] = useState<SchemaSupport | null>(null);
  useLayoutEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  // Created once, before the browser paints: the page never shows an empty box in its place.
  useLayoutEffect(() => {
    const editor = new EditorView({ doc: value, extensions: extensions(label, compartment.current, changed), parent: parent.current ?? undefined });
    view.current = editor;
    configured.current = false;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The first value only; later ones arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [label]);

  useEffect(() => {
    let live = true;
    import('./json-editor-schema.js').then(
      (loaded) => live && setSupport(loaded),
      (error: unknown) => console.error('the JSON editor works without its schema: completion, help and schema lint did not load', error),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!support || !editor) return;
    if (configured.current) support.setSchema(editor, schema);
    else editor.dispatch({ effects: compartment.current.reconfigure(support.schemaSupport(schema)) });
    configured.current = true;
  }, [support, schema]);

  // A value from outside (an example chosen): the whole text is replaced.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setIssues.of(issues) });
  }, [issues]);

  return <div className="json-editor" ref={parent} aria-busy={support === null} />;
}
