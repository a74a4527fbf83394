import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isAbort } from './api.js';
import { problemOf } from './forms.js';
import type { Problem } from './types.js';

/** Sets the browser tab's title for the current screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Autolog`;
  }, [title]);
}

export interface Loaded<T> {
  data: T | undefined;
  error: Problem | undefined;
  loading: boolean;
  reload: () => void;
  /** Replace the data locally after a change the server has confirmed. */
  set: (data: T) => void;
}

/**
 * Loads data for a screen and reloads it when `deps` change; a newer load aborts an older one,
 * so a slow answer to an old search can never overwrite the answer to the current one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Problem | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        setError(problemOf(e));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, set: setData };
}

/** `value`, once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** How long typing pauses before a list's search runs. */
export const SEARCH_DELAY_MS = 350;

/**
 * A list's search kept in the address bar, so back/forward and shared links reproduce it: the
 * search box's text settles into `q` after a pause, other filters and the page go through `update`
 * (an empty value removes the parameter).
 */
export function useAddressSearch() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [text, setText] = useState(q);
  const settledText = useDebounced(text, SEARCH_DELAY_MS);

  const update = useCallback((next: Record<string, string>) => {
    setParams((current) => {
      const merged = new URLSearchParams(current);
      for (const [key, value] of Object.entries(next)) {
        if (value) merged.set(key, value);
        else merged.delete(key);
      }
      return merged;
    }, { replace: true });
  }, [setParams]);

  // Back/forward changes the address: show its search in the box.
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (settledText.trim() !== q) update({ q: settledText.trim(), page: '' });
  }, [settledText]);

  return { params, q, page, text, setText, update };
}
