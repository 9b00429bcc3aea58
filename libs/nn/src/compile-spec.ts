/** Keras optimizers with Keras' defaults (noted per field). */
export type OptimizerSpec =
  | {
      name: 'sgd';
      /** Default 0.01. */
      learningRate?: number;
      /** Default 0 (plain SGD); > 0 uses momentum. */
      momentum?: number;
      /** Nesterov momentum; only meaningful with momentum > 0. Default false. */
      nesterov?: boolean;
    }
  | {
      name: 'adam';
      /** Default 0.001. */
      learningRate?: number;
      /** Decay of the first moment. Default 0.9. */
      beta1?: number;
      /** Decay of the second moment. Default 0.999. */
      beta2?: number;
      /** Default 1e-7 (Keras' value). */
      epsilon?: number;
    }
  | {
      name: 'rmsprop';
      /** Default 0.001. */
      learningRate?: number;
      /** Decay of the moving average of squared gradients. Default 0.9. */
      rho?: number;
      /** Default 0. */
      momentum?: number;
      /** Default 1e-7 (Keras' value). */
      epsilon?: number;
    }
  | {
      name: 'adagrad';
      /** Default 0.01. */
      learningRate?: number;
      /** Starting value of the per-weight accumulators. Default 0.1. */
      initialAccumulatorValue?: number;
    };

/** Keras loss names. Cross-entropies expect probabilities (sigmoid/softmax outputs), as Keras' default from_logits=false. */
export type LossName =
  | 'mse'
  | 'mae'
  | 'huber'
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

/** 'accuracy' becomes binary, categorical or sparse categorical accuracy depending on the loss, as in Keras. */
export type MetricName = 'mae' | 'mse' | 'accuracy';

export interface CompileSpec {
  optimizer: OptimizerSpec;
  loss: LossName;
  metrics: MetricName[];
}
