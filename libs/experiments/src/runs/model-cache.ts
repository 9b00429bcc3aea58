import { Preprocessor, type Cell } from '@trainyard/data';
import { predictRows } from '../pipeline/evaluate-run.js';
import type { Prediction } from '../pipeline/run-events.js';
import { initBackend, Network, type ModelArtifacts } from '@trainyard/nn';

interface Loaded {
  net: Network;
  preprocessor: Preprocessor;
}

/** Trained models kept in memory for predictions; the least recently used is disposed. */
export class ModelCache {
  private readonly models = new Map<string, Promise<Loaded>>();
  /** The TensorFlow.js backend, chosen at the first prediction: a server that never predicts never loads one. */
  private backend: Promise<unknown> | undefined;

  constructor(private readonly capacity = 16) {}

  async predict(runId: string, load: () => Promise<{ model: ModelArtifacts; preprocessor: unknown }>, rows: Cell[][]): Promise<Prediction[]> {
    let loaded = this.models.get(runId);
    if (loaded) {
      this.models.delete(runId);
    } else {
      this.backend ??= initBackend('auto');
      loaded = Promise.all([load(), this.backend]).then(async ([{ model, preprocessor }]) => ({
        net: await Network.fromArtifacts(model),
        preprocessor: Preprocessor.fromJSON(preprocessor),
      }));
      loaded.catch(() => this.models.delete(runId));
    }
    this.models.set(runId, loaded);
    this.evict();
    const { net, preprocessor } = await loaded;
    return predictRows(net, preprocessor, rows);
  }

  dispose(): void {
    for (const loaded of this.models.values()) void loaded.then((l) => l.net.dispose(), () => undefined);
    this.models.clear();
  }

  private evict(): void {
    while (this.models.size > this.capacity) {
      const [oldest, loaded] = this.models.entries().next().value as [string, Promise<Loaded>];
      this.models.delete(oldest);
      void loaded.then((l) => l.net.dispose(), () => undefined);
    }
  }
}
