import { describe, expect, it } from 'vitest';
import { repeat } from './repeat.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('repeat', () => {
  it('runs at once and again after each run, carries on after a failure, and runs nothing once stopped', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    const loop = repeat(async () => {
      runs++;
      if (runs === 2) throw new Error('second run fails');
    }, 5, (err) => errors.push(err));
    expect(runs).toBe(1);
    await sleep(60);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(errors).toHaveLength(1);
    await loop.stop();
    const atStop = runs;
    await sleep(40);
    expect(runs).toBe(atStop);
  });

  it('waits for a run in flight and schedules none after it', async () => {
    let runs = 0;
    let finished = false;
    const loop = repeat(async () => {
      runs++;
      await sleep(30);
      finished = true;
    }, 1, () => {});
    await loop.stop();
    expect(finished).toBe(true);
    await sleep(30);
    expect(runs).toBe(1);
  });
});
