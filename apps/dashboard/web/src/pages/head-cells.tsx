/** A header cell per name (a parameter, a metric), `prefix` before each; `num` aligns them as number columns. */
export function HeadCells({ names, num = false, prefix = '' }: { names: readonly string[]; num?: boolean; prefix?: string }) {
  return (
    <>
      {names.map((name) => (
        <th key={name} className={num ? 'num' : undefined}>
          {prefix}
          {name}
        </th>
      ))}
    </>
  );
}
