/**
 * A mis-mounted handler answers every request 404 `not_found`, as the contract says an unknown
 * path must, and the widget tells the patient it could not load: nothing pointed at the mount.
 * The commonest cause is Express's `app.use('/api', listener)`, which strips `/api` from `req.url`
 * before the handler sees it. This recognises a path that is one of the handler's routes without
 * its basePath, so the 404 can be logged with the cause and the fix.
 */
import type { Logger } from './logger';

// `/healthz` is left out on purpose: a portal's own health check at its root, reaching a handler
// that serves as its fallback, is not a mis-mount.
const ROUTES_UNDER_BASE_PATH: readonly { pattern: RegExp; route: string }[] = [
  { pattern: /^\/appointments\/[^/]+$/, route: '/appointments/:appointmentId' },
  { pattern: /^\/appointments\/[^/]+\/cancellation$/, route: '/appointments/:appointmentId/cancellation' },
  { pattern: /^\/appointments\/[^/]+\/cancel$/, route: '/appointments/:appointmentId/cancel' },
  { pattern: /^\/webhooks\/heim$/, route: '/webhooks/heim' },
];

/** The route `pathname` would be under `basePath`, when it is outside `basePath` and one of ours. */
export function routeMissingBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '' || pathname === basePath || pathname.startsWith(`${basePath}/`)) return undefined;
  return ROUTES_UNDER_BASE_PATH.find(({ pattern }) => pattern.test(pathname))?.route;
}

/** Logs the likely mis-mount behind a 404 (the route's pattern only, never the URL). */
export function logIfUnmounted(request: Request, basePath: string, log: Logger): void {
  const route = routeMissingBasePath(new URL(request.url).pathname, basePath);
  if (route === undefined) return;
  log({
    level: 'warn',
    event: 'proxy.unmounted_path',
    route,
    basePath,
    hint: `a request for ${route} reached the handler without its basePath ${basePath}, so it was answered 404: Express's app.use('${basePath}', …) strips the prefix. Mount it with app.all('${basePath}/{*rest}', toNodeListener(handler)) (Express 5; '${basePath}/*' on Express 4), or set basePath to the path the handler actually receives ('' when the prefix is stripped)`,
  });
}
