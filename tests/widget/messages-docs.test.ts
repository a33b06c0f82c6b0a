/**
 * The messages type is what a translator works from (docs/languages.md calls it the authority):
 * every key carries a JSDoc saying where it appears, and the guide's table and reason list name
 * every key and every reason code, so a new key cannot arrive undocumented.
 */
import { describe, expect, it } from 'vitest';
import guide from '../../docs/languages.md?raw';
import { REASON_CODES } from '../../src/core/index';
import { defaultMessages } from '../../src/index';
import source from '../../src/widget/messages.ts?raw';

/** The keys of `CancelAppointmentMessages`, each with whether a JSDoc comment ends just above it. */
function keysOfTheType(): { key: string; documented: boolean }[] {
  const start = source.indexOf('export interface CancelAppointmentMessages {');
  const lines = source.slice(start, source.indexOf('\n}\n', start)).split('\n');
  return lines.flatMap((line, index) => {
    const key = /^ {2}readonly (\w+)\??:/.exec(line)?.[1];
    return key === undefined ? [] : [{ key, documented: (lines[index - 1] ?? '').trim().endsWith('*/') }];
  });
}

describe('the messages, documented for translators', () => {
  it('has a JSDoc on every key of the type', () => {
    const keys = keysOfTheType();
    expect(keys.map(({ key }) => key).sort()).toEqual([...Object.keys(defaultMessages), 'dir'].sort());
    expect(keys.filter(({ documented }) => !documented).map(({ key }) => key)).toEqual([]);
  });

  it('names every key and all fifteen reason codes in docs/languages.md', () => {
    expect(keysOfTheType().filter(({ key }) => !guide.includes(`\`${key}`)).map(({ key }) => key)).toEqual([]);
    expect(REASON_CODES.filter((code) => !guide.includes(`| \`${code}\` |`))).toEqual([]);
  });
});
