/**
 * One axe-core scan (WCAG 2.2 AA tags) of what a Chromium page shows now, keeping the
 * "incomplete" results as well as the violations, and a tally over many states for the report.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { REVIEW_SCOPES, reviewOf, WCAG_22_AA_TAGS } from '../../src/demo/stories/a11y-review';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  readonly rule: string;
  /** CSS selector of the node. */
  readonly target: string;
  /** Axe's explanation for this node. */
  readonly message: string;
  /** For text out of view: what a second check found once it was scrolled into view. */
  readonly recheck?: 'passes' | 'fails' | 'undecided';
  /** Which reviews' `within` selectors the node matches or is inside (scoped reviews need it). */
  readonly within?: string[];
}

export interface StateScan {
  readonly state: string;
  readonly violations: AxeFinding[];
  /** Incomplete results with the review that accepts them (undefined: nobody has reviewed this). */
  readonly incomplete: Array<AxeFinding & { review: string | undefined }>;
}

interface InPageResult {
  violations: AxeFinding[];
  incomplete: AxeFinding[];
}

/**
 * Scans the page. Text that axe could not judge because it is scrolled out of view in the dialog
 * is scrolled into view and judged again (checkObscuredContrast): it must then pass.
 */
export async function scanState(page: Page, state: string): Promise<StateScan> {
  // Colours are judged as the patient sees them at rest, not halfway through the dialog's fade-in.
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
  // Evaluated through the DevTools protocol, not a <script>: the demo's Content-Security-Policy
  // (script-src 'self') stays in force while it is scanned.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async ({ tags, scopes }): Promise<InPageResult> => {
    type AxeNode = { target: string[]; any: { message: string }[]; all: { message: string }[]; none: { message: string }[] };
    type AxeRule = { id: string; nodes: AxeNode[] };
    type AxeResults = { violations: AxeRule[]; incomplete: AxeRule[]; passes: AxeRule[] };
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> } }).axe;
    const flatten = (rules: AxeRule[]) =>
      rules.flatMap((rule) =>
        rule.nodes.map((node) => ({
          rule: rule.id,
          path: node.target,
          target: node.target.join(' '),
          message: [...node.any, ...node.all, ...node.none].map((check) => check.message).join(' ') || '(no message)',
        })),
      );
    const first = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    const violations: AxeFinding[] = flatten(first.violations).map(({ path: _path, ...rest }) => rest);
    const incomplete: AxeFinding[] = [];
    for (const { path, ...found } of flatten(first.incomplete)) {
      const node = path.length === 1 ? document.querySelector(path[0]!) : null;
      const finding = { ...found, within: scopes.filter((scope) => node?.closest(scope) != null) };
      const element = finding.rule === 'color-contrast' ? node : null;
      if (element === null || !/obscured|overlapped|viewport|scrolled/i.test(finding.message)) {
        incomplete.push(finding);
        continue;
      }
      // checkObscuredContrast: bring it into view, judge it alone, then put the scroll back.
      const scrollers = [...document.querySelectorAll('dialog, html')].map((node) => [node, node.scrollTop] as const);
      element.scrollIntoView({ block: 'center' });
      const again = await axe.run({ include: [path] }, { runOnly: { type: 'rule', values: ['color-contrast'] } });
      for (const [node, top] of scrollers) node.scrollTop = top;
      const failed = flatten(again.violations);
      violations.push(...failed.map(({ path: _path, ...rest }) => rest));
      const recheck = failed.length > 0 ? 'fails' : again.passes.length > 0 ? 'passes' : 'undecided';
      incomplete.push({ ...finding, recheck });
    }
    return { violations, incomplete };
  }, { tags: [...WCAG_22_AA_TAGS], scopes: [...REVIEW_SCOPES] });
  return {
    state,
    violations: result.violations,
    incomplete: result.incomplete.map((finding) => ({
      ...finding,
      // Out-of-view text is accepted only once it has passed in view.
      review:
        finding.recheck === undefined || finding.recheck === 'passes'
          ? reviewOf(finding.rule, finding.message, (scope) => finding.within?.includes(scope) === true)?.review
          : undefined,
    })),
  };
}

/** Collects scans and prints the per-state list and the one-line summary. */
export class ScanReport {
  readonly scans: StateScan[] = [];

  async scan(page: Page, state: string): Promise<StateScan> {
    const result = await scanState(page, state);
    this.scans.push(result);
    return result;
  }

  summary(label: string): string {
    const violations = this.scans.reduce((sum, scan) => sum + scan.violations.length, 0);
    const incomplete = this.scans.flatMap((scan) => scan.incomplete);
    const unreviewed = incomplete.filter((finding) => finding.review === undefined).length;
    return `a11y (${label}): ${this.scans.length} states scanned, ${violations} violations, ${incomplete.length} incomplete (${
      incomplete.length - unreviewed
    } reviewed, ${unreviewed} unreviewed)`;
  }

  print(label: string): void {
    const lines = this.scans.map((scan) => {
      const incomplete = scan.incomplete
        .map((finding) => `${finding.rule}@${finding.target}${finding.recheck ? ` (in view: ${finding.recheck})` : ''}`)
        .join(', ');
      return `  ${scan.state}: ${scan.violations.length} violations${incomplete ? `; incomplete: ${incomplete}` : ''}`;
    });
    console.log([`a11y states (${label}):`, ...lines, this.summary(label)].join('\n'));
  }
}
