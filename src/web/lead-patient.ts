/**
 * A lead's free-text name as the patient form's two fields. People write "Margaret Hamilton",
 * "Hamilton, Margaret" or "Ludwig van Beethoven"; the split is a suggestion the coordinator checks
 * and corrects with the patient, never a fact.
 */

// Lower-case particles that usually belong to the family name ("van der Berg", "de la Cruz").
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'la', 'le', 'ter', 'ten', 'bin', 'ibn', 'al', 'st', 'st.']);

export function splitLeadName(name: string): { givenName: string; familyName: string } {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (!clean) return { givenName: '', familyName: '' };
  const comma = clean.indexOf(',');
  if (comma > 0) return { familyName: clean.slice(0, comma).trim(), givenName: clean.slice(comma + 1).trim() };
  const words = clean.split(' ');
  if (words.length === 1) return { givenName: '', familyName: words[0]! };
  // The last word is the family name, with the particles just before it.
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--;
  return { givenName: words.slice(0, start).join(' '), familyName: words.slice(start).join(' ') };
}

/** The patient form's starting values from a lead: the name split, the contact details as given. */
export function patientDraftFromLead(lead: { name: string; email: string | null; phone: string | null }): { givenName: string; familyName: string; email: string; phone: string } {
  return { ...splitLeadName(lead.name), email: lead.email ?? '', phone: lead.phone ?? '' };
}
