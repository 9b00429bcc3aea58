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
  /** Per setting, the trials' values [trials, 1, 1]; for variables whose trial axis is 1, also as [1, trials, 1]. */
  private constants: Record<string, tf.Tensor>;
  private constantsOnAxis1: Record<string, tf.Tensor> = {};
  /** Per variable: momentum accumulation, or Adam's first and second moments. */
  private slots: tf.Variable[][];
  /** Adam's running beta1^t and beta2^t, per trial. */
  private accBeta: tf.Variable[] = [];

  /**
   * `trialAxes[i]`: the axis of variables[i] along which its trials lie, 0 ([trials, in, out])
   * unless given as 1 ([in, trials, out]).
   */
  constructor(
    private readonly kind: string,
    settings: PackedOptimizerSettings[],
    variables: tf.Variable[],
    private readonly trialAxes: number[] = [],
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
    this.constantsOnAxis1 = this.onAxis1();
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
          value.assign(tf.add(tf.mul(this.constant('c', i), gradient), value));
          return;
        }
        const accumulation = this.slot(i, 0);
        const m = this.constant('m', i);
        const newAccumulation = tf.add(tf.mul(m, accumulation), gradient);
        const step = this.kind === 'nesterov' ? tf.add(gradient, tf.mul(newAccumulation, m)) : newAccumulation;
        const newValue = tf.add(tf.mul(this.constant('c', i), step), value);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
  }

  /** Keeps the trials at `rows` (positions in the stack), in that order; the others leave. */
  select(rows: tf.Tensor1D): void {
    const pick = (t: tf.Tensor, axis = 0): tf.Tensor => tf.gather(t, rows, axis);
    const constants = tf.tidy(() => Object.fromEntries(Object.entries(this.constants).map(([k, t]) => [k, pick(t)])));
    tf.dispose([...Object.values(this.constants), ...Object.values(this.constantsOnAxis1)]);
    this.constants = constants;
    this.constantsOnAxis1 = this.onAxis1();
    this.slots = this.slots.map((slots, i) => slots.map((slot) => replaceVariable(slot, (t) => pick(t, this.trialAxes[i] ?? 0))));
    this.accBeta = this.accBeta.map((acc) => replaceVariable(acc, pick));
  }

  dispose(): void {
    tf.dispose([...Object.values(this.constants), ...Object.values(this.constantsOnAxis1), ...this.slots.flat(), ...this.accBeta]);
  }

  /** The constants as [1, trials, 1], when a variable needs them so (a reshape: the same values). */
  private onAxis1(): Record<string, tf.Tensor> {
    if (!this.trialAxes.includes(1)) return {};
    return Object.fromEntries(Object.entries(this.constants).map(([k, t]) => [k, tf.keep(tf.reshape(t, [1, -1, 1]))]));
  }

  private adam(variables: tf.Variable[], gradients: tf.Tensor[]): void {
    const [accBeta1, accBeta2] = this.accBeta as [tf.Variable, tf.Variable];
    const oneMinusAccBeta1 = tf.sub(1, accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, accBeta2);
    const onAxis = (t: tf.Tensor, variable: number): tf.Tensor => (this.trialAxes[variable] === 1 ? tf.reshape(t, [1, -1, 1]) : t);
    variables.forEach((value, i) => {
      const gradient = gradients[i];
      if (!gradient) return;
      const firstMoment = this.slot(i, 0);
      const secondMoment = this.slot(i, 1);
      const newFirstMoment = tf.add(tf.mul(firstMoment, this.constant('beta1', i)), tf.mul(gradient, this.constant('oneMinusBeta1', i)));
      const newSecondMoment = tf.add(tf.mul(secondMoment, this.constant('beta2', i)), tf.mul(tf.square(gradient), this.constant('oneMinusBeta2', i)));
      const biasCorrectedFirstMoment = tf.div(newFirstMoment, onAxis(oneMinusAccBeta1, i));
      const biasCorrectedSecondMoment = tf.div(newSecondMoment, onAxis(oneMinusAccBeta2, i));
      firstMoment.assign(newFirstMoment);
      secondMoment.assign(newSecondMoment);
      const ratio = tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), this.constant('epsilon', i)));
      value.assign(tf.add(tf.mul(ratio, this.constant('c', i)), value));
    });
    accBeta1.assign(tf.mul(accBeta1, this.constant('beta1')));
    accBeta2.assign(tf.mul(accBeta2, this.constant('beta2')));
  }

  /** A setting's per-trial values shaped for variable `variable` (its trial axis), or as [trials, 1, 1] without one. */
  private constant(name: string, variable?: number): tf.Tensor {
    const value = variable !== undefined && this.trialAxes[variable] === 1 ? this.constantsOnAxis1[name] : this.constants[name];
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
