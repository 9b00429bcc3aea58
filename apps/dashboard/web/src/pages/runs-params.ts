/**
 * A sweep trial's name with its parameters' short names, `california-lr optimizer.learningRate=0.01
 * seed=2` -> `california-lr learningRate=0.01 seed=2` (expandSweep writes `path=value` into the name).
 */
export function compactName(name: string, params: Readonly<Record<string, unknown>> | null | undefined, short: ReadonlyMap<string, string>): string {
  let compact = name;
  for (const path of Object.keys(params ?? {})) {
    const to = short.get(path);
    if (to && to !== path) compact = compact.replace(` ${path}=`, ` ${to}=`);
  }
  return compact;
}

/** Most characters of a failure's message in its cell (its title has all of it). */
const REASON_WIDTH = 80;

/** A failure's message on one line, cut with an ellipsis. */
export function shortReason(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > REASON_WIDTH ? `${text.slice(0, REASON_WIDTH - 1)}…` : text;
}
