import { useEffect, useRef, useState } from 'react';
import { errorText, getJson } from './api.js';

/**
 * GET `path` now and every `everyMs` until `done` says the answer will not change any more.
 * The latest answer stays shown when a later read fails; the error clears on the next success.
 */
export function usePolling<T>(path: string, everyMs: number, done?: (answer: T) => boolean): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const finished = useRef(done);
  useEffect(() => {
    finished.current = done;
  });
  useEffect(() => {
    let current = true;
    const read = (): void => {
      getJson<T>(path).then(
        (answer) => {
          if (!current) return;
          setData(answer);
          setError(undefined);
          if (finished.current?.(answer)) clearInterval(timer);
        },
        (e: unknown) => {
          if (current) setError(errorText(e));
        },
      );
    };
    const timer = setInterval(read, everyMs);
    read();
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [path, everyMs]);
  return { data, error };
}
