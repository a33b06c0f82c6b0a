/**
 * The axe "incomplete" results (checks axe could not decide by itself) that a person has reviewed,
 * with why each is fine. Shared by the Storybook preview (every story) and the Chromium tests of
 * the demo, so an incomplete result nobody has looked at fails a test instead of passing quietly.
 * docs/accessibility.md explains each one at more length.
 */

/** The WCAG 2.2 AA rule tags every scan runs with. */
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export interface ReviewedIncomplete {
  /** The axe rule id. */
  readonly rule: string;
  /** Matches axe's message for the node, so only the reviewed reason is accepted. */
  readonly message: RegExp;
  /** Why it is not a failure (or what checks it instead). */
  readonly review: string;
  /**
   * Where the review holds: the node must match this selector or be inside an element that does.
   * Unset: anywhere (the reason is in the message itself, and is rechecked where it can be).
   */
  readonly within?: string;
}

export const REVIEWED_INCOMPLETE: readonly ReviewedIncomplete[] = [
  {
    rule: 'bypass',
    message: /No valid skip link found/,
    review:
      'Page-level rule (2.4.1 Bypass Blocks): axe cannot tell whether a page with no skip link has blocks to bypass. ' +
      'A component on its own has none; the demo portal starts with its main content after two lines of header.',
  },
  {
    rule: 'color-contrast',
    message: /partially obscured|outside the viewport|scrolled out of view|obscured by another element|overlapped by another element/i,
    review:
      'Text scrolled out of view inside the scrolling dialog, or passing under its actions (which stay at its foot on ' +
      'a tall screen), so axe cannot see its background. ' +
      'Each such element is scrolled into view and checked again; it must then pass (checkObscuredContrast).',
  },
  {
    rule: 'color-contrast',
    message: /partially overlaps other elements/i,
    within: '.hc-dialog__actions',
    review:
      "A button in the dialog's actions, which stay at its foot on a tall screen while content scrolls under them: " +
      "axe sees the content beneath and cannot pick a background. The bar's background is opaque (it inherits the " +
      "dialog's surface), so nothing beneath shows through; the same buttons on the same surface are judged by axe " +
      'in every state where nothing passes under them.',
  },
  {
    rule: 'color-contrast',
    message: /Element has no value; test color contrast with a value entered/,
    within: 'textarea.hc-textarea',
    review:
      'An empty field (the note) has no text for axe to judge. What is typed there is --hc-color-text on ' +
      '--hc-color-surface, the pair axe judges on every paragraph of the same dialog.',
  },
];

/** Every `within` selector of the reviews: what a scan must tell about each node it reports. */
export const REVIEW_SCOPES: readonly string[] = REVIEWED_INCOMPLETE.flatMap((reviewed) => (reviewed.within === undefined ? [] : [reviewed.within]));

/**
 * The review for one incomplete node, or undefined when nobody has reviewed this case. `isWithin`
 * says whether the node matches (or is inside) a selector: without it, scoped reviews never apply.
 */
export function reviewOf(rule: string, message: string, isWithin: (selector: string) => boolean = () => false): ReviewedIncomplete | undefined {
  return REVIEWED_INCOMPLETE.find(
    (reviewed) => reviewed.rule === rule && reviewed.message.test(message) && (reviewed.within === undefined || isWithin(reviewed.within)),
  );
}
