import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../src/demo/stories/**/*.mdx', '../src/demo/stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: {
    name: '@storybook/react-vite',
    // The repo's vite.config.ts builds the demo page (its own root); Storybook gets a plain one.
    options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } },
  },
  // mockServiceWorker.js (MSW) lives in public/.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
  // The props interfaces span files (CancelAppointmentConfig); react-docgen-typescript follows them.
  typescript: {
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      shouldExtractLiteralValuesFromEnum: true,
      propFilter: (prop) => !prop.parent || !/node_modules/.test(prop.parent.fileName),
    },
  },
};

export default config;
