import type { Decorator, Loader, Preview } from '@storybook/react-vite';
import { setupWorker } from 'msw/browser';
import type { InMemoryBackend } from '../src/demo/in-memory-backend';
import { bffHandlers } from '../src/demo/msw-handlers';
import { createStoryBackend, type StoryBackendParameters } from '../src/demo/stories/story-backend';
import widgetCss from '../src/widget/styles.css?inline';

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

// The widget's optional stylesheet, unless a story shows the widget with no CSS at all. (Inline
// here only so one story can leave it out; the widget itself never injects styles.)
const withStylesheet: Decorator = (Story, { parameters }) => (
  <>
    {parameters.stylesheet === false ? null : <style>{widgetCss}</style>}
    <Story />
  </>
);

const preview: Preview = {
  loaders: [backendLoader],
  decorators: [withStylesheet],
  parameters: {
    layout: 'padded',
    // Any axe violation fails the story's test.
    a11y: { test: 'error', options: { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } } },
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
