/**
 * Short names for a sweep's varied parameters: a path's last part (`optimizer.learningRate` ->
 * `learningRate`) where no other path ends alike, the whole path where two do
 * (`model.layers[0].units`, `model.layers[1].units`). The CLI and the dashboard show trials by them.
 */
export function shortParamNames(paths: readonly string[]): Map<string, string> {
  const last = (path: string): string => path.split('.').at(-1) ?? path;
  const counts = new Map<string, number>();
  for (const path of new Set(paths)) counts.set(last(path), (counts.get(last(path)) ?? 0) + 1);
  return new Map(paths.map((path) => [path, counts.get(last(path)) === 1 ? last(path) : path]));
}
