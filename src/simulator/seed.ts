/**
 * The demo seed: fictional patients whose appointments, laid out relative to "now", show every
 * state the widget has (no ETA, free, chargeable, due, overdue, cancelled, amended, completed),
 * whenever the demo is started. Alice alone covers the whole range; Bilal and Chloe have a few each.
 *
 * Every appointment carries organisation `metadata` and clinical `data` that must never reach a
 * browser, so tests can prove the proxy strips them. Addresses and people are invented.
 */
import { composePatientNote } from '../core/note';
import type { HeimLocation, SeedAppointment } from './heim-types';

export const DEMO_PATIENTS = [
  { id: 'p_demo_alice', name: 'Alice Morgan' },
  { id: 'p_demo_bilal', name: 'Bilal Khan' },
  { id: 'p_demo_chloe', name: 'Chloe Evans' },
] as const satisfies readonly { id: string; name: string }[];

const [alice, bilal, chloe] = DEMO_PATIENTS;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Marked so a leak in a proxy response is unmistakable in a test failure or a screenshot. */
const CLINICAL_DATA_NOTE = 'clinical data, must never reach the browser';

const ALICE_HOME: HeimLocation = { line1: 'Flat 2, 14 Larkspur Close', city: 'Bristol', postcode: 'BS7 9QX' };
const BILAL_HOME: HeimLocation = { line1: '88 Wellfield Road', line2: 'Moss Side', city: 'Manchester', postcode: 'M14 7ZD' };
const CHLOE_HOME: HeimLocation = { line1: '3 Heol y Nant', city: 'Cardiff', postcode: 'CF14 6XL' };

interface DemoVisit {
  id: string;
  patient: { id: string; name: string };
  location: HeimLocation;
  serviceName: string;
  /** Offset of the ETA from now, in ms; null for no ETA (status `scheduling`). */
  etaFromNow: number | null;
  /** Offset of the booking from now, in ms (negative: in the past). */
  bookedFromNow: number;
  status?: SeedAppointment['status'];
  cancellation?: SeedAppointment['cancellation'];
  reading?: Record<string, string | number>;
}

function orgRef(id: string): string {
  // A stable, organisation-looking number derived from the id, so refs never change between runs.
  const digits = [...id].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_000, 7);
  return String(digits).padStart(6, '0');
}

function lastUpdate(
  visit: DemoVisit,
  status: SeedAppointment['status'],
  createdAt: string,
  at: (offset: number) => string,
): string {
  if (visit.cancellation?.updatedAt !== undefined) return visit.cancellation.updatedAt;
  if (visit.etaFromNow === null) return createdAt;
  // A completed visit was last touched when the practitioner finished, an hour after arriving.
  if (status === 'completed') return at(visit.etaFromNow + HOUR);
  // Heim sets the ETA a little after booking.
  return at(Math.min(visit.bookedFromNow + 2 * HOUR, -MINUTE));
}

function toSeed(visit: DemoVisit, nowMs: number): SeedAppointment {
  const at = (offset: number) => new Date(nowMs + offset).toISOString();
  const createdAt = at(visit.bookedFromNow);
  const status = visit.status ?? (visit.etaFromNow === null ? 'scheduling' : 'scheduled');
  const updatedAt = lastUpdate(visit, status, createdAt, at);
  const patientRef = orgRef(visit.patient.id);
  return {
    id: visit.id,
    status,
    estimatedTimeOfArrival: visit.etaFromNow === null ? null : at(visit.etaFromNow),
    patient: { id: visit.patient.id, name: visit.patient.name },
    serviceName: visit.serviceName,
    location: visit.location,
    externalRef: `ORD-${orgRef(visit.id)}`,
    windowId: visit.etaFromNow === null ? null : `win_${visit.id.replace(/^apt_/, '')}`,
    metadata: { orgPatientRef: `MRN-${patientRef}`, bookingChannel: 'customer-portal' },
    data: { note: CLINICAL_DATA_NOTE, ...visit.reading },
    createdAt,
    updatedAt,
    ...(visit.cancellation === undefined ? {} : { cancellation: visit.cancellation }),
  };
}

/** Demo appointments with ETAs relative to `nowMs`; call again (or `reset()`) to move them along. */
export function demoSeed(nowMs: number): SeedAppointment[] {
  const at = (offset: number) => new Date(nowMs + offset).toISOString();
  const visits: DemoVisit[] = [
    // Alice: one of every state.
    { id: 'apt_alice_noeta', patient: alice, location: ALICE_HOME, serviceName: 'Blood test at home', etaFromNow: null, bookedFromNow: -2 * DAY },
    { id: 'apt_alice_3d', patient: alice, location: ALICE_HOME, serviceName: 'Wound dressing', etaFromNow: 3 * DAY, bookedFromNow: -5 * DAY, reading: { woundSite: 'left shin' } },
    { id: 'apt_alice_30h', patient: alice, location: ALICE_HOME, serviceName: 'Blood pressure check', etaFromNow: 30 * HOUR, bookedFromNow: -6 * DAY, reading: { lastSystolic: 142 } },
    { id: 'apt_alice_5h', patient: alice, location: ALICE_HOME, serviceName: 'INR blood test', etaFromNow: 5 * HOUR, bookedFromNow: -4 * DAY, reading: { lastInr: 2.7 } },
    { id: 'apt_alice_20m', patient: alice, location: ALICE_HOME, serviceName: 'Vitamin B12 injection', etaFromNow: 20 * MINUTE, bookedFromNow: -9 * DAY },
    { id: 'apt_alice_30m_ago', patient: alice, location: ALICE_HOME, serviceName: 'ECG at home', etaFromNow: -30 * MINUTE, bookedFromNow: -7 * DAY },
    {
      id: 'apt_alice_cancelled',
      patient: alice,
      location: ALICE_HOME,
      serviceName: 'Blood test at home',
      etaFromNow: -1 * DAY,
      bookedFromNow: -10 * DAY,
      status: 'cancelled',
      // Alice reported the practitioner never came; Operations verified it and amended the reason.
      cancellation: {
        id: 'can_alice_cancelled',
        // Cancelled 45 minutes past the ETA, so she was shown the charge warning and ticked it.
        note: composePatientNote('patient_cancelled', 'Nobody came and nobody called me.', { chargeAcknowledged: true }),
        causingEntity: 'practitioner',
        cancellingEntity: 'patient',
        reasonCode: 'practitioner_late',
        createdAt: at(-1 * DAY + 45 * MINUTE),
        updatedAt: at(-1 * DAY + 5 * HOUR),
      },
    },
    { id: 'apt_alice_completed', patient: alice, location: ALICE_HOME, serviceName: 'Flu vaccination at home', etaFromNow: -14 * DAY, bookedFromNow: -30 * DAY, status: 'completed' },

    // Bilal: a free visit, one still being booked, and one he cancelled himself (not amended).
    { id: 'apt_bilal_3d', patient: bilal, location: BILAL_HOME, serviceName: 'Wound dressing', etaFromNow: 3 * DAY + 2 * HOUR, bookedFromNow: -3 * DAY, reading: { woundSite: 'right heel' } },
    { id: 'apt_bilal_noeta', patient: bilal, location: BILAL_HOME, serviceName: 'Diabetic foot check', etaFromNow: null, bookedFromNow: -1 * DAY },
    {
      id: 'apt_bilal_cancelled',
      patient: bilal,
      location: BILAL_HOME,
      serviceName: 'Blood test at home',
      etaFromNow: 4 * DAY,
      bookedFromNow: -8 * DAY,
      status: 'cancelled',
      cancellation: {
        id: 'can_bilal_cancelled',
        note: composePatientNote('patient_requested_reschedule', 'Away for work that week.'),
        causingEntity: 'patient',
        cancellingEntity: 'patient',
        reasonCode: 'patient_requested_reschedule',
        createdAt: at(-2 * HOUR),
        updatedAt: at(-2 * HOUR),
      },
    },

    // Chloe: chargeable soon, due any minute, and a completed visit.
    { id: 'apt_chloe_5h', patient: chloe, location: CHLOE_HOME, serviceName: 'Catheter care', etaFromNow: 5 * HOUR + 30 * MINUTE, bookedFromNow: -2 * DAY },
    { id: 'apt_chloe_20m', patient: chloe, location: CHLOE_HOME, serviceName: 'Post-operative wound check', etaFromNow: 20 * MINUTE, bookedFromNow: -3 * DAY },
    { id: 'apt_chloe_completed', patient: chloe, location: CHLOE_HOME, serviceName: 'Blood test at home', etaFromNow: -3 * DAY, bookedFromNow: -9 * DAY, status: 'completed', reading: { hba1c: 48 } },
  ];
  return visits.map((visit) => toSeed(visit, nowMs));
}
