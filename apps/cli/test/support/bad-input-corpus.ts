/*
 * Bad input for the API, gathered from a probe of a team server and from what an attacker or
 * a careless client would send. Each case is one request and what a correct server answers:
 * a 4xx status and the field it names (an issue's path, or the `field: ...` its message
 * starts with). None may write a row, queue a job or read a file.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiplyDefinition } from '@trainyard/experiments/testing';
import { REPO_ROOT } from '../run-cli.js';

export interface BadInput {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A value is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without the API token. */
  anonymous?: boolean;
  status: number;
  /** The field the answer must name; omitted where there is none (auth, media type). */
  field?: string;
}

const UUID = '4f0c2a52-9e55-4c1b-8d0e-3f1a7b2c9d10';
const DEEP = 10_000;

/** A valid definition (the notebook's first task) to break one field at a time. */
export function validDefinition(name: string): Record<string, unknown> {
  return { ...multiplyDefinition(name) };
}

const def = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...validDefinition('corpus'), ...patch });
const layers = (...list: Record<string, unknown>[]) => ({ model: { layers: list } });
const sweep = (patch: Record<string, unknown>): Record<string, unknown> => ({ name: 'corpus sweep', base: validDefinition('corpus'), ...patch });
const cursor = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const post = (name: string, body: unknown, field: string | undefined, status = 400): BadInput => ({
  name,
  method: 'POST',
  path: '/api/experiments',
  body,
  status,
  ...(field !== undefined ? { field } : {}),
});
const get = (name: string, path: string, field: string | undefined, status = 400): BadInput => ({
  name,
  method: 'GET',
  path,
  status,
  ...(field !== undefined ? { field } : {}),
});

/**
 * A symlink to /etc/passwd with an innocent name: the hardening test makes it before sending
 * the corpus (a server that followed it would read the real file).
 */
export const CORPUS_SYMLINK = join(tmpdir(), `trainyard-corpus-${process.pid}`, 'prices.csv');
/** The embedded database's folder (`trainyard up` from the repository), and a file in it. */
const PGLITE_DIR = join(REPO_ROOT, '.trainyard', 'db');

const upload = (name: string, path: string, field: string): BadInput => ({ name, method: 'POST', path, body: 'x,y\n1,2\n', headers: { 'content-type': 'text/csv' }, status: 400, field });

const files = ['/etc/shadow', '/etc/passwd', '../../.env', '/dev/zero', 'linear.csv', '.trainyard/db/postgresql.conf', '/proc/self/environ', '/tmp/fifo', CORPUS_SYMLINK, PGLITE_DIR, '.trainyard/db', `${PGLITE_DIR}/PG_VERSION`];
/**
 * A few of them through a sweep's grid, each trial a path. The answer names the trial with its
 * value, so the PGlite folder is given relative here (an absolute one would put this
 * machine's /work path in the answer, which the leak check refuses whoever sent it).
 */
const gridFiles = ['/etc/passwd', '../../.env', CORPUS_SYMLINK, '.trainyard/db'];
const csvBase = (path: string) => def({ dataset: { name: 'csv', path, target: 'x' } });

export const BAD_INPUTS: BadInput[] = [
  // A worker's files: a definition through the API names no path.
  ...files.map((path) => post(`csv path ${path}`, def({ dataset: { name: 'csv', path, target: 'x' } }), 'dataset.path')),
  post('csv path in a sweep base', sweep({ base: def({ dataset: { name: 'csv', path: '/etc/passwd', target: 'x' } }), repeats: 2 }), 'base.dataset.path'),
  post('a path on a built-in dataset', def({ dataset: { name: 'multiply', path: '/etc/passwd' } }), 'dataset.path'),
  post('a path on a registered dataset', def({ dataset: { name: 'prices', path: '/etc/passwd', target: 'x' } }), 'dataset.path'),
  post("a sweep's grid of csv paths", sweep({ base: csvBase('prices.csv'), grid: { 'dataset.path': gridFiles } }), 'base.dataset.path'),
  ...gridFiles.map((path) => post(`a sweep's grid setting dataset.path ${path} on a registered dataset`, sweep({ base: def({ dataset: { name: 'prices', target: 'x' } }), grid: { 'dataset.path': [path] } }), 'base.dataset.path')),
  post("a sweep's grid of whole csv datasets", sweep({ grid: { dataset: gridFiles.map((path) => ({ name: 'csv', path, target: 'x' })) } }), 'base.dataset.path'),

  // Registered datasets that are not there: refused at submission, nothing queued to fail later.
  post('a registered dataset that does not exist', def({ dataset: { name: 'no-such-dataset', target: 'x' } }), 'dataset.name'),
  post('a version of a dataset that does not exist', def({ dataset: { name: 'no-such-dataset@3', target: 'x' } }), 'dataset.name'),
  post('a registered dataset by a hash no version has', def({ dataset: { name: 'no-such-dataset', sha256: '0'.repeat(64), target: 'x' } }), 'dataset'),
  post('a registered dataset in a sweep base that does not exist', sweep({ base: def({ dataset: { name: 'no-such-dataset', target: 'x' } }), repeats: 2 }), 'base.dataset'),
  post('a dataset name with a path in it', def({ dataset: { name: '../../etc/passwd', target: 'x' } }), 'dataset'),

  // Text the record cannot keep.
  post('NUL in name', def({ name: 'a\u0000b' }), 'name'),
  post('lone high surrogate in name', def({ name: 'a\ud800' }), 'name'),
  post('lone low surrogate in name', def({ name: '\udc00b' }), 'name'),
  post('NUL in description', def({ description: 'x\u0000' }), 'description'),
  post('NUL in a sweep name', sweep({ name: 'sw\u0000eep', repeats: 2 }), 'name'),

  // Sizes that do not fit the dataset or a worker.
  post('split.test 100 on seven rows', def({ split: { test: 100 } }), 'split.test'),
  post('split leaves no training rows', def({ split: { test: 0.5, validation: 0.99 } }), 'split'),
  post('sum n 5 all in test', def({ dataset: { name: 'sum', n: 5 }, split: { test: 5 } }), 'split'),
  post('31 layers of 4,096 units, adam, batch 65,536', def({ ...layers(...Array.from({ length: 31 }, () => ({ type: 'dense', units: 4096 })), { type: 'dense', units: 1 }), optimizer: 'adam', batchSize: 65_536 }), 'model.layers'),
  post('one wide layer, batch 65,536', def({ ...layers({ type: 'dense', units: 4096 }, { type: 'dense', units: 1 }), batchSize: 65_536 }), 'batchSize'),
  post('time limit above the server maximum', def({ timeLimitSeconds: 7 * 24 * 3600 }), 'timeLimitSeconds'),
  post('time limit 0', def({ timeLimitSeconds: 0 }), 'timeLimitSeconds'),
  post('time limit not a number', def({ timeLimitSeconds: '1h' }), 'timeLimitSeconds'),

  // The schema, field by field.
  ...[0, 10_001, 1.5, '20', -1, null].map((epochs) => post(`epochs ${JSON.stringify(epochs)}`, def({ epochs }), 'epochs')),
  ...[0, 65_537, 2.5].map((batchSize) => post(`batchSize ${batchSize}`, def({ batchSize }), 'batchSize')),
  ...[0, 4_097, 1.5].map((units) => post(`units ${units}`, def(layers({ type: 'dense', units })), 'model.layers[0].units')),
  post('no layers', def(layers()), 'model.layers'),
  post('33 layers', def(layers(...Array.from({ length: 33 }, () => ({ type: 'dense', units: 1 })))), 'model.layers'),
  post('unknown layer type', def(layers({ type: 'lstm', units: 1 })), 'model.layers[0].type'),
  post('unknown activation', def(layers({ type: 'dense', units: 1, activation: 'evil' })), 'model.layers[0].activation'),
  post('unknown field in a layer', def(layers({ type: 'dense', units: 1, extra: true })), 'model.layers[0].extra'),
  post('dropout rate 1', def(layers({ type: 'dropout', rate: 1 }, { type: 'dense', units: 1 })), 'model.layers[0].rate'),
  post('last layer not dense', def(layers({ type: 'dense', units: 1 }, { type: 'dropout', rate: 0.5 })), 'model.layers[1].type'),
  post('output units do not fit the targets', def(layers({ type: 'dense', units: 3 })), 'model.layers[0].units'),
  post('unknown top-level field', def({ foo: 1 }), 'foo'),
  // Not built in, so a registered dataset: without a target that is what the answer names; with one, that there is no such dataset.
  post('unknown dataset', def({ dataset: { name: 'mnist_secret' } }), 'dataset'),
  post('unknown dataset with a target', def({ dataset: { name: 'mnist_secret', target: 'label' } }), 'dataset.name'),
  post('no dataset', def({ dataset: undefined }), 'dataset'),
  post('sum n 0', def({ dataset: { name: 'sum', n: 0 } }), 'dataset.n'),
  post('sum n 1,000,001', def({ dataset: { name: 'sum', n: 1_000_001 } }), 'dataset.n'),
  post('unknown optimizer', def({ optimizer: 'lbfgs' }), 'optimizer.name'),
  ...[0, -1, 11].map((learningRate) => post(`learning rate ${learningRate}`, def({ optimizer: { name: 'sgd', learningRate } }), 'optimizer.learningRate')),
  post('unknown optimizer field', def({ optimizer: { name: 'sgd', eval: 'x' } }), 'optimizer.eval'),
  post('unknown loss', def({ loss: 'hinge' }), 'loss'),
  post('classification loss on regression', def({ loss: 'categorical_crossentropy' }), 'loss'),
  post('accuracy on regression', def({ metrics: ['accuracy'] }), 'metrics[0]'),
  post('four metrics', def({ metrics: ['mae', 'mse', 'mae', 'mse'] }), 'metrics'),
  post('unknown metric', def({ metrics: ['auc'] }), 'metrics[0]'),
  post('predict row of the wrong width', def({ predict: [[1, 2]] }), 'predict[0]'),
  post('predict 1,001 rows', def({ predict: Array.from({ length: 1_001 }, () => [1]) }), 'predict'),
  post('predict an object', def({ predict: [[{ $gt: 0 }]] }), 'predict[0][0]'),
  ...[-1, 2 ** 31, 1.5].map((seed) => post(`seed ${seed}`, def({ seed }), 'seed')),
  post('empty name', def({ name: '' }), 'name'),
  post('blank name', def({ name: '   ' }), 'name'),
  post('name of 201 characters', def({ name: 'n'.repeat(201) }), 'name'),
  post('name not a string', def({ name: { $ne: null } }), 'name'),
  post('description of 5,001 characters', def({ description: 'd'.repeat(5_001) }), 'description'),
  post('early stopping monitor not a metric name', def({ earlyStopping: { monitor: 'loss; DROP TABLE', patience: 1 } }), 'earlyStopping.monitor'),
  post('early stopping on val_loss without validation', def({ earlyStopping: { monitor: 'val_loss', patience: 1 } }), 'earlyStopping.monitor'),
  post('stratify on regression', def({ split: { test: 0, stratify: true } }), 'split.stratify'),
  post('split.test 1.5', def({ split: { test: 1.5 } }), 'split.test'),
  post('split.test negative', def({ split: { test: -0.1 } }), 'split.test'),
  post('target scaling on classification', def({ dataset: { name: 'iris' }, loss: 'sparse_categorical_crossentropy', ...layers({ type: 'dense', units: 3, activation: 'softmax' }), preprocessing: { target: 'minmax' } }), 'preprocessing.target'),
  post('an empty object', {}, 'name'),
  post('an array', [], ''),
  post('a number', 1, ''),
  post('null', null, ''),

  // Sweeps: field paths, sizes, prototypes.
  post('grid __proto__.polluted', sweep({ grid: { '__proto__.polluted': [1, 2] } }), 'grid'),
  post('grid __proto__.x', sweep({ grid: { '__proto__.x': [1] } }), 'grid'),
  post('grid constructor.prototype.x', sweep({ grid: { 'constructor.prototype.x': [1] } }), 'grid'),
  post('grid prototype', sweep({ grid: { prototype: [1] } }), 'grid'),
  post('grid model.__proto__.x', sweep({ grid: { 'model.__proto__.x': [1] } }), 'grid'),
  post('random __proto__.x', sweep({ random: { params: { '__proto__.x': { uniform: [0, 1] } }, trials: 2 } }), 'random.params'),
  post('grid on a field definitions do not have', sweep({ grid: { 'foo.bar': [1, 2] } }), 'grid'),
  post('grid path not a path', sweep({ grid: { 'a b': [1] } }), 'grid'),
  post('grid of 7 fields x 10 values', sweep({ grid: Object.fromEntries(['epochs', 'seed', 'batchSize', 'optimizer.learningRate', 'optimizer.momentum', 'split.test', 'model.layers[0].units'].map((path) => [path, Array.from({ length: 10 }, (_, i) => i + 1)])) }), 'grid'),
  post('grid of 1,001 values', sweep({ grid: { seed: Array.from({ length: 1_001 }, (_, i) => i) } }), 'grid'),
  post('grid with no values', sweep({ grid: { seed: [] } }), 'grid'),
  post('random trials 1,001', sweep({ random: { params: { seed: { int: [0, 9] } }, trials: 1_001 } }), 'random.trials'),
  post('repeats 101', sweep({ repeats: 101 }), 'repeats'),
  post('grid x repeats over the cap', sweep({ grid: { seed: Array.from({ length: 100 }, (_, i) => i) }, repeats: 11 }), 'grid'),
  post('uniform with one bound', sweep({ random: { params: { 'optimizer.learningRate': { uniform: [0.1] } }, trials: 2 } }), 'random.params'),
  post('logUniform below zero', sweep({ random: { params: { 'optimizer.learningRate': { logUniform: [-1, 1] } }, trials: 2 } }), 'random.params'),
  post('a sweep that varies nothing', sweep({}), 'grid'),
  post('a sweep whose base is not an object', sweep({ base: 'x', repeats: 2 }), 'base'),
  post('a grid value that breaks the definition', sweep({ grid: { epochs: [10, 0] } }), 'base.epochs'),
  post('a grid that sets a path on a built-in dataset', sweep({ grid: { 'dataset.path': ['/etc/passwd'] } }), 'base.dataset'),

  // The body itself.
  post(`${DEEP} levels of nesting in a sweep base`, `{"name":"deep","base":${nested(DEEP)},"repeats":2}`, undefined),
  post('65 levels of nesting in predict', JSON.stringify(def({})).replace('"epochs":100', `"epochs":100,"predict":${nested(65)}`), undefined),
  { name: 'charset utf-16', method: 'POST', path: '/api/experiments', body: JSON.stringify(def({})), headers: { 'content-type': 'application/json; charset=utf-16' }, status: 415 },
  { name: 'charset latin1', method: 'POST', path: '/api/experiments', body: JSON.stringify(def({})), headers: { 'content-type': 'application/json;charset="ISO-8859-1"' }, status: 415 },
  { name: 'text/plain body', method: 'POST', path: '/api/experiments', body: JSON.stringify(def({})), headers: { 'content-type': 'text/plain' }, status: 415 },
  post('not JSON', '{"name":', undefined),
  post('an empty JSON body', '', undefined),
  post('a body over 1 MiB', JSON.stringify(def({ description: 'x'.repeat(1_100_000) })), undefined, 413),
  post('a __proto__ key', '{"name":"p","__proto__":{"polluted":true}}', undefined),
  post('a constructor.prototype key', '{"name":"p","constructor":{"prototype":{"polluted":true}}}', undefined),

  // Queries.
  get('name=%00', '/api/runs?name=%00', 'name'),
  get('dataset=%00', '/api/runs?dataset=a%00b', 'dataset'),
  get('name twice', '/api/runs?name=a&name=b', 'name'),
  get('unknown query field', '/api/runs?foo=1', 'foo'),
  get('cursor 1e-400', `/api/runs?sort=metric:mae&cursor=${cursor({ s: 'metric:mae', v: '1e-400', id: UUID })}`, 'cursor'),
  get('cursor 2024-02-30', `/api/runs?cursor=${cursor({ s: '-queuedAt', v: '2024-02-30 00:00:00', id: UUID })}`, 'cursor'),
  get('cursor not base64', '/api/runs?cursor=!!!', 'cursor'),
  get('cursor not JSON', `/api/runs?cursor=${Buffer.from('garbage').toString('base64url')}`, 'cursor'),
  get('cursor of another sort', `/api/runs?sort=name&cursor=${cursor({ s: '-queuedAt', v: '2024-02-28 00:00:00', id: UUID })}`, 'cursor'),
  get('cursor with a bad id', `/api/runs?cursor=${cursor({ s: '-queuedAt', v: '2024-02-28 00:00:00', id: "1' OR '1'='1" })}`, 'cursor'),
  ...['0', '201', 'abc', '-1', '1.5'].map((limit) => get(`limit ${limit}`, `/api/runs?limit=${limit}`, 'limit')),
  get('sort by something else', '/api/runs?sort=password', 'sort'),
  get('unknown status', '/api/runs?status=BOGUS', 'status'),
  get('ids not uuids', '/api/runs?ids=1,2', 'ids'),
  get('201 ids', `/api/runs?ids=${Array.from({ length: 201 }, () => UUID).join(',')}`, 'ids'),
  get('sweep not a uuid', '/api/runs?sweep=x', 'sweep'),
  get('sweeps cursor garbage', '/api/sweeps?cursor=abc', 'cursor'),
  get('sweeps cursor of 30 February', `/api/sweeps?cursor=${cursor({ t: '2024-02-30T00:00:00.000Z', id: UUID })}`, 'cursor'),
  get('sweep id not a uuid', '/api/sweeps/..%2F..%2Fetc', 'id'),
  get('sweep metric not a metric name', `/api/sweeps/${UUID}?metric=DROP%20TABLE`, 'metric'),
  get('events for bad run ids', '/api/events?runs=../../etc/passwd', 'runs'),

  // Datasets: names, versions, hashes, uploads.
  get('dataset name up the tree', '/api/datasets/..%2F..%2Fetc%2Fpasswd', 'name'),
  get('dataset name in capitals', '/api/datasets/Flats', 'name'),
  get('dataset version 0', '/api/datasets/flats/versions/0', 'version'),
  get('dataset version not a number', '/api/datasets/flats/versions/1%20OR%201=1', 'version'),
  get('datasets by a sha256 that is not one', '/api/datasets?sha256=..%2F..%2Fetc', 'sha256'),
  get('a dataset that does not exist', '/api/datasets/no-such-dataset', undefined, 404),
  get('the bytes of a version that does not exist', '/api/datasets/no-such-dataset/versions/1/file', undefined, 404),
  upload('an upload under a built-in name', '/api/datasets/iris', 'name'),
  upload('an upload under a name with a path', '/api/datasets/..%2Fetc', 'name'),
  upload('an upload with a filename holding NUL', '/api/datasets/flats?filename=a%00b.csv', 'filename'),
  { name: 'an upload sent as JSON', method: 'POST', path: '/api/datasets/flats', body: { rows: [[1]] }, status: 415 },
  { name: 'an upload without the token', method: 'POST', path: '/api/datasets/flats', body: 'x,y\n1,2\n', headers: { 'content-type': 'text/csv' }, anonymous: true, status: 401 },

  // Ids and files.
  get('run id not a uuid', '/api/runs/not-a-uuid', 'id'),
  get('a run that does not exist', `/api/runs/${UUID}`, undefined, 404),
  get('epochs of a run that does not exist', `/api/runs/${UUID}/epochs`, undefined, 404),
  get('model of a run that does not exist', `/api/runs/${UUID}/model/model.json`, undefined, 404),
  get('a model file that is not one', `/api/runs/${UUID}/model/secret.txt`, 'file'),
  get('a model file path up the tree', `/api/runs/${UUID}/model/..%2F..%2F..%2Fetc%2Fpasswd`, 'file'),
  { name: 'cancel a run that does not exist', method: 'POST', path: `/api/runs/${UUID}/cancel`, status: 404 },
  { name: 'rerun a run that does not exist', method: 'POST', path: `/api/runs/${UUID}/rerun`, status: 404 },
  { name: 'predict a run that does not exist', method: 'POST', path: `/api/runs/${UUID}/predict`, body: { inputs: [[1]] }, status: 404 },
  { name: 'predict inputs not numbers', method: 'POST', path: `/api/runs/${UUID}/predict`, body: { inputs: 'x' }, status: 400, field: 'inputs' },
  { name: 'predict 1,001 rows', method: 'POST', path: `/api/runs/${UUID}/predict`, body: { inputs: Array.from({ length: 1_001 }, () => [1]) }, status: 400, field: 'inputs' },
  { name: 'cancel with a bad id', method: 'POST', path: '/api/runs/1%27%20OR%201=1/cancel', status: 400, field: 'id' },

  // The token.
  { name: 'a submission without the token', method: 'POST', path: '/api/experiments', body: def({}), anonymous: true, status: 401 },
  { name: 'runs without the token', method: 'GET', path: '/api/runs', anonymous: true, status: 401 },
  { name: 'a run without the token', method: 'GET', path: `/api/runs/${UUID}`, anonymous: true, status: 401 },
  { name: 'the queue without the token', method: 'GET', path: '/api/queue', anonymous: true, status: 401 },
  { name: 'events without the token', method: 'GET', path: '/api/events', anonymous: true, status: 401 },
  { name: 'weights without the token', method: 'GET', path: `/api/runs/${UUID}/model/weights.bin`, anonymous: true, status: 401 },
  { name: 'a wrong token', method: 'GET', path: '/api/runs', anonymous: true, headers: { authorization: 'Bearer wrong' }, status: 401 },
  { name: 'the token with a character more', method: 'GET', path: '/api/runs', headers: { authorization: 'Bearer TOKENx' }, anonymous: true, status: 401 },
  { name: 'the token in another scheme', method: 'GET', path: '/api/runs', headers: { authorization: 'Basic TOKEN' }, anonymous: true, status: 401 },
];
