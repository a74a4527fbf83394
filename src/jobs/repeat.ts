/**
 * Runs `run` now, then again `intervalMs` after each run has ended (never two at once), until
 * stopped. A failed run is reported to `onError` and the loop carries on. `stop()` waits for a
 * run in flight and schedules nothing after it.
 */
export function repeat(run: () => Promise<unknown>, intervalMs: number, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = run().then(() => undefined, onError).finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
