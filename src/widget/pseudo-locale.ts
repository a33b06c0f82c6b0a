/**
 * A pseudo-locale for testing, not for patients: every string of a messages object accented,
 * bracketed and about 40 % longer, "Cancel appointment" → "[Çåñçéļ åþþöîñţɱéñţ ~~~~]". Text that
 * is still plain English on screen was not taken from the messages (hard-coded); a missing "]"
 * shows text cut off; the extra length shows layouts that will not survive German or Welsh.
 *
 * Every function's output is transformed too, the formatters included: a date or a duration the
 * widget formats through `messages.formatDateTime` / `formatDuration` comes out accented, so one
 * formatted with `Intl` behind the messages' back stands out as well. Values passed into a
 * message (an appointment's title, an already formatted date) are left exactly as they are:
 * they are data, not words to translate.
 *
 * Pure and free of side effects, so a bundle that does not import it does not carry it.
 */
import type { CancelAppointmentMessages } from './messages';

const ACCENTED: Readonly<Record<string, string>> = {
  a: 'å', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'î', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'û', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Å', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** How much longer than the original the pseudo text is: translations commonly run 30–40 % longer. */
const EXPANSION = 0.4;
/** The padding comes in short words: one unbreakable run would overflow where no real text does. */
const PAD_WORD = '~~~~~';

function accent(text: string): string {
  return text.replace(/[A-Za-z]/g, (letter) => ACCENTED[letter] ?? letter);
}

function padding(length: number): string {
  // The brackets and the space before the padding count towards the expansion.
  const target = Math.max(1, Math.ceil(length * EXPANSION) - 3);
  let pad = '';
  for (let index = 0; index < target; index += 1) pad += index % (PAD_WORD.length + 1) === PAD_WORD.length ? ' ' : '~';
  return pad.trimEnd();
}

/**
 * One string in the pseudo-locale. Occurrences of `keep` (values interpolated into the string)
 * are left as they are. The empty string stays empty: it renders nothing in any language.
 */
export function pseudoLocalize(text: string, keep: readonly string[] = []): string {
  if (text === '') return '';
  const kept = keep.filter((value) => value !== '').sort((a, b) => b.length - a.length);
  let accented = '';
  let rest = text;
  while (rest !== '') {
    // The earliest kept value in what is left (the longest, where two start at the same place).
    let at = -1;
    let value = '';
    for (const candidate of kept) {
      const index = rest.indexOf(candidate);
      if (index !== -1 && (at === -1 || index < at)) [at, value] = [index, candidate];
    }
    if (at === -1) {
      accented += accent(rest);
      break;
    }
    accented += accent(rest.slice(0, at)) + value;
    rest = rest.slice(at + value.length);
  }
  return `[${accented} ${padding(text.length)}]`;
}

/** The strings among a message function's arguments, and one level into object arguments. */
function stringValues(args: readonly unknown[]): string[] {
  const values: string[] = [];
  for (const arg of args) {
    if (typeof arg === 'string') values.push(arg);
    else if (typeof arg === 'object' && arg !== null) {
      for (const value of Object.values(arg)) if (typeof value === 'string') values.push(value);
    }
  }
  return values;
}

function pseudoFunction(fn: (...args: never[]) => unknown): (...args: unknown[]) => string {
  return (...args) => pseudoLocalize(String((fn as (...args: unknown[]) => unknown)(...args)), stringValues(args));
}

/**
 * The whole messages object in the pseudo-locale; `locale` (and `dir`) are kept, so `Intl` still
 * formats in the original language (underneath the accents). Pass the result as the `messages` prop.
 */
export function pseudoLocalizeMessages(messages: CancelAppointmentMessages): CancelAppointmentMessages {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(messages) as [string, unknown][]) {
    if (key === 'locale' || key === 'dir') result[key] = value;
    else if (typeof value === 'string') result[key] = pseudoLocalize(value);
    else if (typeof value === 'function') result[key] = pseudoFunction(value as (...args: never[]) => unknown);
    else if (typeof value === 'object' && value !== null) {
      // reasonLabels: one string per reason code.
      result[key] = Object.fromEntries(
        Object.entries(value).map(([code, label]) => [code, typeof label === 'string' ? pseudoLocalize(label) : label]),
      );
    } else result[key] = value;
  }
  // Built key by key from a CancelAppointmentMessages, with each value's kind unchanged.
  return result as unknown as CancelAppointmentMessages;
}
