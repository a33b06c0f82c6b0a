/**
 * The appointments stories show, laid out relative to the story's server time so every state is
 * exact: "free with minutes left before the window opens" is ETA = now + 24 h + 10 min, always.
 */
import type { SeedAppointment, SeedCancellation } from '../../simulator/heim-types';

export const STORY_PATIENT = { id: 'p_story_ada', name: 'Ada Okafor' } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Offsets of each story appointment's ETA from the server time (null: no ETA yet). */
export const STORY_ETAS = {
  apt_no_eta: null,
  apt_free_days: 3 * DAY + 2 * HOUR,
  apt_free_minutes: DAY + 10 * MINUTE,
  apt_boundary: DAY + 5_000,
  apt_chargeable_hours: 5 * HOUR + 20 * MINUTE,
  apt_chargeable_seconds: 40_000,
  apt_due: -5 * MINUTE,
  apt_late: -40 * MINUTE,
  apt_cancelled: 2 * DAY,
  apt_amended: -DAY,
  apt_completed: -3 * DAY,
} as const;

export type StoryAppointmentId = keyof typeof STORY_ETAS;

const TITLES: Record<StoryAppointmentId, string> = {
  apt_no_eta: 'Blood test at home',
  apt_free_days: 'Wound dressing',
  apt_free_minutes: 'Blood pressure check',
  apt_boundary: 'INR blood test',
  apt_chargeable_hours: 'Vitamin B12 injection',
  apt_chargeable_seconds: 'Catheter care',
  apt_due: 'ECG at home',
  apt_late: 'Post-operative wound check',
  apt_cancelled: 'Diabetic foot check',
  apt_amended: 'Flu vaccination at home',
  apt_completed: 'Blood test at home',
};

function cancellation(nowMs: number, amended: boolean): SeedCancellation {
  const createdAt = new Date(nowMs - 2 * HOUR).toISOString();
  return {
    note: "Cancelled by the patient in the customer portal. Reason: I'm unwell.",
    causingEntity: amended ? 'practitioner' : 'patient',
    cancellingEntity: 'patient',
    reasonCode: amended ? 'practitioner_late' : 'patient_unwell',
    createdAt,
    updatedAt: amended ? new Date(nowMs - 30 * MINUTE).toISOString() : createdAt,
  };
}

export function storyAppointments(nowMs: number): SeedAppointment[] {
  return (Object.keys(STORY_ETAS) as StoryAppointmentId[]).map((id) => {
    const offset = STORY_ETAS[id];
    const status =
      id === 'apt_cancelled' || id === 'apt_amended' ? 'cancelled' : id === 'apt_completed' ? 'completed' : offset === null ? 'scheduling' : 'scheduled';
    return {
      id,
      status,
      estimatedTimeOfArrival: offset === null ? null : new Date(nowMs + offset).toISOString(),
      patient: { ...STORY_PATIENT },
      serviceName: TITLES[id],
      location: { line1: '27 Orchard Row', city: 'Leeds', postcode: 'LS6 2QT' },
      createdAt: new Date(nowMs - 7 * DAY).toISOString(),
      ...(status === 'cancelled' ? { cancellation: cancellation(nowMs, id === 'apt_amended') } : {}),
    };
  });
}
