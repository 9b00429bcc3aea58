import type { DefinitionIssue } from '@trainyard/contract';

export interface DefinitionEditorProps {
  text: string;
  onChange(text: string): void;
  /** The text is a sweep (it has a `base`), not one definition. */
  sweep: boolean;
  /** The server's issues with the last submission, shown at their fields. */
  issues: readonly DefinitionIssue[];
}

/** A plain text area: what the New page shows while the editor loads, or if it cannot load. */
export function PlainEditor({ text, onChange }: DefinitionEditorProps) {
  return <textarea aria-label="definition" spellCheck={false} value={text} rows={36} onChange={(e) => onChange(e.target.value)} />;
}
