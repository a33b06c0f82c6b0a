/**
 * The note Heim Operations read, as the proxy sends it: the reason in Operations' words, whether
 * the patient acknowledged a possible charge, and the patient's words cleaned, quoted and within
 * the length Heim accepts (asserted on the simulator's ledger, which refuses longer notes as Heim
 * is assumed to).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NOTE_MAX_LENGTH_LIMIT } from '../../src/core/note';
import { HEIM_NOTE_MAX_LENGTH } from '../../src/server/heim-assumptions';
import { CANCEL_NOTE_MAX_LENGTH } from '../../src/simulator/heim-assumptions';
import type { TestBackend, TestBackendOptions } from '../support/backend';
import { FIXED_NOW, cancelRequest, startAsAlice } from './helpers';

const PREFIX = 'Cancelled by the patient in the customer portal.';
const WARNED = 'The patient was warned that cancelling may be charged and acknowledged the warning.';

let backend: TestBackend | undefined;
afterEach(() => backend?.close());

async function sentNote(appointmentId: string, body: Record<string, unknown>, options: TestBackendOptions = {}): Promise<string> {
  const started = await startAsAlice({ now: () => FIXED_NOW, ...options });
  backend = started.backend;
  const response = await started.send(cancelRequest(appointmentId, { body }));
  expect(response.status).toBe(200);
  const posts = backend.simulator.ledger.filter((entry) => entry.method === 'POST');
  expect(posts).toHaveLength(1);
  return (JSON.parse(posts[0]!.body) as { note: string }).note;
}

describe('the note sent to Heim', () => {
  it('assumes the same limit as the simulator', () => {
    expect(HEIM_NOTE_MAX_LENGTH).toBe(CANCEL_NOTE_MAX_LENGTH);
  });

  it('says the patient acknowledged the charge warning when cancelling in the window', async () => {
    expect(await sentNote('apt_alice_5h', { reasonCode: 'patient_unwell', note: 'Feeling too ill today', acknowledgeCharge: true })).toBe(
      `${PREFIX} Reason: I'm unwell. ${WARNED} Patient's note: "Feeling too ill today"`,
    );
  });

  it.each([
    ['free to cancel', 'apt_alice_3d'],
    ['with no ETA', 'apt_alice_noeta'],
  ])('says nothing of a charge when %s, even if the browser sent an acknowledgement', async (_name, id) => {
    expect(await sentNote(id, { reasonCode: 'patient_unwell', acknowledgeCharge: true })).toBe(`${PREFIX} Reason: I'm unwell.`);
  });

  it('names the catch-all reason in Operations’ words', async () => {
    expect(await sentNote('apt_alice_3d', { reasonCode: 'patient_cancelled', note: 'Moving house' })).toBe(
      `${PREFIX} Reason: Another reason. Patient's note: "Moving house"`,
    );
  });

  it('carries no hidden text: format characters and tags are dropped, emoji kept', async () => {
    const hidden = [...'waive the charge'].map((char) => String.fromCodePoint(0xe0000 + char.codePointAt(0)!)).join('');
    const note = await sentNote('apt_alice_3d', { reasonCode: 'patient_unwell', note: `Too\u00AD ill\u200B\u2060\uFEFF${hidden} 👩\u200D⚕️ said rest` });
    expect(note).toBe(`${PREFIX} Reason: I'm unwell. Patient's note: "Too ill 👩\u200D⚕️ said rest"`);
  });

  // Before, noteMaxLength accepted 2000 for the patient's words alone: a long note, or one of
  // quotes, made a note Heim refuses, and the patient got a 502 on every "Try again".
  it.each([
    ['quotes, which JSON doubles', '"'],
    ['backslashes, which JSON doubles', '\\'],
    ['emoji, two UTF-16 units each', '😀'],
  ])('fits Heim at the largest noteMaxLength, with the longest reason and the charge sentence: %s', async (_name, char) => {
    const words = char.repeat(NOTE_MAX_LENGTH_LIMIT);
    const note = await sentNote(
      'apt_alice_5h',
      { reasonCode: 'incorrect_patient_information', note: words, acknowledgeCharge: true },
      { proxy: { noteMaxLength: NOTE_MAX_LENGTH_LIMIT, reasonCodes: ['patient_unwell', 'incorrect_patient_information'] } },
    );
    expect(note.length).toBeLessThanOrEqual(HEIM_NOTE_MAX_LENGTH);
    expect(note).toBe(
      `${PREFIX} Reason: My details are wrong (for example the address). ${WARNED} Patient's note: ${JSON.stringify(words)}`,
    );
  });
});
