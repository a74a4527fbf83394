/**
 * The protocol editor's form without React: typed text ↔ the API's protocol spec, the rpm to set
 * for each spin on the clinic's rotor, and the checks the science library makes of a protocol,
 * run as the lab types so the same messages appear before and after saving.
 */
import { rpmFromRcf } from '../science/centrifuge.js';
import { protocolErrors, type PreparationProtocol } from '../science/preparation-record.js';
import type { ActivationAgent } from '../science/preparation-types.js';
import type { RotorType } from '../science/preparation-record.js';
import { EMPTY_SPIN, normalisePath, parseDecimal, type SpinRow } from './preparation-form.js';
import { spreadProblem, type FormErrors } from './forms.js';
import type { Problem, ProtocolSpec, ProtocolVersionView } from './types.js';

export interface ProtocolValues {
  fields: Record<string, string>;
  spins: SpinRow[];
}

const LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  systemId: 'Commercial system',
  'rotor.radiusCm': 'Rotor radius',
  'rotor.type': 'Rotor type',
  centrifuge: 'Centrifuge',
  'tubes.description': 'Tubes',
  'tubes.count': 'Tubes per preparation',
  'tubes.volumeMl': 'Tube volume',
  'anticoagulant.agent': 'Anticoagulant',
  'anticoagulant.parts': 'Anticoagulant parts',
  'anticoagulant.bloodParts': 'Blood parts',
  drawVolumeMl: 'Planned blood draw',
  targetVolumeMl: 'Target PRP volume',
  'activation.agent': 'Activation',
  'activation.detail': 'Activation detail',
  notes: 'Notes',
};

const SPIN_PATH = /^spins\[(\d+)\]\.(rcf|minutes|temperatureC)$/;
const SPIN_PARTS: Record<string, string> = { rcf: 'force (× g)', minutes: 'minutes', temperatureC: 'temperature (°C)' };

export function protocolLabelOf(path: string): string {
  const spin = SPIN_PATH.exec(path);
  if (spin) return `Spin ${Number(spin[1]) + 1} ${SPIN_PARTS[spin[2]!]}`;
  return LABELS[path] ?? (path === 'spins' ? 'Spins' : path);
}

export function protocolFieldId(path: string): string {
  return `protocol-${path.replace(/[.[\]]+/g, '-').replace(/-+$/, '')}`;
}

/** An empty protocol: one soft and one hard spin to fill in, a swing-out rotor. */
export function emptyProtocolValues(): ProtocolValues {
  return { fields: { 'rotor.type': 'swing-out' }, spins: [{ ...EMPTY_SPIN }, { ...EMPTY_SPIN }] };
}

const str = (v: number | string | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The editor's values for a new version of a stored one (editing means writing the whole protocol again). */
export function protocolValuesOf(v: ProtocolVersionView): ProtocolValues {
  return {
    fields: {
      name: v.name, description: str(v.description), systemId: str(v.systemId),
      'rotor.radiusCm': str(v.rotor.radiusCm), 'rotor.type': v.rotor.type, centrifuge: str(v.centrifuge),
      'tubes.description': str(v.tubes?.description), 'tubes.count': str(v.tubes?.count), 'tubes.volumeMl': str(v.tubes?.volumeMl),
      'anticoagulant.agent': str(v.anticoagulant?.agent), 'anticoagulant.parts': str(v.anticoagulant?.parts), 'anticoagulant.bloodParts': str(v.anticoagulant?.bloodParts),
      drawVolumeMl: str(v.drawVolumeMl), targetVolumeMl: str(v.targetVolumeMl),
      'activation.agent': str(v.activation?.agent), 'activation.detail': str(v.activation?.detail), notes: str(v.notes),
    },
    spins: v.spins.map((s) => ({ rcf: str(s.rcf), minutes: str(s.minutes), temperatureC: str(s.temperatureC) })),
  };
}

/** The rpm that gives a spin's × g on the rotor typed in, or undefined until both are numbers. */
export function spinRpm(rcf: string, radiusCm: string): number | undefined {
  const g = parseDecimal(rcf);
  const r = parseDecimal(radiusCm);
  if (g === undefined || r === undefined || g < 0 || r <= 0) return undefined;
  return Math.round(rpmFromRcf(g, r));
}

export interface ProtocolCheck {
  spec: ProtocolSpec | undefined;
  errors: Record<string, string>;
}

/**
 * The spec to send, or the reasons it cannot be: unreadable numbers, required parts, groups filled
 * half-way (tubes, anticoagulant ratio), then the science library's own checks of a protocol.
 */
export function checkProtocol(values: ProtocolValues): ProtocolCheck {
  const errors: Record<string, string> = {};
  const text = (path: string) => (values.fields[path] ?? '').trim();
  const number = (path: string, label = protocolLabelOf(path), raw = text(path)): number | undefined => {
    if (raw === '') return undefined;
    const value = parseDecimal(raw);
    if (value === undefined) errors[path] ??= `${label}: enter a number, such as 4.5.`;
    return value;
  };
  const required = (path: string, what: string) => {
    if (text(path) === '') errors[path] ??= what;
  };

  required('name', 'Give the protocol a name.');
  required('rotor.radiusCm', 'Enter the rotor radius to the tube bottom, in cm.');
  const spins: { rcf: number; minutes: number; temperatureC?: number }[] = [];
  values.spins.forEach((row, i) => {
    if (!row.rcf.trim() && !row.minutes.trim() && !row.temperatureC.trim()) return;
    const rcf = number(`spins[${i}].rcf`, undefined, row.rcf.trim());
    const minutes = number(`spins[${i}].minutes`, undefined, row.minutes.trim());
    const temperatureC = number(`spins[${i}].temperatureC`, undefined, row.temperatureC.trim());
    if (row.rcf.trim() === '') errors[`spins[${i}].rcf`] ??= `Enter the force of spin ${i + 1} in × g.`;
    if (row.minutes.trim() === '') errors[`spins[${i}].minutes`] ??= `Enter how many minutes spin ${i + 1} runs.`;
    if (rcf !== undefined && minutes !== undefined) spins.push({ rcf, minutes, ...(temperatureC !== undefined && { temperatureC }) });
  });
  if (values.spins.every((row) => !row.rcf.trim() && !row.minutes.trim())) errors.spins = 'Add at least one spin.';

  const radiusCm = number('rotor.radiusCm');
  const tubesGiven = ['tubes.description', 'tubes.count', 'tubes.volumeMl'].some((p) => text(p) !== '');
  const tubeCount = number('tubes.count');
  const tubeMl = number('tubes.volumeMl');
  if (tubesGiven) {
    required('tubes.description', 'Describe the tubes, e.g. 15 mL conical, ACD-A prefilled.');
    required('tubes.count', 'Enter how many tubes a preparation uses.');
    if (tubeCount !== undefined && !Number.isInteger(tubeCount)) errors['tubes.count'] ??= 'Tubes per preparation must be a whole number.';
  }
  const acGiven = ['anticoagulant.agent', 'anticoagulant.parts', 'anticoagulant.bloodParts'].some((p) => text(p) !== '');
  const parts = number('anticoagulant.parts');
  const bloodParts = number('anticoagulant.bloodParts');
  if (acGiven) {
    required('anticoagulant.agent', 'Name the anticoagulant, e.g. ACD-A.');
    required('anticoagulant.parts', 'Enter the parts of anticoagulant (ACD-A 1:9 → 1).');
    required('anticoagulant.bloodParts', 'Enter the parts of blood (ACD-A 1:9 → 9).');
  }
  const drawVolumeMl = number('drawVolumeMl');
  const targetVolumeMl = number('targetVolumeMl');
  const activationAgent = text('activation.agent');

  const science: PreparationProtocol = {
    name: text('name'), version: 1,
    ...(text('systemId') && { systemId: text('systemId') }),
    spins, rotor: { radiusCm: radiusCm ?? NaN, type: text('rotor.type') as RotorType },
    ...(acGiven && { anticoagulant: { agent: text('anticoagulant.agent'), parts: parts ?? NaN, bloodParts: bloodParts ?? NaN } }),
    ...(activationAgent && { activation: { agent: activationAgent as ActivationAgent } }),
  };
  for (const e of protocolErrors(science)) {
    // Spins are checked by their row index above; the science numbers only complete spins.
    if (e.field.startsWith('spins[') || e.field === 'spins') {
      if (!errors.spins && spins.length === values.spins.length) errors[e.field] ??= sentence(e.field, e.message);
      continue;
    }
    errors[e.field] ??= sentence(e.field, e.message);
  }
  if (Object.keys(errors).length > 0) return { spec: undefined, errors };

  const optionalText = (path: string) => (text(path) === '' ? undefined : text(path));
  const spec: ProtocolSpec = {
    name: text('name'),
    spins,
    rotor: { radiusCm: radiusCm!, type: text('rotor.type') as RotorType },
    ...(optionalText('description') && { description: optionalText('description') }),
    ...(optionalText('systemId') && { systemId: optionalText('systemId') }),
    ...(optionalText('centrifuge') && { centrifuge: optionalText('centrifuge') }),
    ...(tubesGiven && { tubes: { description: text('tubes.description'), count: tubeCount!, ...(tubeMl !== undefined && { volumeMl: tubeMl }) } }),
    ...(acGiven && { anticoagulant: { agent: text('anticoagulant.agent'), parts: parts!, bloodParts: bloodParts! } }),
    ...(drawVolumeMl !== undefined && { drawVolumeMl }),
    ...(targetVolumeMl !== undefined && { targetVolumeMl }),
    ...(activationAgent && { activation: { agent: activationAgent as ActivationAgent, ...(optionalText('activation.detail') && { detail: optionalText('activation.detail')! }) } }),
    ...(optionalText('notes') && { notes: optionalText('notes') }),
  };
  return { spec, errors };
}

/** "rotor.radiusCm must be greater than 0" → "Rotor radius must be greater than 0." */
function sentence(path: string, message: string): string {
  // Only paths that cannot be ordinary words are replaced ("name" also occurs in "named").
  const worded = /[.A-Z[]/.test(path) ? message.split(path).join(protocolLabelOf(path)) : message;
  const text = worded.replace(/ must be a finite number \(([^)]*)\)/, ' must be a number $1');
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** The server's problem spread over the editor's fields (spins in either notation). */
export function protocolProblemErrors(problem: Problem): FormErrors {
  return spreadProblem(problem, (field, message) => {
    const path = normalisePath(field);
    const known = LABELS[path] !== undefined || SPIN_PATH.test(path) || path === 'spins';
    const fragment = /^(is |must )/.test(message);
    const text = fragment ? `${protocolLabelOf(path)} ${message.replace(/^must be > (\S+)$/, 'must be greater than $1')}.` : sentence(path, message);
    return { key: known ? path : undefined, text };
  });
}

/** "100 g × 15 min → 1,600 g × 20 min (22 °C)" */
export function spinsSummary(spins: readonly { rcf: number; minutes: number; temperatureC?: number }[]): string {
  return spins.map((s) => `${s.rcf.toLocaleString()} g × ${s.minutes.toLocaleString()} min${s.temperatureC !== undefined ? ` at ${s.temperatureC} °C` : ''}`).join(' → ');
}
