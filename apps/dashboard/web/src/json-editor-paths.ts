/*
 * Where an issue's field path is in the editor's document. Issues name fields as the contract
 * writes them (`model.layers[0].units`, a sweep's `base.epochs (trial optimizer.learningRate=0.01)`);
 * the editor knows the document's positions by JSON Pointer (`/model/layers/0/units`).
 */

const FIELD_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*/;

/** `model.layers[0].units` -> `/model/layers/0/units`; '' (the whole document) for a path that names no field. */
export function pointerOfPath(path: string): string {
  const field = FIELD_PATH.exec(path.trim())?.[0];
  if (!field) return '';
  return field
    .split(/\.|(?=\[)/)
    .map((key) => `/${key.startsWith('[') ? key.slice(1, -1) : key.replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}

/**
 * `pointer` itself when the document has it, else its nearest ancestor that it has ('' at
 * worst): a field the user left out (a sweep's trial supplies it) is shown on its parent.
 */
export function nearestPointer(pointer: string, has: (pointer: string) => boolean): string {
  let at = pointer;
  while (at !== '' && !has(at)) at = at.slice(0, at.lastIndexOf('/'));
  return at;
}
