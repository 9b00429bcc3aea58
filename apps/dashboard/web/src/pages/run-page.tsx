import { FINAL_STATUSES, isRegisteredDataset, MODEL_FILE_NAMES, type EpochView, type RunDetailView } from '@trainyard/contract';
import { composeLinearLayers, describeWeightScale, rawInputWeights, type RawWeights } from '@trainyard/data/raw-weights';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { change, errorText, read, readsNeedToken, serverConfig } from '../api.js';
import { CurveCharts } from '../chart-curves.js';
import { formatDuration, formatNumber, formatTime } from '../format.js';
import { RunEvaluation } from '../images/run-images.js';
import { useBatcher, useLiveEvents, type LiveRunEvent } from '../live.js';
import { Link, navigate } from '../router.js';
import { CURVE_COLORS } from './curves.js';
import { PreprocessingTable } from './preprocessing-table.js';
import { shownDefinition } from './run-definition-order.js';
import { PackFact, PackRow } from './run-pack.js';
import { ReproductionVerdict } from './run-reproduction.js';
import { StatusBadge } from './status-badge.js';
import { versionPath } from './upload-form.js';

const FINAL = new Set(FINAL_STATUSES);
const FLUSH_MS = 250;
const POLL_MS = 3000;

/** `/runs/:id`: everything recorded about one run, growing live while it trains. */
export function RunPage({ id }: { id: string }) {
  const [run, setRun] = useState<RunDetailView | undefined>();
  const [epochs, setEpochs] = useState<EpochView[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const definitionBox = useRef<HTMLPreElement>(null);

  // Bumped to read the run again. A final status can be published before its transaction
  // is visible: then read again until the record agrees.
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const finalSeen = useRef(false);
  useEffect(() => {
    let current = true;
    Promise.all([read('getRun', { params: { id } }), read('listEpochs', { params: { id } })]).then(
      ([detail, list]) => {
        if (!current) return;
        setRun(detail);
        // The record may lag the live events by a few epochs: keep those it does not have yet.
        setEpochs((old) => mergeEpochs(old, list.epochs));
        setError(undefined);
        if (finalSeen.current && !FINAL.has(detail.status)) setTimeout(reload, 500);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [id, version, reload]);

  // Live events are best effort (Redis pub/sub): while the run is not final, the record is
  // also read every POLL_MS, so a dropped event or stream never leaves the page stale.
  const final = run ? FINAL.has(run.status) : true;
  useEffect(() => {
    if (final) return undefined;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [final, reload]);

  // Epochs arrive up to hundreds a second; they are drawn in batches, at most FLUSH_MS apart.
  const addEpoch = useBatcher((batch: EpochView[]) => {
    const last = Math.max(...batch.map((e) => e.epoch));
    setEpochs((old) => mergeEpochs(old, batch));
    setRun((old) => (old && !FINAL.has(old.status) ? { ...old, status: 'RUNNING', currentEpoch: Math.max(old.currentEpoch, last) } : old));
  }, FLUSH_MS);

  // Only while the run can still change: a finished run has nothing more to say. (Tabs share
  // one stream through live-hub.ts, which asks the server for this run alone unless another
  // tab listens to every run; where a browser has no SharedWorker, each listening tab holds one
  // of the six connections it opens to a host, so finished runs' tabs must not listen.)
  useLiveEvents(
    (event: LiveRunEvent) => {
      if (event.type === 'epoch' && event.epoch !== undefined && event.metrics) {
        addEpoch({ epoch: event.epoch, metrics: event.metrics, durationMs: 0 });
      }
      if (event.type === 'status' && event.status) {
        if (FINAL.has(event.status)) finalSeen.current = true;
        if (FINAL.has(event.status) || event.status === 'RUNNING') reload();
        else setRun((old) => (old && event.status ? { ...old, status: event.status } : old));
      }
    },
    final ? [] : [id],
  );

  const curves = useMemo(() => [{ label: run?.name ?? '', epochs, color: CURVE_COLORS[0] ?? '#5470c6' }], [epochs, run?.name]);

  if (error && !run) return <p className="error">{error}</p>;
  if (!run) return <p className="muted">Loading…</p>;

  const summary = run.summary;
  const env = run.env;
  const definitionText = JSON.stringify(shownDefinition(run), null, 2);
  const act = async (action: 'cancel' | 'rerun'): Promise<void> => {
    try {
      const rerun = action === 'rerun' ? await change('rerun', { params: { id: run.id } }) : undefined;
      if (action === 'cancel') await change('cancel', { params: { id: run.id } });
      if (rerun?.runs[0]) navigate(`/runs/${rerun.runs[0].id}`);
      else {
        setMessage('cancel requested');
        reload();
      }
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <>
      <h1>
        {run.name} <StatusBadge status={run.status} />
      </h1>
      <ReproductionVerdict run={run} />
      <div className="toolbar">
        <span data-testid="epoch-progress">
          epoch {run.currentEpoch}/{run.epochs}
        </span>
        <span className="muted">
          seed {run.seed} · attempt {run.attempt} · <DatasetLink run={run} />
          {run.sweepId && (
            <>
              {' · sweep '}
              <Link to={`/sweeps/${run.sweepId}`}>{run.sweepName}</Link>
            </>
          )}
          <PackFact run={run} />
        </span>
        <button onClick={() => void act('rerun')}>Rerun</button>
        <button disabled={FINAL.has(run.status)} onClick={() => void act('cancel')}>
          Cancel
        </button>
        {message && <span role="status">{message}</span>}
      </div>

      {run.error && (
        <section>
          <h2>Error</h2>
          <p className="error" data-testid="run-error">
            {run.error.kind ? `${run.error.kind}${run.error.code ? ` (${run.error.code})` : ''}: ` : ''}
            {run.error.message}
          </p>
        </section>
      )}

      <section>
        <h2>Curves</h2>
        {epochs.length === 0 ? <p className="muted">No epoch yet.</p> : <CurveCharts runs={curves} points={epochs.length} />}
      </section>

      {run.testMetrics && (
        <section>
          <h2>Test metrics</h2>
          {Object.keys(run.testMetrics).length === 0 ? (
            <p className="muted">None: no rows were held out for testing (split.test).</p>
          ) : (
            <table data-testid="test-metrics">
              <tbody>
                {Object.entries(run.testMetrics).map(([name, value]) => (
                  <tr key={name}>
                    <th>{name}</th>
                    <td className="num">{formatNumber(value, 6)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {run.stoppedEarly && <p className="muted">Stopped early; best epoch {run.bestEpoch}.</p>}
        </section>
      )}

      <RunEvaluation run={run} />

      <PreprocessingTable state={run.preprocessor} />

      {summary && (
        <section>
          <h2>Model summary</h2>
          <table data-testid="model-summary">
            <thead>
              <tr>
                <th>Layer (type)</th>
                <th>Output shape</th>
                <th className="num">Param #</th>
              </tr>
            </thead>
            <tbody>
              {summary.layers.map((layer) => (
                <tr key={layer.name}>
                  <td>
                    {layer.name} ({layer.className})
                  </td>
                  <td>({layer.outputShape.map((d) => (d === null ? 'None' : d)).join(', ')})</td>
                  <td className="num">{layer.params.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Total params: {summary.totalParams.toLocaleString()} · trainable {summary.trainableParams.toLocaleString()} · non-trainable{' '}
            {summary.nonTrainableParams.toLocaleString()}
          </p>
        </section>
      )}

      <Weights run={run} />

      <section>
        <h2>Definition</h2>
        <button onClick={() => void copyText(definitionText, definitionBox.current).then(setMessage)}>Copy</button>
        <pre data-testid="definition" ref={definitionBox}>
          {definitionText}
        </pre>
      </section>

      <section>
        <h2>Environment</h2>
        <table className="kv">
          <tbody>
            <tr>
              <td>backend</td>
              <td>{run.backend ?? '—'}</td>
            </tr>
            {Object.entries(env?.backend.versions ?? {}).map(([name, version]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>{version}</td>
              </tr>
            ))}
            <PackRow run={run} />
            <tr>
              <td>host</td>
              <td>{run.host ?? '—'}</td>
            </tr>
            <tr>
              <td>dataset hash</td>
              <td>{run.datasetHash ?? '—'}</td>
            </tr>
            {env && (
              <tr>
                <td>split</td>
                <td>
                  train {env.split.train} · validation {env.split.validation} · test {env.split.test}
                </td>
              </tr>
            )}
            <tr>
              <td>seed</td>
              <td>{run.seed}</td>
            </tr>
            <tr>
              <td>queued · started · finished</td>
              <td>
                {formatTime(run.queuedAt)} · {formatTime(run.startedAt)} · {formatTime(run.finishedAt)} ({formatDuration(run.durationMs)})
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      {run.status === 'SUCCEEDED' && (
        <section>
          <h2>Model</h2>
          <p>
            {/* Plain links, so the browser downloads the files itself; on a server whose reads need the
                token they are authorized by the read cookie (a link cannot send a header), which every
                read of this page has made sure of (readAccess in api.ts). */}
            {MODEL_FILE_NAMES.map((file) => (
              <a key={file} href={`/api/runs/${run.id}/model/${file}`} download style={{ marginRight: 16 }}>
                {file}
              </a>
            ))}
          </p>
          <LoadModelNote url={`${location.origin}/api/runs/${run.id}/model/model.json`} />
        </section>
      )}
    </>
  );
}

/** The dataset the run trained on: a registered one links to the exact version pinned at submission. */
function DatasetLink({ run }: { run: RunDetailView }) {
  const dataset = run.definition.dataset;
  if (!isRegisteredDataset(dataset) || dataset.version === undefined) return <>{run.dataset}</>;
  return (
    <Link to={versionPath(dataset.name, dataset.version)} data-testid="dataset-version" title={dataset.sha256 ? `sha256 ${dataset.sha256}` : undefined}>
      {dataset.name}@{dataset.version}
    </Link>
  );
}

/**
 * How a tfjs program loads the model. Where reads need the API token, tfjs' http handler passes
 * `requestInit` (a fetch RequestInit) to every request it makes, model.json and the weights
 * files alike (LoadOptions in @tensorflow/tfjs-core's io/types.d.ts).
 */
function LoadModelNote({ url }: { url: string }) {
  const [tokenNeeded, setTokenNeeded] = useState(false);
  useEffect(() => {
    let current = true;
    serverConfig().then((config) => current && setTokenNeeded(readsNeedToken(config)), () => undefined);
    return () => {
      current = false;
    };
  }, []);
  if (!tokenNeeded) return <p className="muted">{`tf.loadLayersModel('${url}') loads it.`}</p>;
  return (
    <p className="muted" data-testid="load-model">
      {`tf.loadLayersModel('${url}', { requestInit: { headers: { Authorization: 'Bearer <token>' } } }) loads it: `}
      this server needs its API token (TRAINYARD_API_TOKEN) for model files too.
    </p>
  );
}

/** Epochs by number; `newer` wins for an epoch both have. */
function mergeEpochs(older: EpochView[], newer: EpochView[]): EpochView[] {
  const byEpoch = new Map(older.map((e) => [e.epoch, e]));
  for (const e of newer) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * The model as the same linear map on the raw inputs and target, when it is one (every layer
 * dense with linear activation, the scaling linear, no one-hot columns); undefined otherwise.
 */
function rawWeightsOf(run: RunDetailView): RawWeights | undefined {
  const { weights, preprocessor } = run;
  const layers = run.definition.model.layers;
  if (!weights || !preprocessor || weights.length !== layers.length) return undefined;
  // A definition shown as submitted may leave out the default activation (linear).
  const linear = (activation: string | undefined): boolean => activation === undefined || activation === 'linear';
  if (!layers.every((layer) => layer.type === 'dense' && linear(layer.activation))) return undefined;
  const dense = weights.map((w) => (w.kernel ? { kernel: w.kernel, ...(w.bias ? { bias: w.bias } : {}) } : undefined));
  if (dense.some((d) => d === undefined)) return undefined;
  const one = composeLinearLayers(dense.filter((d) => d !== undefined));
  return one ? rawInputWeights(preprocessor, one) : undefined;
}

function Weights({ run }: { run: RunDetailView }) {
  const { weights, preprocessor } = run;
  if (!weights || weights.length === 0) return null;
  const layers = weights;
  // Worth showing unless it would repeat the one layer (nothing scaled, nothing to multiply out).
  const raw = preprocessor && layers.length === 1 && describeWeightScale(preprocessor) === 'on the raw inputs' ? undefined : rawWeightsOf(run);
  // The first layer's kernel rows are the features when no column is one-hot encoded.
  const firstRows = preprocessor && layers[0]?.kernel?.length === preprocessor.featureNames.length ? preprocessor.featureNames : undefined;
  return (
    <section>
      <h2>Learned weights</h2>
      {preprocessor && <p className="muted">As trained, {describeWeightScale(preprocessor)}.</p>}
      {layers.map((layer, l) => (
        <div key={layer.layer}>
          <h3 style={{ fontSize: 13 }}>{layer.layer}</h3>
          {layer.kernel && (
            <table>
              <tbody>
                {layer.kernel.map((row, i) => (
                  <tr key={i}>
                    <th>kernel[{l === 0 && firstRows ? firstRows[i] : i}]</th>
                    {row.map((w, j) => (
                      <td key={j} className="num">
                        {formatNumber(w, 5)}
                      </td>
                    ))}
                  </tr>
                ))}
                {layer.bias && (
                  <tr>
                    <th>bias</th>
                    {layer.bias.map((b, j) => (
                      <td key={j} className="num">
                        {formatNumber(b, 5)}
                      </td>
                    ))}
                  </tr>
                )}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {raw && preprocessor && (
        <div data-testid="raw-weights">
          <h3 style={{ fontSize: 13 }}>On the raw inputs</h3>
          <p className="muted">
            The same model in the data&apos;s own units ({layers.length > 1 ? 'the linear layers multiplied out, ' : ''}scaling undone): each
            target = Σ weight × feature + bias.
          </p>
          <table>
            <thead>
              <tr>
                <th />
                {preprocessor.targetNames.map((t) => (
                  <th key={t} className="num">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {raw.kernel.map((row, j) => (
                <tr key={j}>
                  <th>× {preprocessor.featureNames[j]}</th>
                  {row.map((w, k) => (
                    <td key={k} className="num">
                      {formatNumber(w, 5)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th>bias</th>
                {raw.bias.map((b, k) => (
                  <td key={k} className="num">
                    {formatNumber(b, 5)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The run's recorded predictions of its definition's `predict` rows (the API types them as unknown). */
/**
 * Copies to the clipboard. The Clipboard API exists only in secure contexts (https, or this
 * machine): on a team server reached over plain http the text is selected instead, so that
 * Ctrl+C copies it. Says which happened.
 */
async function copyText(text: string, box: HTMLElement | null): Promise<string> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return 'definition copied';
    } catch {
      // Permission refused: fall back to selecting it.
    }
  }
  const selection = window.getSelection();
  if (!box || !selection) return 'copy it from the definition below';
  const range = document.createRange();
  range.selectNodeContents(box);
  selection.removeAllRanges();
  selection.addRange(range);
  return 'definition selected: press Ctrl+C (or Cmd+C) to copy it';
}
