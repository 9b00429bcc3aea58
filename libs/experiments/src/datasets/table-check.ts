import { checkDefinition, type DefinitionIssue, type ExperimentDefinition, tableFacts, tableIssues } from '@trainyard/contract';
import type { TableProfile } from '@trainyard/data/tables';

/**
 * A definition against a registered table's stored profile: its columns (a target or feature
 * that is not there, a free-text feature; see the contract's table rules) and then the
 * definition's own rules with what the profile tells (feature count, classes, rows).
 */
export function profileIssues(def: ExperimentDefinition, profile: TableProfile): DefinitionIssue[] {
  const columns = tableIssues(def, profile);
  if (columns.length > 0) return columns;
  return checkDefinition(def, tableFacts(def, profile));
}
