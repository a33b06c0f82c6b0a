import type { Decorator, Loader, Preview } from '@storybook/react-vite';
import { setupWorker } from 'msw/browser';
import type { InMemoryBackend } from '../src/demo/in-memory-backend';
import { bffHandlers } from '../src/demo/msw-handlers';
import { WCAG_22_AA_TAGS } from '../src/demo/stories/a11y-review';
import { createStoryBackend, type StoryBackendParameters } from '../src/demo/stories/story-backend';
import widgetCss from '../src/widget/styles.css?inline';
import hostResetCss from '../src/demo/stories/host-reset.css?inline';
import { reviewA11yIncomplete } from './a11y-incomplete';

// One service worker for the whole Storybook; each story swaps in a fresh backend.
let current: InMemoryBackend | undefined;
const worker = setupWorker(...bffHandlers(() => current));
let started: Promise<unknown> | undefined;

const backendLoader: Loader = async ({ parameters }) => {
  started ??= worker.start({ onUnhandledRequest: 'bypass', quiet: true });
  await started;
  current = await createStoryBackend((parameters.backend ?? {}) as StoryBackendParameters);
  return { backend: current };
};

// The widget's optional stylesheet, unless a story shows the widget with no CSS at all, and after
// it a portal's own resets when a story asks (`hostReset: true`). Inline here only so a story can
// leave one out or add one; the widget itself never injects styles.
const withStylesheet: Decorator = (Story, { parameters }) => (
  <>
    {parameters.stylesheet === false ? null : <style>{widgetCss}</style>}
    {parameters.hostReset === true ? <style>{hostResetCss}</style> : null}
    <Story />
  </>
);

const preview: Preview = {
  loaders: [backendLoader],
  decorators: [withStylesheet],
  // Runs after addon-a11y's scan: fails a story whose "incomplete" results nobody has reviewed.
  afterEach: reviewA11yIncomplete,
  parameters: {
    layout: 'padded',
    // Any axe violation fails the story's test. Exactly the WCAG 2.2 AA tags (2.0, 2.1, 2.2 A/AA).
    a11y: { test: 'error', options: { runOnly: { type: 'tag', values: [...WCAG_22_AA_TAGS] } } },
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
