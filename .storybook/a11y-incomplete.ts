/**
 * Reviews axe's "incomplete" results (checks axe could not decide by itself) for every story:
 * each must be one a person has reviewed (src/demo/stories/a11y-review.ts), and text axe could not
 * judge because it is scrolled out of view is scrolled into view and must then pass. One line per
 * story goes to the test output.
 *
 * Storybook runs project afterEach hooks last-registered first, so this runs before addon-a11y's
 * own scan and cannot read its report: it runs axe itself, on the same part of the page and with
 * the same options (the story's `a11y` parameters), and leaves violations to addon-a11y.
 */
import axe from 'axe-core';
import type { AxeResults, NodeResult, RunOptions } from 'axe-core';
import type { StoryContext } from '@storybook/react-vite';
import { reviewOf, WCAG_22_AA_TAGS } from '../src/demo/stories/a11y-review';

/** What addon-a11y leaves out of its scan: Storybook's own chrome. */
const STORYBOOK_CHROME = ['.sb-wrapper', '#storybook-docs', '#storybook-highlights-root'];

const messageOf = (node: NodeResult) =>
  [...node.any, ...node.all, ...node.none].map((check) => check.message).join(' ') || '(no message)';

/** Scrolls the node into view and judges its contrast again. */
async function contrastInView(node: NodeResult): Promise<'passes' | 'fails' | 'undecided'> {
  const selector = node.target[0];
  if (node.target.length !== 1 || typeof selector !== 'string') return 'undecided';
  const element = document.querySelector(selector);
  if (element === null) return 'undecided';
  element.scrollIntoView({ block: 'center' });
  const again = await axe.run({ include: [[selector]] }, { runOnly: { type: 'rule', values: ['color-contrast'] } });
  if (again.violations.length > 0) return 'fails';
  return again.passes.length > 0 ? 'passes' : 'undecided';
}

/**
 * In a test run Storybook pauses animations with a style it removes after the afterEach hooks;
 * a hook that throws skips that, and every later story in the file would wait for animations that
 * never end. Removed here before failing, so one failure stays one failure.
 */
function resumeAnimations(): void {
  for (const style of document.head.querySelectorAll('style')) {
    if (style.textContent?.includes('animation-play-state: paused !important')) style.remove();
  }
}

export async function reviewA11yIncomplete({ parameters, title, name, viewMode }: StoryContext): Promise<void> {
  const a11y = parameters.a11y as { test?: string; disable?: boolean; options?: RunOptions } | undefined;
  if (viewMode !== 'story' || a11y?.disable === true || a11y?.test === 'off') return;
  const tags = (a11y?.options?.runOnly as { values?: string[] } | undefined)?.values;
  const problems: string[] = [];
  if (a11y?.test !== 'error') problems.push(`a11y.test is ${String(a11y?.test)}, not 'error'`);
  if (JSON.stringify(tags) !== JSON.stringify(WCAG_22_AA_TAGS)) {
    problems.push(`axe runs with tags ${JSON.stringify(tags)}, not ${WCAG_22_AA_TAGS.join(', ')}`);
  }

  const result: AxeResults = await axe.run({ include: [document.body], exclude: STORYBOOK_CHROME.map((selector) => [selector]) }, {
    runOnly: { type: 'tag', values: [...WCAG_22_AA_TAGS] },
  });
  const findings: string[] = [];
  for (const rule of result.incomplete) {
    for (const node of rule.nodes) {
      const message = messageOf(node);
      const inView = rule.id === 'color-contrast' && /obscured|overlapped|viewport|scrolled/i.test(message) ? await contrastInView(node) : null;
      const label = `${rule.id}@${node.target.join(' ')}${inView === null ? '' : ` (in view: ${inView})`}`;
      findings.push(label);
      const selector = node.target.length === 1 && typeof node.target[0] === 'string' ? node.target[0] : null;
      const element = selector === null ? null : document.querySelector(selector);
      const isWithin = (scope: string) => element?.closest(scope) != null;
      if ((inView !== null && inView !== 'passes') || reviewOf(rule.id, message, isWithin) === undefined) {
        problems.push(`unreviewed incomplete result ${label}: ${message}`);
      }
    }
  }
  console.log(
    `a11y story "${title} / ${name}": ${result.violations.length} violations, ${findings.length} incomplete` +
      (findings.length > 0 ? ` (${findings.join(', ')})` : ''),
  );
  if (problems.length > 0) {
    resumeAnimations();
    throw new Error(`${title} / ${name}:\n${problems.join('\n')}`);
  }
}
