import type { Dataset } from '../datasets/dataset.js';
import { DatasetError } from '../errors/dataset-error.js';
import { parsePreprocessorState, type PreprocessorState } from './preprocessor-state.js';
import { fitScaler, scalerFromState, type Scaler, type ScalerKind } from './scaler.js';

/** Target scaling applies to regression only; classification targets must use 'none'. */
export interface PreprocessorSpec {
  features: ScalerKind;
  target: ScalerKind;
}

type DatasetShape = Pick<Dataset, 'task' | 'featureNames' | 'targetNames' | 'classNames'>;

function checkWidth(rows: number[][], names: string[], what: string): void {
  rows.forEach((row, i) => {
    if (row.length !== names.length) {
      throw new DatasetError(
        'INVALID_SPEC',
        `${what} row ${i} has ${row.length} values, expected ${names.length} (${names.join(', ')})`,
      );
    }
  });
}

/**
 * The fitted feature and target scaling of one run. Fit it on the training part only, so
 * validation and test rows never leak into the parameters; save it with `toJSON` so a trained
 * model can take raw inputs later.
 */
export class Preprocessor {
  readonly state: PreprocessorState;
  private readonly features: Scaler;
  private readonly target: Scaler;

  private constructor(state: PreprocessorState) {
    this.state = state;
    this.features = scalerFromState(state.features);
    this.target = scalerFromState(state.target);
  }

  static fit(spec: PreprocessorSpec, train: { x: number[][]; y: number[][] }, dataset: DatasetShape): Preprocessor {
    if (dataset.task === 'classification' && spec.target !== 'none') {
      throw new DatasetError(
        'INVALID_SPEC',
        `preprocessing.target must be 'none' for classification (class indices are not scaled), got '${spec.target}'`,
      );
    }
    checkWidth(train.x, dataset.featureNames, 'feature');
    checkWidth(train.y, dataset.targetNames, 'target');
    const state: PreprocessorState = {
      version: 1,
      task: dataset.task,
      featureNames: [...dataset.featureNames],
      targetNames: [...dataset.targetNames],
      features: fitScaler(spec.features, train.x).state,
      target: fitScaler(spec.target, train.y).state,
    };
    if (dataset.classNames) state.classNames = [...dataset.classNames];
    return new Preprocessor(state);
  }

  static fromJSON(json: unknown): Preprocessor {
    return new Preprocessor(parsePreprocessorState(json));
  }

  transformX(rows: number[][]): number[][] {
    checkWidth(rows, this.state.featureNames, 'feature');
    return this.features.transform(rows);
  }

  transformY(rows: number[][]): number[][] {
    checkWidth(rows, this.state.targetNames, 'target');
    if (this.state.task === 'classification') {
      const classCount = this.state.classNames?.length ?? Infinity;
      rows.forEach(([index], i) => {
        if (index === undefined || !Number.isInteger(index) || index < 0 || index >= classCount) {
          throw new DatasetError('INVALID_SPEC', `target row ${i}: ${index} is not a class index below ${classCount}`);
        }
      });
      return rows.map((row) => [...row]);
    }
    return this.target.transform(rows);
  }

  inverseY(rows: number[][]): number[][] {
    checkWidth(rows, this.state.targetNames, 'target');
    if (this.state.task === 'classification') return rows.map((row) => [...row]);
    return this.target.inverseTransform(rows);
  }

  toJSON(): PreprocessorState {
    return structuredClone(this.state);
  }
}
