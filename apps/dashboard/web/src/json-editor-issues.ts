import { StateEffect, StateField } from '@codemirror/state';
import type { DefinitionIssue } from '@trainyard/contract';

/** Issues found outside the editor (the server's 400), which the editor shows at their fields. */
export const setIssues = StateEffect.define<readonly DefinitionIssue[]>();

export const issuesField = StateField.define<readonly DefinitionIssue[]>({
  create: () => [],
  update: (issues, tr) => tr.effects.reduce((current, effect) => (effect.is(setIssues) ? effect.value : current), issues),
});
