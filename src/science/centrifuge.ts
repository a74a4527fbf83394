/**
 * Centrifuge physics: converting a rotor speed into the force the blood actually feels.
 *
 * Protocols must be recorded in × g, because the same rpm produces different forces on rotors of
 * different radius (Dhurat 2014, J Cutan Aesthet Surg). Use the radius the manufacturer quotes
 * for the tube bottom (r_max) unless the protocol says otherwise.
 */
import { requireNumber } from './errors.js';

/**
 * RCF per (cm × rpm²): (2π/60)² / 980.665 cm/s² ≈ 1.1182e-5, quoted rounded to 1.118e-5.
 */
// Source: Dhurat 2014, J Cutan Aesthet Surg (RCF = 1.118 × 10⁻⁵ × r × rpm²).
export const RCF_PER_CM_RPM2 = 1.118e-5;

/**
 * Relative centrifugal force (multiples of g) produced at `radiusCm` from the rotor axis when the
 * rotor turns at `rpm`. Example: 3,000 rpm at 10 cm ≈ 1,006 × g.
 *
 * @throws ScienceInputError when rpm is negative or the radius is not positive.
 */
export function rcfFromRpm(rpm: number, radiusCm: number): number {
  requireNumber(rpm, 'rpm', { min: 0 });
  requireNumber(radiusCm, 'radiusCm', { min: 0, minExclusive: true });
  // Dhurat 2014, J Cutan Aesthet Surg: RCF = 1.118e-5 × r(cm) × rpm².
  return RCF_PER_CM_RPM2 * radiusCm * rpm * rpm;
}

/**
 * Rotor speed (rpm) needed to reach `rcf` × g at `radiusCm`: the inverse of {@link rcfFromRpm}.
 * Use it to set a centrifuge that only accepts rpm for a protocol written in × g.
 *
 * @throws ScienceInputError when the force is negative or the radius is not positive.
 */
export function rpmFromRcf(rcf: number, radiusCm: number): number {
  requireNumber(rcf, 'rcf', { min: 0 });
  requireNumber(radiusCm, 'radiusCm', { min: 0, minExclusive: true });
  // Dhurat 2014, J Cutan Aesthet Surg: rpm = √(RCF / (1.118e-5 × r(cm))).
  return Math.sqrt(rcf / (RCF_PER_CM_RPM2 * radiusCm));
}
