import {
  DatasetError,
  datasetLoadKey,
  loadDataset,
  oneHot,
  Preprocessor,
  Rng,
  splitIndices,
  takeRows,
  type Cell,
  type SplitIndices,
  type Dataset,
  type LoadDatasetOptions,
} from '@trainyard/data';
import { checkDefinition, DefinitionError, type DatasetFacts, type ExperimentDefinition, LOCAL_FILE_REFUSED } from '@trainyard/contract';

/** One part of the split, raw and as the model sees it. */
export interface DataPart {
  /**
   * Raw feature rows, as in the dataset: numbers, texts of category columns, null for missing
   * cells; an image's pixels as a view into the dataset's bytes.
   */
  raw: readonly ArrayLike<Cell>[];
  /** Raw targets (regression units or class indices). */
  truth: number[][];
  /** Preprocessed features: float32, views into one array per part. */
  x: Float32Array[];
  /** Targets as the loss expects them (scaled, class indices or one-hot). */
  y: number[][];
}

export interface PreparedData {
  dataset: Dataset;
  preprocessor: Preprocessor;
  /**
   * Input shape of the model: [height, width, channels] for an image dataset used as images,
   * else the width of a preprocessed row (a table's one-hot columns included).
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
  /**
   * Datasets loaded so far, by datasetLoadKey: the runs of a pack load theirs once. A dataset
   * is only read after loading, never changed, so runs can share it.
   */
  loaded?: Map<string, Promise<Dataset>>;
};

/**
 * Loads the dataset, checks the definition against its real shape, splits with the
 * run's seed and fits the preprocessing on the training part only.
 */
export async function prepareData(def: ExperimentDefinition, seed: number, options: DataOptions): Promise<PreparedData> {
  const { localFiles = true, loaded, ...dataOptions } = options;
  if (!localFiles && def.dataset.name === 'csv') {
    throw new DefinitionError('INVALID_DEFINITION', [{ path: 'dataset.path', message: LOCAL_FILE_REFUSED }]);
  }
  const columns = def.preprocessing.columns;
  const loadOptions: LoadDatasetOptions = { ...dataOptions, seed, ...(columns ? { columns } : {}) };
  const dataset = await loadShared(def.dataset, loadOptions, loaded);
  const issues = checkDefinition(def, {
    task: dataset.task,
    features: dataset.featureNames.length,
    targets: dataset.targetNames.length,
    rows: dataset.x.length,
    ...(dataset.classNames ? { classes: dataset.classNames.length } : {}),
    ...imageFacts(dataset),
  });
  if (issues.length > 0) throw new DefinitionError('INVALID_DEFINITION', issues);

  const indices = splitRows(def, dataset, seed);
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

  return {
    dataset,
    preprocessor,
    inputShape: inputShapeOf(dataset, preprocessor, def.model.layers[0]?.type),
    train,
    validation: part(indices.validation),
    test: part(indices.test),
  };
}

/** loadDataset, through `loaded` when given: the first run to ask loads, the others wait for it. */
function loadShared(spec: ExperimentDefinition['dataset'], options: LoadDatasetOptions, loaded: Map<string, Promise<Dataset>> | undefined): Promise<Dataset> {
  if (!loaded) return loadDataset(spec, options);
  const key = datasetLoadKey(spec, options);
  let dataset = loaded.get(key);
  if (!dataset) {
    dataset = loadDataset(spec, options);
    loaded.set(key, dataset);
  }
  return dataset;
}

/** What the definition checks need to know of an image dataset, from the loaded data. */
function imageFacts(dataset: Dataset): Pick<DatasetFacts, 'imageShape' | 'pixelMax' | 'testRows'> {
  // The image shape only when the model sees images; as features it sees `features` numbers.
  const images = dataset.imageShape !== undefined && dataset.featureShape.length > 1;
  return {
    ...(images && dataset.imageShape ? { imageShape: dataset.imageShape } : {}),
    ...(dataset.pixelMax !== undefined ? { pixelMax: dataset.pixelMax } : {}),
    ...(dataset.testRows !== undefined ? { testRows: dataset.testRows } : {}),
  };
}

/**
 * The model's input shape comes from the data: an image dataset used `as: 'images'` gives its
 * [height, width, channels] (the model then starts with conv2d, pooling or flatten); anything
 * else gives [n], the width of a preprocessed row. One exception keeps definitions from before
 * images training as they did: an image dataset used as features under a leading flatten
 * (tfjs' flatten needs at least two axes) gets [height, width], as digits gave [8, 8].
 */
export function inputShapeOf(dataset: Dataset, preprocessor: Preprocessor, firstLayer: string | undefined): number[] {
  if (dataset.featureTypes) return [preprocessor.outputWidth];
  if (dataset.featureShape.length > 1) return [...dataset.featureShape];
  if (firstLayer === 'flatten' && dataset.imageShape) return dataset.imageShape.slice(0, 2);
  return [preprocessor.outputWidth];
}

/**
 * Train, validation and test rows. A dataset with an official test part (mnist, fashion_mnist:
 * its last `testRows` rows, as Keras' load_data) keeps it, in file order, and the validation
 * fraction applies to the training rows before it; otherwise the seeded split of all rows.
 */
export function splitRows(def: ExperimentDefinition, dataset: Dataset, seed: number): SplitIndices {
  const rng = Rng.derive(seed, 'split');
  const labelsOf = (count: number): number[] | undefined =>
    def.split.stratify && dataset.task === 'classification' ? dataset.y.slice(0, count).map((row) => row[0] ?? 0) : undefined;
  const { testRows } = dataset;
  if (testRows === undefined) return splitIndices(dataset.x.length, def.split, rng, labelsOf(dataset.x.length));
  const trainRows = dataset.x.length - testRows;
  const parts = splitIndices(trainRows, { test: 0, validation: def.split.validation, stratify: def.split.stratify }, rng, labelsOf(trainRows));
  return { train: parts.train, validation: parts.validation, test: Array.from({ length: testRows }, (_, i) => trainRows + i) };
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
