import { generateMersenne53Randomizer } from '@faker-js/faker';
import { v7 as uuidv7 } from 'uuid';

/**
 * A seeded stream of numbers in [0, 1) for the synthetic generators: faker's Mersenne Twister
 * (the one faker itself draws from), so the same seed always builds the same clinic.
 */
export function seededRandom(seed: number): () => number {
  const randomizer = generateMersenne53Randomizer(seed);
  return () => randomizer.next();
}

/** UUIDv7 ids from a seeded stream: one millisecond apart from `startMs`, 16 random bytes drawn from `random` each. */
export function seededIds(random: () => number, startMs: number): () => string {
  let clock = startMs;
  return () => uuidv7({ msecs: clock++, random: Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256)) });
}
