import * as tf from '@tensorflow/tfjs';
import type { OptimizerSettings } from '../create-optimizer.js';

/** Optimizer kinds a pack steps; rmsprop and adagrad train alone. */
export type PackedOptimizerSettings = Extract<OptimizerSettings, { kind: 'sgd' | 'momentum' | 'adam' }>;

export function isPackedOptimizer(settings: OptimizerSettings): settings is PackedOptimizerSettings {
  return settings.kind === 'sgd' || settings.kind === 'momentum' || settings.kind === 'adam';
}

/**
 * The kind the trials of a pack must share: Nesterov's update has another shape than plain
 * momentum's, so they are different kinds here.
 */
export function packedOptimizerKind(settings: PackedOptimizerSettings): string {
  return settings.kind === 'momentum' && settings.nesterov ? 'nesterov' : settings.kind;
}

/**
 * tfjs' SGD, momentum and Adam updates for stacked variables [trials, ...], each trial with
 * its own hyperparameters as a [trials, 1, 1] tensor. Each update is written op for op as
 * tfjs' own optimizer writes it (sgd_optimizer.ts, momentum_optimizer.ts, adam_optimizer.ts:
 * same ops, same order, hyperparameters rounded to float32 the same way), so a trial's
 * weights follow the same bits as when it trains alone.
 */
export class PackedOptimizer {
  private constants: Record<string, tf.Tensor>;
  /** Per variable: momentum accumulation, or Adam's first and second moments. */
  private slots: tf.Variable[][];
  /** Adam's running beta1^t and beta2^t, per trial. */
  private accBeta: tf.Variable[] = [];

  constructor(
    private readonly kind: string,
    settings: PackedOptimizerSettings[],
    variables: tf.Variable[],
  ) {
    const perTrial = (value: (s: PackedOptimizerSettings) => number): tf.Tensor =>
      tf.tensor3d(Float32Array.from(settings, value), [settings.length, 1, 1]);
    const of = <K extends string>(s: PackedOptimizerSettings, key: K): number => (s as unknown as Record<K, number>)[key];
    this.constants = tf.tidy(() => {
      // tfjs keeps -learningRate as its `c` scalar for sgd and momentum; Adam multiplies by -lr.
      const c: Record<string, tf.Tensor> = { c: perTrial((s) => -s.learningRate) };
      if (kind === 'momentum' || kind === 'nesterov') c['m'] = perTrial((s) => of(s, 'momentum'));
      if (kind === 'adam') {
        c['beta1'] = perTrial((s) => of(s, 'beta1'));
        c['beta2'] = perTrial((s) => of(s, 'beta2'));
        // tfjs computes 1 - beta in double precision, then rounds it to float32 as an op argument.
        c['oneMinusBeta1'] = perTrial((s) => 1 - of(s, 'beta1'));
        c['oneMinusBeta2'] = perTrial((s) => 1 - of(s, 'beta2'));
        c['epsilon'] = perTrial((s) => of(s, 'epsilon'));
      }
      return c;
    });
    for (const t of Object.values(this.constants)) tf.keep(t);
    const slotCount = kind === 'adam' ? 2 : kind === 'sgd' ? 0 : 1;
    this.slots = variables.map((v) => Array.from({ length: slotCount }, () => ownVariable(tf.zerosLike(v), false)));
    if (kind === 'adam') this.accBeta = [ownVariable(tf.clone(this.constant('beta1')), false), ownVariable(tf.clone(this.constant('beta2')), false)];
  }

  /** One update of every variable from its gradient (same order as `variables`). */
  apply(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    tf.tidy(() => {
      if (this.kind === 'adam') return this.adam(variables, gradients);
      variables.forEach((value, i) => {
        const gradient = gradients[i];
        if (!gradient) return;
        if (this.kind === 'sgd') {
          value.assign(tf.add(tf.mul(this.constant('c'), gradient), value));
          return;
        }
        const accumulation = this.slot(i, 0);
        const m = this.constant('m');
        const newAccumulation = tf.add(tf.mul(m, accumulation), gradient);
        const step = this.kind === 'nesterov' ? tf.add(gradient, tf.mul(newAccumulation, m)) : newAccumulation;
        const newValue = tf.add(tf.mul(this.constant('c'), step), value);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
  }

  /** Keeps the trials at `rows` (positions in the stack), in that order; the others leave. */
  select(rows: tf.Tensor1D): void {
    const pick = (t: tf.Tensor): tf.Tensor => tf.gather(t, rows);
    const constants = tf.tidy(() => Object.fromEntries(Object.entries(this.constants).map(([k, t]) => [k, pick(t)])));
    tf.dispose(Object.values(this.constants));
    this.constants = constants;
    this.slots = this.slots.map((slots) => slots.map((slot) => replaceVariable(slot, pick)));
    this.accBeta = this.accBeta.map((acc) => replaceVariable(acc, pick));
  }

  dispose(): void {
    tf.dispose([...Object.values(this.constants), ...this.slots.flat(), ...this.accBeta]);
  }

  private adam(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    const [accBeta1, accBeta2] = this.accBeta as [tf.Variable, tf.Variable];
    const oneMinusAccBeta1 = tf.sub(1, accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, accBeta2);
    variables.forEach((value, i) => {
      const gradient = gradients[i];
      if (!gradient) return;
      const firstMoment = this.slot(i, 0);
      const secondMoment = this.slot(i, 1);
      const newFirstMoment = tf.add(tf.mul(firstMoment, this.constant('beta1')), tf.mul(gradient, this.constant('oneMinusBeta1')));
      const newSecondMoment = tf.add(tf.mul(secondMoment, this.constant('beta2')), tf.mul(tf.square(gradient), this.constant('oneMinusBeta2')));
      const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
      const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
      firstMoment.assign(newFirstMoment);
      secondMoment.assign(newSecondMoment);
      const ratio = tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), this.constant('epsilon')));
      value.assign(tf.add(tf.mul(ratio, this.constant('c')), value));
    });
    accBeta1.assign(tf.mul(accBeta1, this.constant('beta1')));
    accBeta2.assign(tf.mul(accBeta2, this.constant('beta2')));
  }

  private constant(name: string): tf.Tensor {
    const value = this.constants[name];
    if (!value) throw new Error(`packed optimizer: no ${name} for ${this.kind}`);
    return value;
  }

  private slot(variable: number, index: number): tf.Variable {
    const slot = this.slots[variable]?.[index];
    if (!slot) throw new Error(`packed optimizer: no slot ${index} for variable ${variable}`);
    return slot;
  }
}

/**
 * A variable made of `value`, which it takes over: tf.variable() shares the value's data and
 * leaves the value itself alive, one tensor leaked per variable unless it is disposed.
 */
export function ownVariable(value: tf.Tensor, trainable = true): tf.Variable {
  const variable = tf.variable(value, trainable);
  value.dispose();
  return variable;
}

/** A new variable holding `transform` of the old one, which is disposed. */
export function replaceVariable(variable: tf.Variable, transform: (t: tf.Tensor) => tf.Tensor): tf.Variable {
  const next = ownVariable(tf.tidy(() => transform(variable)), variable.trainable);
  variable.dispose();
  return next;
}
