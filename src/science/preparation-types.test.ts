import { describe, expect, expectTypeOf, it } from 'vitest';
import { ACTIVATION_AGENTS, isActivationAgent, PREPARATION_FORMS, PREPARATION_METHODS, type PreparationInput, type PreparationRecord } from './preparation-types.js';

describe('preparation types', () => {
  it('lists the activation agents of the public contract', () => {
    expect([...ACTIVATION_AGENTS]).toEqual(['none', 'calcium-chloride', 'calcium-gluconate', 'thrombin', 'autologous-thrombin', 'light', 'other']);
    expect([...PREPARATION_METHODS]).toEqual(['manual', 'device']);
    expect([...PREPARATION_FORMS]).toEqual(['liquid', 'gel', 'fibrin']);
  });

  it('recognises activation agents arriving as JSON', () => {
    expect(isActivationAgent('calcium-chloride')).toBe(true);
    expect(isActivationAgent('CaCl2')).toBe(false);
    expect(isActivationAgent(undefined)).toBe(false);
  });

  it('makes every PreparationInput a valid PreparationRecord (superset)', () => {
    expectTypeOf<PreparationInput>().toExtend<PreparationRecord>();
    expectTypeOf<PreparationRecord>().not.toExtend<PreparationInput>();
  });
});
