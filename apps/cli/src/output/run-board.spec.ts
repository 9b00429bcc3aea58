import { describe, expect, it } from 'vitest';
import { compactTrialName, RunBoard, type BoardStream } from './run-board.js';

/** A terminal of the given height that keeps what was written to it. */
function terminal(rows: number): BoardStream & { text: () => string } {
  const chunks: string[] = [];
  return {
    isTTY: true,
    rows,
    write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0,
    text: () => chunks.join(''),
  };
}

/** The text with the terminal's escape sequences (ESC [ digits letter) taken out. */
const withoutEscapes = (line: string): string =>
  line
    .split('\x1b[')
    .map((part, i) => (i === 0 ? part : part.replace(/^\d*[A-Za-z]/, '')))
    .join('');

/** The lines of the last block drawn, without the escape codes. */
const lastBlock = (written: string): string[] =>
  (written.split('\x1b[J').at(-2) ?? '')
    .split('\n')
    .map((line) => withoutEscapes(line).replace('\r', ''))
    .filter(Boolean);

describe('RunBoard', () => {
  it('draws a line per run when they fit the terminal', () => {
    const out = terminal(24);
    const board = new RunBoard(out);
    board.track('a', 'first', 10);
    board.track('b', 'second', 10);
    board.update('a', { status: 'RUNNING', epoch: 5 });
    board.draw();
    const lines = lastBlock(out.text());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^first\s+RUNNING\s+\[=+\.+\] 5\/10$/);
    expect(lines[1]).toMatch(/^second\s+QUEUED/);
  });

  it('a sweep taller than the terminal is a count per status and the runs in training, never more lines than fit', () => {
    const out = terminal(10);
    const board = new RunBoard(out);
    for (let i = 0; i < 1000; i++) board.track(`r${i}`, `trial ${i}`, 20);
    for (let i = 0; i < 5; i++) board.update(`r${i}`, { status: 'SUCCEEDED', epoch: 20 });
    for (let i = 5; i < 8; i++) board.update(`r${i}`, { status: 'RUNNING', epoch: 3 });
    board.draw();
    expect(lastBlock(out.text())).toEqual([
      expect.stringMatching(/^1000 runs: 992 queued, 3 running, 5 succeeded$/),
      expect.stringMatching(/^trial 5 +RUNNING/),
      expect.stringMatching(/^trial 6 +RUNNING/),
      expect.stringMatching(/^trial 7 +RUNNING/),
    ]);
    // Twenty in training: eight lines shown, the rest counted; the block moves up over the one before.
    for (let i = 8; i < 25; i++) board.update(`r${i}`, { status: 'RUNNING', epoch: 1 });
    board.draw();
    const lines = lastBlock(out.text());
    expect(lines).toHaveLength(9);
    expect(lines.at(-1)).toBe('... and 13 more running');
    expect(out.text()).toContain('\x1b[4A');
  });

  it('writes a line per status change to a log or pipe, and draws nothing there', () => {
    const chunks: string[] = [];
    const board = new RunBoard({ isTTY: false, rows: 0, write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0 });
    board.track('a', 'first', 3);
    board.update('a', { status: 'RUNNING' });
    board.update('a', { epoch: 1 });
    board.draw();
    board.update('a', { status: 'SUCCEEDED', epoch: 3 });
    expect(chunks.map((c) => c.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['first RUNNING', 'first SUCCEEDED']);
  });

  it('never moves a run backwards: a final status stays, and an older snapshot does not undo a newer epoch', () => {
    const chunks: string[] = [];
    const pipe: BoardStream = { isTTY: false, rows: 0, write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0 };
    const board = new RunBoard(pipe);
    board.track('a', 'first', 100);
    board.update('a', { status: 'RUNNING', epoch: 40, metrics: { loss: 0.5 } });
    board.update('a', { status: 'RUNNING', epoch: 12, metrics: { loss: 2 } }); // a polled snapshot, older than the live event
    board.update('a', { status: 'SUCCEEDED', epoch: 100, metrics: { loss: 0.1 } });
    board.update('a', { status: 'RUNNING', epoch: 0 }); // `submit --wait | cat` saw this line come back
    expect(chunks.map((c) => c.trim().split(/\s+/).slice(1, 2)[0])).toEqual(['RUNNING', 'SUCCEEDED']);
    // A retried run goes back through QUEUED and may start from epoch 0 again.
    board.track('b', 'second', 10);
    board.update('b', { status: 'RUNNING', epoch: 5 });
    board.update('b', { status: 'QUEUED', epoch: 0 });
    board.update('b', { status: 'RUNNING', epoch: 1 });
    expect(chunks.slice(2).map((c) => c.trim().split(/\s+/)[1])).toEqual(['RUNNING', 'QUEUED', 'RUNNING']);
  });

  it("tells sweep trials apart by their parameters with short names, where 40 characters cut them to the same text", () => {
    const out = terminal(24);
    const board = new RunBoard(out);
    board.track('a', 'california-lr optimizer.learningRate=0.01 seed=1', 10);
    board.track('b', 'california-lr optimizer.learningRate=0.001 seed=2', 10);
    board.draw();
    const lines = lastBlock(out.text());
    expect(lines[0]).toMatch(/^california-lr learningRate=0\.01 seed=1 +QUEUED/);
    expect(lines[1]).toMatch(/^california-lr learningRate=0\.001 seed=2 QUEUED/);
  });

  it('cuts a name longer than its column in the middle, keeping the parameters at its end', () => {
    const out = terminal(24);
    const board = new RunBoard(out);
    board.track('a', `${'a-very-long-sweep-name-'.repeat(4)} optimizer.learningRate=0.01 seed=3`, 10);
    board.draw();
    const [line] = lastBlock(out.text());
    expect(line).toMatch(/^a-very-long-sweep-name-a-very-….*learningRate=0\.01 seed=3 QUEUED/);
    expect(line?.indexOf(' QUEUED')).toBe(60);
  });
});

describe('compactTrialName', () => {
  it.each([
    ['california-lr optimizer.learningRate=0.01 seed=2', 'california-lr learningRate=0.01 seed=2'],
    ['grid model.layers[0].units=8 model.layers[1].units=4', 'grid model.layers[0].units=8 model.layers[1].units=4'],
    ['grid model.layers[0].units=8 optimizer.name="adam"', 'grid units=8 name="adam"'],
    ['my sweep optimizer.learningRate=0.1', 'my sweep learningRate=0.1'],
    ['notebook-1-multiply', 'notebook-1-multiply'],
    ['a=b', 'a=b'],
  ])('%s -> %s', (name, short) => {
    expect(compactTrialName(name)).toBe(short);
  });
});
