import { checkDefinition, imageFacts, imageIssues, notImagesIssue, type DatasetProfile, type DefinitionIssue, type ExperimentDefinition, tableFacts, tableIssues } from '@trainyard/contract';

/**
 * A definition against a registered version's stored profile, then the definition's own rules
 * with what the profile tells. A table: its columns (a target or feature that is not there, a
 * free-text feature; see the contract's table rules), feature count, classes, rows. A folder
 * of images: an `image` size given, no table fields; classes and images.
 */
export function profileIssues(def: ExperimentDefinition, profile: DatasetProfile, label: string): DefinitionIssue[] {
  if (profile.format === 'images') {
    const issues = imageIssues(def, profile, label);
    return issues.length > 0 ? issues : checkDefinition(def, imageFacts(def, profile));
  }
  const columns = [...notImagesIssue(def, label), ...tableIssues(def, profile)];
  if (columns.length > 0) return columns;
  return checkDefinition(def, tableFacts(def, profile));
}
