import { describe, expect, it } from 'vitest';
import { patientDraftFromLead, splitLeadName } from './lead-patient.js';

describe('splitLeadName', () => {
  it('takes the last word as the family name', () => {
    expect(splitLeadName('Margaret Hamilton')).toEqual({ givenName: 'Margaret', familyName: 'Hamilton' });
    expect(splitLeadName('  Mary   Jane  Watson ')).toEqual({ givenName: 'Mary Jane', familyName: 'Watson' });
  });

  it('keeps particles with the family name', () => {
    expect(splitLeadName('Ludwig van Beethoven')).toEqual({ givenName: 'Ludwig', familyName: 'van Beethoven' });
    expect(splitLeadName('Ana de la Cruz')).toEqual({ givenName: 'Ana', familyName: 'de la Cruz' });
    // A particle is never the whole given name.
    expect(splitLeadName('Van Morrison')).toEqual({ givenName: 'Van', familyName: 'Morrison' });
  });

  it('reads "Family, Given" and a single word', () => {
    expect(splitLeadName('Hamilton, Margaret H.')).toEqual({ givenName: 'Margaret H.', familyName: 'Hamilton' });
    expect(splitLeadName('Cher')).toEqual({ givenName: '', familyName: 'Cher' });
    expect(splitLeadName('   ')).toEqual({ givenName: '', familyName: '' });
  });
});

describe('patientDraftFromLead', () => {
  it('carries the contact details as given', () => {
    expect(patientDraftFromLead({ name: 'Margaret Hamilton', email: 'mh@example.org', phone: null }))
      .toEqual({ givenName: 'Margaret', familyName: 'Hamilton', email: 'mh@example.org', phone: '' });
  });
});
