import { useEffect, useLayoutEffect } from 'react';

/**
 * `useLayoutEffect` in the browser, `useEffect` on the server. Layout effects never run on the
 * server anyway, but React 18 warns about each one rendered there, which is noise in a portal's
 * server log when it server-renders the button (React 19 no longer warns).
 */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
