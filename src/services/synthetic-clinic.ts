import { Faker, en } from '@faker-js/faker';
import { v7 as uuidv7 } from 'uuid';
import { INDICATIONS, suggestedIcd10, type IndicationCode } from '../science/indications.js';
import type { Store } from '../store/db.js';
import type { EpisodeRow, PatientRow, Role, Sex } from '../store/schema.js';
import { recordAudit } from './audit.js';
import { insertStaff } from './auth.js';
import { inTransaction, normaliseForSearch } from './db-helpers.js';
import { hashPassword } from './secrets.js';
import { writeSyntheticArticles } from './synthetic-articles.js';

/**
 * A deterministic synthetic clinic: the same seed gives the same people, dates and ids, so
 * demos, screenshots and benchmarks are repeatable. Rows are produced one at a time and written
 * in batches, so memory stays flat from 200 patients to 1,000,000 episodes.
 */
export interface SyntheticOptions {
  seed: number;
  patients: number;
  /** "Today" for the synthetic clinic: ages and dates are relative to it, never to the clock. */
  asOf: string;
}

export const DEMO_PASSWORD = 'autolog demo clinic';
export const DEMO_STAFF: { email: string; displayName: string; role: Role }[] = [
  { email: 'admin@demo.autolog.test', displayName: 'Alex Admin', role: 'admin' },
  { email: 'clinician@demo.autolog.test', displayName: 'Dr Casey Clinician', role: 'clinician' },
  { email: 'lab@demo.autolog.test', displayName: 'Lee Lab', role: 'lab' },
  { email: 'coordinator@demo.autolog.test', displayName: 'Cory Coordinator', role: 'coordinator' },
];

// Rough case mix of a spine-injection clinic's PRP referrals; illustrative, not a published figure.
const INDICATION_WEIGHTS: [IndicationCode, number][] = [
  ['degenerative-disc-disease', 35], ['lumbar-facet-joint-pain', 25], ['sacroiliac-joint-pain', 20], ['lumbar-radicular-pain', 15], ['other', 5],
];

export interface SyntheticPatient {
  patient: Omit<PatientRow, 'clinic_id'>;
  episodes: Omit<EpisodeRow, 'clinic_id'>[];
}

const DAY_MS = 86_400_000;

export function* syntheticPatients(options: SyntheticOptions): Generator<SyntheticPatient> {
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed);
  const asOfMs = Date.parse(`${options.asOf}T12:00:00Z`);
  let idClock = asOfMs - 400 * DAY_MS;
  const id = () => uuidv7({ msecs: idClock++, random: Uint8Array.from({ length: 16 }, () => faker.number.int(255)) });
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < options.patients; i++) {
    const sex: Sex = faker.helpers.weightedArrayElement([{ value: 'female', weight: 52 }, { value: 'male', weight: 47 }, { value: 'other', weight: 1 }]);
    const givenName = faker.person.firstName(sex === 'other' ? undefined : sex);
    const familyName = faker.person.lastName();
    const ageYears = faker.number.int({ min: 25, max: 85 });
    const birthMs = asOfMs - ageYears * 365.25 * DAY_MS - faker.number.int({ min: 0, max: 364 }) * DAY_MS;
    const createdMs = asOfMs - faker.number.int({ min: 30, max: 720 }) * DAY_MS;
    const patientId = id();
    const patient: SyntheticPatient['patient'] = {
      id: patientId, mrn: `D${String(100000 + i)}`, given_name: givenName, family_name: familyName,
      name_search: normaliseForSearch(`${familyName} ${givenName}`), birth_date: iso(birthMs).slice(0, 10), sex,
      email: faker.datatype.boolean(0.85) ? faker.internet.email({ firstName: givenName, lastName: familyName, provider: 'example.com' }).toLowerCase() : null,
      phone: faker.datatype.boolean(0.9) ? faker.phone.number({ style: 'international' }) : null,
      preferred_language: faker.helpers.weightedArrayElement([{ value: 'en', weight: 85 }, { value: 'es', weight: 8 }, { value: 'fr', weight: 4 }, { value: 'de', weight: 3 }]),
      notes: null, created_at: iso(createdMs), updated_at: iso(createdMs),
    };
    const episodeCount = faker.helpers.weightedArrayElement([{ value: 1, weight: 85 }, { value: 2, weight: 15 }]);
    const episodes: SyntheticPatient['episodes'] = [];
    for (let e = 0; e < episodeCount; e++) {
      const indication = faker.helpers.weightedArrayElement(INDICATION_WEIGHTS.map(([value, weight]) => ({ value, weight })));
      const openedMs = createdMs + faker.number.int({ min: 0, max: Math.max(0, Math.floor((asOfMs - createdMs) / DAY_MS) - 1) }) * DAY_MS;
      const closed = asOfMs - openedMs > 400 * DAY_MS && faker.datatype.boolean(0.7);
      episodes.push({
        id: id(), patient_id: patientId, indication, icd10_code: indication === 'other' ? faker.helpers.arrayElement(['M54.50', 'M48.061', 'M43.16']) : suggestedIcd10(indication),
        status: closed ? 'closed' : 'open', opened_on: iso(openedMs).slice(0, 10), closed_on: closed ? iso(openedMs + 380 * DAY_MS).slice(0, 10) : null,
        notes: null, created_at: iso(openedMs), updated_at: iso(openedMs), planned_procedure_on: null,
      });
    }
    yield { patient, episodes };
  }
}

export interface DemoClinic {
  clinicId: string;
  patients: number;
  episodes: number;
}

/** Writes a synthetic clinic with its four demo accounts into an empty store. */
export async function buildSyntheticClinic(store: Store, options: SyntheticOptions, onProgress?: (done: number) => void): Promise<DemoClinic> {
  const clinicId = uuidv7({ msecs: Date.parse(`${options.asOf}T00:00:00Z`) - 800 * DAY_MS, random: new Uint8Array(16).fill(options.seed % 256) });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await inTransaction(store, async (trx) => {
    await trx.insertInto('clinic').values({ id: clinicId, name: 'Riverside Spine & PRP Clinic (synthetic)', time_zone: 'Europe/London', created_at: new Date().toISOString() }).execute();
    for (const s of DEMO_STAFF) await insertStaff(trx, { clinicId, ...s, passwordHash });
    await recordAudit(trx, store.dialect, { clinicId, actorId: null, actorLabel: 'autolog demo', ip: null }, { action: 'create', entityType: 'clinic', entityId: clinicId, detail: { synthetic: true, seed: options.seed } });
  });
  const BATCH = 500;
  let patients: Omit<PatientRow, 'clinic_id'>[] = [];
  let episodes: Omit<EpisodeRow, 'clinic_id'>[] = [];
  let done = 0;
  let episodeCount = 0;
  const flush = async () => {
    if (patients.length === 0) return;
    const batchPatients = patients.map((p) => ({ ...p, clinic_id: clinicId }));
    const batchEpisodes = episodes.map((e) => ({ ...e, clinic_id: clinicId }));
    await inTransaction(store, async (trx) => {
      // Multi-row inserts, chunked under SQLite's bound-parameter limit.
      for (let i = 0; i < batchPatients.length; i += 100) await trx.insertInto('patient').values(batchPatients.slice(i, i + 100)).execute();
      for (let i = 0; i < batchEpisodes.length; i += 100) await trx.insertInto('episode').values(batchEpisodes.slice(i, i + 100)).execute();
      // One event per batch: the synthetic rows are one generated import, not individual entries.
      await recordAudit(trx, store.dialect, { clinicId, actorId: null, actorLabel: 'autolog demo', ip: null }, { action: 'create', entityType: 'patient', detail: { synthetic: true, patients: batchPatients.length, episodes: batchEpisodes.length } });
    });
    done += patients.length;
    episodeCount += episodes.length;
    patients = [];
    episodes = [];
    onProgress?.(done);
  };
  for (const item of syntheticPatients(options)) {
    patients.push(item.patient);
    episodes.push(...item.episodes);
    if (patients.length >= BATCH) await flush();
  }
  await flush();
  await writeSyntheticArticles(store, clinicId, options);
  return { clinicId, patients: done, episodes: episodeCount };
}
