/** One problem in a definition: where it is (a dotted field path) and what is allowed. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

export type DefinitionErrorCode = 'INVALID_JSON' | 'INVALID_DEFINITION';

export class DefinitionError extends Error {
  readonly code: DefinitionErrorCode;
  readonly issues: DefinitionIssue[];

  constructor(code: DefinitionErrorCode, issues: DefinitionIssue[]) {
    super(formatIssues(issues));
    this.name = 'DefinitionError';
    this.code = code;
    this.issues = issues;
  }
}

export function formatIssues(issues: DefinitionIssue[]): string {
  return issues.map((issue) => `${issue.path || '(definition)'}: ${issue.message}`).join('\n');
}

/** `['model', 'layers', 2, 'units']` -> `model.layers[2].units`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
