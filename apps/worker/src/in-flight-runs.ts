/** Why a run is being stopped before it ends by itself ('time': its wall-clock limit passed). */
export type StopReason = 'cancel' | 'shutdown' | 'lost' | 'store' | 'time';

/** The runs this worker is training now, so a cancel message or a shutdown can reach them. */
export class InFlightRuns {
  private readonly runs = new Map<string, (reason: StopReason) => void>();

  add(runId: string, stop: (reason: StopReason) => void): () => void {
    this.runs.set(runId, stop);
    return () => {
      if (this.runs.get(runId) === stop) this.runs.delete(runId);
    };
  }

  stop(runId: string, reason: StopReason): boolean {
    const stop = this.runs.get(runId);
    stop?.(reason);
    return stop !== undefined;
  }

  stopAll(reason: StopReason): number {
    for (const stop of this.runs.values()) stop(reason);
    return this.runs.size;
  }

  get size(): number {
    return this.runs.size;
  }
}
