import { generateMersenne53Randomizer } from '@faker-js/faker';

/**
 * A seeded stream of numbers in [0, 1) for the synthetic generators: faker's Mersenne Twister
 * (the one faker itself draws from), so the same seed always builds the same clinic.
 */
export function seededRandom(seed: number): () => number {
  const randomizer = generateMersenne53Randomizer(seed);
  return () => randomizer.next();
}
