export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}

/** A small bar: how far a run is through its epochs. */
export function EpochBar({ epoch, epochs }: { epoch: number; epochs: number }) {
  return (
    <span className="progress">
      <span style={{ width: `${(100 * epoch) / Math.max(1, epochs)}%` }} />
    </span>
  );
}
