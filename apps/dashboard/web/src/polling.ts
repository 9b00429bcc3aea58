import { useEffect, useRef, useState } from 'react';
import { errorText } from './api.js';

/**
 * Reads now and every `everyMs` until `done` says the answer will not change any more; a new
 * `key` (what the read asks for) starts over. The latest answer stays shown when a later read
 * fails; the error clears on the next success.
 */
export function usePolling<T>(key: string, fetch: () => Promise<T>, everyMs: number, done?: (answer: T) => boolean): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const finished = useRef(done);
  const reader = useRef(fetch);
  useEffect(() => {
    finished.current = done;
    reader.current = fetch;
  });
  useEffect(() => {
    let current = true;
    const read = (): void => {
      reader.current().then(
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
  }, [key, everyMs]);
  return { data, error };
}
