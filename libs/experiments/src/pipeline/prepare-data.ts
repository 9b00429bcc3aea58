import {
  DatasetError,
  loadDataset,
  oneHot,
  Preprocessor,
  Rng,
  splitIndices,
  takeRows,
  type Cell,
  type Dataset,
  type LoadDatasetOptions,
} from '@trainyard/data';
import { checkDefinition, DefinitionError, type ExperimentDefinition, LOCAL_FILE_REFUSED } from '@trainyard/contract';

/** One part of the split, raw and as the model sees it. */
export interface DataPart {
  /** Raw feature rows, as in the dataset: numbers, texts of category columns, null for missing cells. */
  raw: Cell[][];
  /** Raw targets (regression units or class indices). */
  truth: number[][];
  /** Preprocessed features. */
  x: number[][];
  /** Targets as the loss expects them (scaled, class indices or one-hot). */
  y: number[][];
}

export interface PreparedData {
  dataset: Dataset;
  preprocessor: Preprocessor;
  /**
   * Input shape of the model: the image shape when the model starts with flatten, else the
   * width of a preprocessed row (a table's one-hot columns included).
   */
  inputShape: number[];
  train: DataPart;
  validation: DataPart | undefined;
  test: DataPart | undefined;
}

/** Where datasets come from: the data home, and `openRegistered` for registered tables. */
export type DataOptions = Omit<LoadDatasetOptions, 'seed' | 'columns'> & {
  /**
   * May a `csv` dataset name a file on this machine? Yes for `trainyard train` (the user's own
   * files); no on a worker, where the definition came through the API from someone else.
   */
  localFiles?: boolean;
};

/**
 * Loads the dataset, checks the definition against its real shape, splits with the
 * run's seed and fits the preprocessing on the training part only.
 */
export async function prepareData(def: ExperimentDefinition, seed: number, options: DataOptions): Promise<PreparedData> {
  const { localFiles = true, ...loadOptions } = options;
  if (!localFiles && def.dataset.name === 'csv') {
    throw new DefinitionError('INVALID_DEFINITION', [{ path: 'dataset.path', message: LOCAL_FILE_REFUSED }]);
  }
  const columns = def.preprocessing.columns;
  const dataset = await loadDataset(def.dataset, { ...loadOptions, seed, ...(columns ? { columns } : {}) });
  const issues = checkDefinition(def, {
    task: dataset.task,
    features: dataset.featureNames.length,
    targets: dataset.targetNames.length,
    rows: dataset.x.length,
    ...(dataset.classNames ? { classes: dataset.classNames.length } : {}),
  });
  if (issues.length > 0) throw new DefinitionError('INVALID_DEFINITION', issues);

  const labels = dataset.task === 'classification' ? dataset.y.map((row) => row[0] ?? 0) : undefined;
  const indices = splitIndices(dataset.x.length, def.split, Rng.derive(seed, 'split'), def.split.stratify ? labels : undefined);
  const trainRaw = { x: takeRows(dataset.x, indices.train), y: takeRows(dataset.y, indices.train) };
  const preprocessor = Preprocessor.fit(def.preprocessing, trainRaw, dataset);
  checkPredictRows(def, preprocessor);

  const part = (rows: number[]): DataPart | undefined => {
    if (rows.length === 0) return undefined;
    const raw = takeRows(dataset.x, rows);
    const truth = takeRows(dataset.y, rows);
    return { raw, truth, x: preprocessor.transformX(raw), y: encodeTargets(def, dataset, preprocessor, truth) };
  };
  const train = part(indices.train);
  if (!train) throw new DefinitionError('INVALID_DEFINITION', [{ path: 'split', message: 'leaves no training rows' }]);

  const startsFlat = def.model.layers[0]?.type === 'flatten';
  return {
    dataset,
    preprocessor,
    inputShape: startsFlat && !dataset.featureTypes ? dataset.featureShape : [preprocessor.outputWidth],
    train,
    validation: part(indices.validation),
    test: part(indices.test),
  };
}

function encodeTargets(def: ExperimentDefinition, dataset: Dataset, preprocessor: Preprocessor, truth: number[][]): number[][] {
  if (def.loss === 'categorical_crossentropy') {
    return oneHot(truth.map((row) => row[0] ?? 0), dataset.classNames?.length ?? 0);
  }
  return preprocessor.transformY(truth);
}

/** The definition's `predict` rows must fit the fitted preprocessing; better said before training than after. */
function checkPredictRows(def: ExperimentDefinition, preprocessor: Preprocessor): void {
  const issues = (def.predict ?? []).flatMap((row, i) => {
    try {
      preprocessor.transformX([row]);
      return [];
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      return [{ path: `predict[${i}]`, message: error.message.replace(/^feature row 0, /, '') }];
    }
  });
  if (issues.length > 0) throw new DefinitionError('INVALID_DEFINITION', issues);
}
