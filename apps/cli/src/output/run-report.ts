import { formatSummary, type LayerWeights } from '@trainyard/nn';
import type { Evaluation, RunResult, Sample, StartEvent } from '@trainyard/experiments/pipeline';
import type { Cell } from '@trainyard/data/tables';
import type { PreprocessorState } from '@trainyard/data/preprocessor-state';
import { composeLinearLayers, describeWeightScale, rawInputWeights, type RawWeights } from '@trainyard/data/raw-weights';
import { formatCount, formatNumber, renderTable } from './format.js';

/** Sample rows shown in the terminal (the notebook shows a DataFrame head). */
const SHOWN_SAMPLES = 10;
/** Beyond this many features the table shows a count instead of columns (digits have 64). */
const MAX_FEATURE_COLUMNS = 8;

export function describeStart(name: string, start: StartEvent): string {
  const { dataset, split } = start;
  const target = dataset.classNames ? `${dataset.classNames.length} classes` : dataset.targetNames.join(', ');
  const parts = [`${formatCount(split.train)} train`];
  if (split.validation > 0) parts.push(`${formatCount(split.validation)} validation`);
  parts.push(split.test > 0 ? `${formatCount(split.test)} test` : 'no test part');
  const lines = [
    `Run "${name}" · seed ${start.seed} · backend ${start.backend.name}`,
    `Dataset ${dataset.name}: ${describeInputs(dataset)} -> ${target} (sha256 ${dataset.hash.slice(0, 12)}…)`,
    `Split: ${parts.join(' / ')}`,
  ];
  if (start.initialWeights) lines.push('', 'Weights before training:', formatWeights(start.initialWeights));
  return lines.join('\n');
}

/** `1,797 rows, 64 features`, or `7,000 images of 28x28x1` for an image dataset. */
function describeInputs(dataset: StartEvent['dataset']): string {
  if (dataset.imageShape) return `${plural(dataset.rows, 'image')} of ${dataset.imageShape.join('x')}`;
  return `${plural(dataset.rows, 'row')}, ${plural(dataset.featureNames.length, 'feature')}`;
}

export function describeResult(name: string, result: RunResult, featureNames: string[], targetNames: string[], imageShape?: readonly number[]): string {
  const out = [formatSummary(result.summary, name), ''];
  if (result.stoppedEarly) out.push(`Stopped early after ${result.history.length} epochs (best epoch ${result.bestEpoch ?? '?'}).`, '');
  if (result.evaluation) {
    out.push(`Test metrics: ${Object.entries(result.testMetrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ')}`);
    const details = describeEvaluation(result.evaluation);
    out.push(...(details ? [details] : []), '');
  } else {
    out.push('No test part (split.test is 0): no test metrics.', '');
  }
  const from = result.samplesFrom === 'test' ? 'test' : 'training';
  out.push(`True vs predicted, first ${Math.min(SHOWN_SAMPLES, result.samples.length)} ${from} rows:`);
  out.push(sampleTable(result.samples.slice(0, SHOWN_SAMPLES), featureNames, targetNames, imageShape), '');
  if (result.predictions.length > 0) {
    out.push('Predictions on new data:');
    for (const p of result.predictions) {
      const value = p.label ?? p.output.map(formatNumber).join(', ');
      out.push(`  ${JSON.stringify(p.input)} -> ${value}`);
    }
    out.push('');
  }
  if (result.weights) out.push(...describeWeights(result.weights, result.preprocessor, denseActivations(result.model.modelJson.modelTopology)), '');
  return out.join('\n').trimEnd();
}

function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function describeEvaluation(evaluation: Evaluation): string {
  if (evaluation.kind === 'regression') return '';
  const names = evaluation.classNames;
  const matrix = renderTable(
    ['true \\ predicted', ...names],
    evaluation.confusionMatrix.map((row, i) => [names[i] ?? String(i), ...row.map(String)]),
  );
  const report = renderTable(
    ['class', 'precision', 'recall', 'f1', 'support'],
    evaluation.perClass.map((c, i) => [names[i] ?? String(i), formatNumber(c.precision), formatNumber(c.recall), formatNumber(c.f1), String(c.support)]),
  );
  return `\nConfusion matrix:\n${matrix}\n\n${report}`;
}

function sampleTable(samples: Sample[], featureNames: string[], targetNames: string[], imageShape: readonly number[] | undefined): string {
  const wide = featureNames.length > MAX_FEATURE_COLUMNS;
  const inputHeaders = wide ? ['input'] : featureNames;
  const truthHeaders = targetNames.length > 1 ? targetNames.map((t) => `${t}`) : [targetNames[0] ?? 'target'];
  const headers = [...inputHeaders, ...truthHeaders.map((t) => `true ${t}`), ...truthHeaders.map((t) => `predicted ${t}`)];
  const cell = (v: number[] | string): string[] => (typeof v === 'string' ? [v] : v.map(formatNumber));
  const rows = samples.map((s) => [
    ...(wide ? [imageShape ? `image ${imageShape.join('x')}` : `${s.input.length} values`] : s.input.map(inputCell)),
    ...cell(s.truth),
    ...cell(s.predicted),
  ]);
  return renderTable(headers, rows);
}

/** A raw input cell: a number to six significant digits, a category's text, `-` for missing. */
function inputCell(cell: Cell): string {
  if (cell === null) return '-';
  return typeof cell === 'number' ? String(Number(cell.toPrecision(6))) : cell;
}

export function formatWeights(weights: LayerWeights[]): string {
  return weights
    .map((w) => {
      const parts = [];
      if (w.kernel) parts.push(`kernel ${JSON.stringify(w.kernel.map((r) => r.map((v) => Number(v.toFixed(4)))))}`);
      if (w.bias) parts.push(`bias ${JSON.stringify(w.bias.map((v) => Number(v.toFixed(4))))}`);
      return `  ${w.layer}: ${parts.join('  ')}`;
    })
    .join('\n');
}

/**
 * The activation of every layer of a saved Sequential topology (model.json's modelTopology),
 * in order; undefined when a layer is not Dense (dropout, batch normalization...) or the
 * topology cannot be read.
 */
export function denseActivations(topology: Record<string, unknown>): string[] | undefined {
  const config = topology['config'];
  const layers = isRecord(config) ? config['layers'] : undefined;
  if (!Array.isArray(layers)) return undefined;
  const activations: string[] = [];
  for (const layer of layers as unknown[]) {
    if (!isRecord(layer) || layer['class_name'] === 'InputLayer') continue;
    const layerConfig = layer['config'];
    if (layer['class_name'] !== 'Dense' || !isRecord(layerConfig)) return undefined;
    activations.push(typeof layerConfig['activation'] === 'string' ? layerConfig['activation'] : 'linear');
  }
  return activations;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The trained weights, labelled with the scaling they apply to; when the model is linear (only
 * dense layers without activation) and the scaling too, also the same model on the raw inputs,
 * e.g. `sum = 1 × a + 1 × b + 0`.
 */
export function describeWeights(weights: LayerWeights[], preprocessor: PreprocessorState, activations: string[] | undefined): string[] {
  const scale = describeWeightScale(preprocessor);
  const lines = [`Weights after training (${scale}):`, formatWeights(weights)];
  const raw = rawWeightsOf(weights, preprocessor, activations);
  if (raw) {
    const how = [...(weights.length > 1 ? ['the linear layers multiplied out'] : []), ...(scale === 'on the raw inputs' ? [] : ['scaling undone'])];
    lines.push(how.length === 0 ? 'As an equation:' : `Same model on the raw inputs (${how.join(', ')}):`);
    lines.push(...rawEquations(raw, preprocessor.featureNames, preprocessor.targetNames).map((line) => `  ${line}`));
  }
  return lines;
}

function rawWeightsOf(weights: LayerWeights[], preprocessor: PreprocessorState, activations: string[] | undefined): RawWeights | undefined {
  if (!activations || activations.length !== weights.length || activations.some((a) => a !== 'linear')) return undefined;
  const layers = weights.map((w) => (w.kernel ? { kernel: w.kernel, ...(w.bias ? { bias: w.bias } : {}) } : undefined));
  if (layers.some((l) => l === undefined)) return undefined;
  const one = composeLinearLayers(layers.filter((l) => l !== undefined));
  return one ? rawInputWeights(preprocessor, one) : undefined;
}

/** `target = w1 × feature1 - w2 × feature2 + b`, one line per target, numbers to 6 significant digits. */
export function rawEquations(raw: RawWeights, featureNames: string[], targetNames: string[]): string[] {
  const num = (v: number): string => String(Number(Math.abs(v).toPrecision(6)));
  return targetNames.map((target, k) => {
    const terms = featureNames.map((feature, j) => {
      const value = raw.kernel[j]?.[k] ?? 0;
      const sign = j === 0 ? (value < 0 ? '-' : '') : value < 0 ? '- ' : '+ ';
      return `${sign}${num(value)} × ${feature}`;
    });
    const line = `${target} = ${terms.join(' ')}`;
    const bias = raw.bias[k] ?? 0;
    return `${line} ${bias < 0 ? '-' : '+'} ${num(bias)}`;
  });
}
