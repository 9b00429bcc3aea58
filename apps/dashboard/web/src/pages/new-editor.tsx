import { definitionJsonSchema, sweepJsonSchema } from '@trainyard/contract';
import { useMemo } from 'react';
import { JsonEditor } from '../json-editor.js';
import type { DefinitionEditorProps } from './new-plain-editor.js';

/**
 * The New page's editor with the contract's JSON Schema: a definition's, or a sweep's once the
 * text has a `base` (as the server reads it). Its own chunk, loaded by the New page only.
 */
export default function DefinitionEditor({ text, onChange, sweep, issues }: DefinitionEditorProps) {
  const schema = useMemo(() => (sweep ? sweepJsonSchema() : definitionJsonSchema()), [sweep]);
  return <JsonEditor label="definition" value={text} onChange={onChange} schema={schema} issues={issues} />;
}
