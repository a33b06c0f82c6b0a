/**
 * The page runs under a CSP without 'unsafe-eval'. zod (a peer dependency, so the portal's to
 * configure) otherwise probes `new Function` when the first object schema is built, to speed up
 * parsing; the probe fails harmlessly, but the browser reports it as a CSP violation (and sends
 * it to any report-uri). `jitless` skips the probe. It must run before any module that builds a
 * schema is evaluated, hence its own module, imported first, and listed in package.json's
 * `sideEffects` so the bundler keeps a module that exports nothing.
 */
import * as z from 'zod';

z.config({ jitless: true });
