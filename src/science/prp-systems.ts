/**
 * A catalogue of common commercial PRP systems and published manual double-spin protocols, as
 * pure data. Every value carries the source it came from and whether that source was checked
 * (`verified: true`, [V]) or is only from Autolog's domain notes or memory (`verified: false`, [M]).
 * Nothing here is a recommendation: manufacturers change kits and settings, and each lab must
 * validate its own protocol (Dhurat 2014, J Cutan Aesthet Surg).
 *
 * Units: volumes in mL (blood drawn excludes anticoagulant), force in × g, time in minutes,
 * platelets in 10³/µL, fold = PRP platelets ÷ whole-blood platelets.
 */

/** Inclusive range; a single reported value has `min === max`. */
export interface NumberRange {
  min: number;
  max: number;
}

/** One published value and where it comes from. */
export interface Sourced<T> {
  value: T;
  source: PrpSourceId;
  /** true = read in the source itself (abstract, table or methods); false = [M], not checked. */
  verified: boolean;
  /** What exactly the source says, when the value is a reading of it (e.g. a mean ± SD). */
  note?: string;
}

/** A spin as a catalogue reports it: in × g when published, otherwise the dedicated centrifuge's rpm. */
export interface CatalogueSpin {
  rcf?: NumberRange;
  /** Only for dedicated centrifuges whose rotor radius is not published, so × g cannot be derived. */
  rpm?: number;
  minutes: NumberRange;
  temperatureC?: number;
}

export type PrpSystemKind = 'device' | 'manual-protocol';

export interface PrpSystem {
  /** Stable identifier, stored on clinic protocols: never renamed. */
  id: string;
  kind: PrpSystemKind;
  name: string;
  maker?: string;
  /** Blood drawn per preparation, anticoagulant excluded. */
  bloodInMl?: Sourced<NumberRange>;
  anticoagulant?: Sourced<{ agent: string; volumeMl?: NumberRange }>;
  prpOutMl?: Sourced<NumberRange>;
  spins?: Sourced<CatalogueSpin[]>;
  /** Typical concentration factor (× baseline platelets). */
  fold?: Sourced<NumberRange>;
  /** Typical PRP platelet count, when the source reports a count rather than a fold. */
  prpPlateletsKPerUl?: Sourced<NumberRange>;
  /** Share of drawn platelets recovered in the PRP, %. */
  recoveryPercent?: Sourced<NumberRange>;
  /** `adjustable`: the device setting decides (e.g. the haematocrit setting of the Angel). */
  leukocytes?: Sourced<'rich' | 'poor' | 'adjustable'>;
  redCells?: Sourced<'high' | 'low'>;
  /** Anything a technician should know that does not fit the fields above. */
  notes?: string;
}

export interface PrpSource {
  citation: string;
  /** Where it was read (DOI or PubMed Central), when known. */
  url?: string;
}

export const PRP_SOURCES = {
  'dejnek-2022': {
    citation: 'Dejnek 2022, World J Orthop 13(6):587 (Table 1: kit settings; Table 3: counts, mean ± SD, 12 donors)',
    url: 'https://doi.org/10.5312/wjo.v13.i6.587',
  },
  'fitzpatrick-2017': {
    citation: 'Fitzpatrick 2017, Orthop J Sports Med (four commercial kits, 3 donors, 181 mL of blood each)',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC5302100',
  },
  'degen-2017': {
    citation: 'Degen 2017, HSS J 13(1):75 (five commercial systems, 7 donors)',
    url: 'https://doi.org/10.1007/s11420-016-9519-3',
  },
  'christensen-2006': {
    citation: 'Christensen 2006, J Extra Corpor Technol 38(3):249 (Magellan, 60 mL syringes)',
    url: 'https://doi.org/10.1051/ject/200638249',
  },
  'baria-2023': {
    citation: 'Baria 2023, Tech Orthop 38(3):144 (Angel, two settings from one draw)',
    url: 'https://doi.org/10.1097/BTO.0000000000000628',
  },
  'perez-2014': {
    citation: 'Perez 2014, ISRN Hematol 2014:176060',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC4005024',
  },
  'jo-2013': {
    citation: 'Jo 2013, J Oral Implantol 39(5):525',
    url: 'https://meridian.allenpress.com/joi/article/39/5/525/7253',
  },
  'muthu-2022': {
    citation: 'Muthu 2022, Ann Med Surg 82:104593',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC9577528',
  },
  'iadvl-2021': {
    citation: 'IADVL task force on PRP, preparation recommendations, 2021',
    url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC8664176',
  },
  'amable-2013': {
    citation: 'Amable 2013, Stem Cell Res Ther 4(3):67',
    url: 'http://www.stemcellres.com/content/4/3/67',
  },
  'autolog-notes': {
    citation: 'Autolog domain notes (shared/domain/preparation.md), from memory or a secondary source: not checked',
  },
} as const satisfies Record<string, PrpSource>;

export type PrpSourceId = keyof typeof PRP_SOURCES;

const one = (value: number): NumberRange => ({ min: value, max: value });
const range = (min: number, max: number): NumberRange => ({ min, max });

/**
 * The catalogue. Devices first, then manual protocols. Where a source measured a mean ± SD, the
 * range holds the mean and the note the spread; the fold of a device is what that study found,
 * not a promise.
 */
export const PRP_SYSTEMS: readonly PrpSystem[] = [
  {
    id: 'arthrex-acp',
    kind: 'device',
    name: 'Arthrex ACP double syringe',
    maker: 'Arthrex',
    bloodInMl: { value: one(13.5), source: 'dejnek-2022', verified: true },
    anticoagulant: { value: { agent: 'ACD-A', volumeMl: one(1.5) }, source: 'dejnek-2022', verified: true },
    prpOutMl: { value: one(4), source: 'dejnek-2022', verified: true },
    spins: { value: [{ rpm: 1500, minutes: one(5) }], source: 'dejnek-2022', verified: true, note: 'One spin in the dedicated centrifuge; its rotor radius is not given, so × g is unknown.' },
    fold: { value: one(1.47), source: 'dejnek-2022', verified: true, note: '1.47 ± 0.18 × baseline; Fitzpatrick 2017 also found about 1.5×.' },
    leukocytes: { value: 'poor', source: 'dejnek-2022', verified: true, note: 'White cells 0.14 ± 0.17 × baseline.' },
    notes: 'Plasma-based: the platelet-poor plasma is not removed.',
  },
  {
    id: 'zimmer-biomet-gps-iii',
    kind: 'device',
    name: 'GPS III platelet concentration system',
    maker: 'Zimmer Biomet',
    bloodInMl: { value: one(54), source: 'autolog-notes', verified: false, note: 'No per-kit volume found: the Fitzpatrick 2017 abstract gives only the 181 mL each donor gave for all four kits.' },
    anticoagulant: { value: { agent: 'ACD-A', volumeMl: one(6) }, source: 'autolog-notes', verified: false },
    prpOutMl: { value: one(6), source: 'autolog-notes', verified: false },
    fold: { value: range(3, 6), source: 'fitzpatrick-2017', verified: true, note: 'The three buffy-coat kits tested, GPS III among them, gave 3–6 × baseline.' },
    leukocytes: { value: 'rich', source: 'degen-2017', verified: true, note: 'White cells 27.3 ± 7.1 × 10³/µL, neutrophils 9.4 ± 7.0 × 10³/µL.' },
  },
  {
    id: 'zimmer-biomet-mini-gps-iii',
    kind: 'device',
    name: 'Mini GPS III',
    maker: 'Zimmer Biomet',
    bloodInMl: { value: one(27), source: 'dejnek-2022', verified: true },
    anticoagulant: { value: { agent: 'ACD-A', volumeMl: one(3) }, source: 'dejnek-2022', verified: true },
    prpOutMl: { value: one(3), source: 'dejnek-2022', verified: true },
    spins: { value: [{ rpm: 3200, minutes: one(15) }], source: 'dejnek-2022', verified: true, note: 'One spin in the dedicated centrifuge; × g not published there.' },
    fold: { value: one(5.05), source: 'dejnek-2022', verified: true, note: '5.05 ± 0.67 × baseline.' },
    leukocytes: { value: 'rich', source: 'dejnek-2022', verified: true, note: 'White cells 5.27 ± 1.41 × baseline.' },
    redCells: { value: 'high', source: 'dejnek-2022', verified: true, note: 'Red cells 1.49 ± 0.86 × 10⁶/µL, the highest of the four kits.' },
  },
  {
    id: 'arteriocyte-magellan',
    kind: 'device',
    name: 'Magellan autologous platelet separator',
    maker: 'Arteriocyte (formerly Medtronic)',
    bloodInMl: { value: range(30, 60), source: 'autolog-notes', verified: false, note: 'Christensen 2006 processed 60 mL syringes of anticoagulated blood per cycle.' },
    prpOutMl: { value: range(3, 10), source: 'autolog-notes', verified: false, note: 'Christensen 2006 set 9 mL of PRP per 60 mL syringe.' },
    fold: { value: range(3, 6), source: 'fitzpatrick-2017', verified: true },
    leukocytes: { value: 'rich', source: 'fitzpatrick-2017', verified: true, note: 'White cells 3–6 × baseline in the buffy-coat kits.' },
  },
  {
    id: 'harvest-smartprep-2',
    kind: 'device',
    name: 'SmartPReP 2',
    maker: 'Harvest / Terumo',
    bloodInMl: {
      value: range(20, 120),
      source: 'autolog-notes',
      verified: false,
      note: 'One laboratory study (Boston Children’s Hospital, methods seen only in a protocol summary) processed 120 mL, drawn into ACD-A at 1:10, in two 60 mL cartridges: this fits the upper bound; the lower bound was not found.',
    },
    prpOutMl: { value: range(7, 20), source: 'autolog-notes', verified: false },
    fold: { value: range(3, 6), source: 'fitzpatrick-2017', verified: true },
    leukocytes: { value: 'rich', source: 'fitzpatrick-2017', verified: true },
    redCells: { value: 'high', source: 'degen-2017', verified: true, note: 'Red cells 3.2 ± 0.6 × 10⁶/µL.' },
  },
  {
    id: 'emcyte-genesiscs',
    kind: 'device',
    name: 'GenesisCS',
    maker: 'EmCyte',
    bloodInMl: { value: range(30, 60), source: 'autolog-notes', verified: false },
    prpOutMl: { value: one(7), source: 'autolog-notes', verified: false },
    prpPlateletsKPerUl: { value: one(1129), source: 'degen-2017', verified: true, note: '1,129 ± 264 × 10³/µL.' },
    leukocytes: { value: 'rich', source: 'autolog-notes', verified: false },
    redCells: { value: 'high', source: 'degen-2017', verified: true, note: 'Red cells 3.1 ± 0.6 × 10⁶/µL.' },
  },
  {
    id: 'arthrex-angel',
    kind: 'device',
    name: 'Angel whole blood separation system',
    maker: 'Arthrex',
    bloodInMl: { value: range(40, 180), source: 'autolog-notes', verified: false, note: 'Baria 2023 processed 120 mL and 60 mL of one 156 mL draw (+ 24 mL ACD-A) at two settings.' },
    prpPlateletsKPerUl: { value: one(2310), source: 'degen-2017', verified: true, note: '2,310 ± 524 × 10³/µL at the 7 % haematocrit setting.' },
    leukocytes: {
      value: 'adjustable',
      source: 'baria-2023',
      verified: true,
      note: 'White cells fell at the 0 % haematocrit setting and rose to 24 × 10³/µL at 15 %; Degen 2017 found neutrophils low (0.6 and 1.8 × 10³/µL) at the 2 % and 7 % settings.',
    },
    notes: 'PRP volume and haematocrit are set on the device for each run.',
  },
  {
    id: 'dr-prp',
    kind: 'device',
    name: 'Dr. PRP',
    bloodInMl: { value: one(18), source: 'dejnek-2022', verified: true },
    anticoagulant: { value: { agent: 'sodium citrate 3.13 %', volumeMl: one(2) }, source: 'dejnek-2022', verified: true },
    prpOutMl: { value: one(3), source: 'dejnek-2022', verified: true },
    spins: { value: [{ rpm: 3100, minutes: one(4) }], source: 'dejnek-2022', verified: true },
    fold: { value: one(2.14), source: 'dejnek-2022', verified: true, note: '2.14 ± 0.73 × baseline.' },
    leukocytes: { value: 'poor', source: 'dejnek-2022', verified: true, note: 'White cells 0.10 ± 0.16 × baseline.' },
  },
  {
    id: 'xerthra',
    kind: 'device',
    name: 'Xerthra',
    bloodInMl: { value: one(13.5), source: 'dejnek-2022', verified: true },
    anticoagulant: { value: { agent: 'sodium citrate 3.13 %', volumeMl: one(1.5) }, source: 'dejnek-2022', verified: true },
    prpOutMl: { value: one(1.5), source: 'dejnek-2022', verified: true },
    spins: { value: [{ rpm: 3500, minutes: one(5) }], source: 'dejnek-2022', verified: true },
    fold: { value: one(1.96), source: 'dejnek-2022', verified: true, note: '1.96 ± 1.71 × baseline: the least repeatable of the four kits.' },
    leukocytes: { value: 'poor', source: 'dejnek-2022', verified: true, note: 'White cells 0.29 ± 0.4 × baseline.' },
  },
  {
    id: 'regen-lab-bct',
    kind: 'device',
    name: 'RegenKit BCT tube',
    maker: 'Regen Lab',
    bloodInMl: { value: one(10), source: 'autolog-notes', verified: false },
    prpOutMl: { value: one(5), source: 'autolog-notes', verified: false },
    fold: { value: one(1.5), source: 'autolog-notes', verified: false },
    leukocytes: { value: 'poor', source: 'autolog-notes', verified: false },
    notes: 'Separator-gel tube; no independent characterisation was found to check these values.',
  },
  // Manual double-spin protocols (tubes and a lab centrifuge), from the table in preparation.md.
  {
    id: 'manual-perez-2014',
    kind: 'manual-protocol',
    name: 'Double spin 100 g / 400 g (Perez 2014)',
    bloodInMl: { value: one(3.5), source: 'perez-2014', verified: true, note: 'Recovery fell when 8.5 mL was processed per tube.' },
    spins: { value: [{ rcf: one(100), minutes: one(10) }, { rcf: one(400), minutes: one(10) }], source: 'perez-2014', verified: true },
    fold: { value: one(5), source: 'perez-2014', verified: true },
    recoveryPercent: { value: range(70, 80), source: 'perez-2014', verified: true },
    leukocytes: { value: 'poor', source: 'perez-2014', verified: true, note: 'Pure PRP (P-PRP): the white-cell layer is left behind.' },
    notes: 'After the second spin, two thirds of the remaining plasma is withdrawn before resuspending.',
  },
  {
    id: 'manual-jo-2013',
    kind: 'manual-protocol',
    name: 'Double spin 900 g / 1,500 g (Jo 2013)',
    spins: { value: [{ rcf: one(900), minutes: one(5) }, { rcf: one(1500), minutes: one(15) }], source: 'jo-2013', verified: true },
    notes: 'Recovery reported per step, not overall: 92.0 ± 3.1 % after the first spin and 84.3 ± 10.0 % after the second. Gel formed with 10 % calcium gluconate at 1:10 by volume.',
  },
  {
    id: 'manual-muthu-2022',
    kind: 'manual-protocol',
    name: 'Double spin 100 g / 1,600 g (Muthu 2022)',
    bloodInMl: { value: one(10), source: 'muthu-2022', verified: true, note: 'In a 15 mL tube; the lower third of the final product is used.' },
    spins: { value: [{ rcf: one(100), minutes: one(15) }, { rcf: one(1600), minutes: one(20) }], source: 'muthu-2022', verified: true },
    fold: { value: one(6.4), source: 'muthu-2022', verified: true, note: '6.4 ± 0.8 × baseline.' },
    recoveryPercent: { value: range(86, 99), source: 'muthu-2022', verified: true },
  },
  {
    id: 'manual-iadvl-2021',
    kind: 'manual-protocol',
    name: 'Double spin 100–300 g / 400–700 g (IADVL 2021)',
    spins: {
      value: [{ rcf: range(100, 300), minutes: range(5, 10) }, { rcf: range(400, 700), minutes: range(10, 17) }],
      source: 'iadvl-2021',
      verified: true,
    },
    prpPlateletsKPerUl: { value: range(1000, 1500), source: 'iadvl-2021', verified: true, note: 'Target of 1–1.5 million platelets/µL, for dermatology.' },
    notes: 'A recommendation for a range, not one validated protocol; no activation needed for soft-tissue injection.',
  },
  {
    id: 'manual-amable-2013',
    kind: 'manual-protocol',
    name: 'Double spin 300 g / 700 g at 12 °C (Amable 2013)',
    spins: {
      value: [{ rcf: one(300), minutes: one(5), temperatureC: 12 }, { rcf: one(700), minutes: one(17), temperatureC: 12 }],
      source: 'autolog-notes',
      verified: false,
      note: 'Spin settings from Autolog notes: the abstract says force, time and temperature were varied but not which values were chosen (the methods were not reachable). Machado 2019 (Clinics 74) compared a double spin at 300 and 700 × g among published protocols, which fits the forces; times and 12 °C not confirmed.',
    },
    fold: { value: range(5.4, 7.3), source: 'amable-2013', verified: true },
    prpPlateletsKPerUl: { value: range(1400, 1900), source: 'amable-2013', verified: true },
    recoveryPercent: { value: range(46.9, 69.5), source: 'amable-2013', verified: true },
    leukocytes: { value: 'poor', source: 'amable-2013', verified: true, note: 'Under 0.3 % of the initial red and white cells remained.' },
  },
];

/** The catalogue entry with this id, or undefined. */
export function findPrpSystem(id: string): PrpSystem | undefined {
  return PRP_SYSTEMS.find((system) => system.id === id);
}
