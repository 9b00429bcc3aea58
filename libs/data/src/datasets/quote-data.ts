/*
 * Errors about data quote as little of it as can help: a cell is cut to a few characters and
 * a list of columns to its first names. An error travels further than the file it came from
 * (a run's record, a log, a dashboard), and a file's content is not the error's to spread.
 */

const CELL_CHARS = 12;
const NAME_CHARS = 40;
const NAMES = 20;

function cut(text: string, most: number): string {
  const chars = [...text];
  return chars.length <= most ? text : `${chars.slice(0, most).join('')}…`;
}

/** `'hunter2 and more'` -> `'hunter2 and …'`, quoted. */
export function quoteCell(cell: string): string {
  return `'${cut(cell, CELL_CHARS)}'`;
}

/** A column name, cut to a readable length. */
export function quoteName(name: string): string {
  return `'${cut(name, NAME_CHARS)}'`;
}

/** The first column names, cut, and how many more there are. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES).map(quoteName).join(', ');
  return names.length > NAMES ? `${shown} and ${names.length - NAMES} more` : shown;
}
