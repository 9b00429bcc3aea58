import { useState } from 'react';
import { logAllowed, logByDefault } from './sweep-log-scale.js';

export interface LogScale {
  /** Whether the axis is in log scale now. */
  on: boolean;
  /** Whether it can be (every value above 0). */
  allowed: boolean;
  set(on: boolean): void;
}

/**
 * A log-scale choice per `key` (the parameter or metric an axis shows): the default from the
 * values (see logByDefault) until the user ticks or unticks the box.
 */
export function useLogScale(key: string, values: readonly number[]): LogScale {
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const allowed = logAllowed(values);
  return {
    allowed,
    on: allowed && (chosen[key] ?? logByDefault(values)),
    set: (on) => setChosen((previous) => ({ ...previous, [key]: on })),
  };
}

/** A checkbox "log x" or "log y"; disabled, and saying why, where a value is 0 or below. */
export function LogToggle({ axis, scale }: { axis: 'x' | 'y'; scale: LogScale }) {
  return (
    <label title={scale.allowed ? undefined : 'a log scale needs every value above 0'}>
      <input type="checkbox" checked={scale.on} disabled={!scale.allowed} onChange={(e) => scale.set(e.target.checked)} /> log {axis}
    </label>
  );
}
