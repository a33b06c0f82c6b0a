import type { CSSProperties } from 'react';

/**
 * Hides text visually but not from assistive technology. Inline on purpose: live regions must stay
 * invisible even when the portal loads no stylesheet, and the widget injects no `<style>`.
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
  border: 0,
};
