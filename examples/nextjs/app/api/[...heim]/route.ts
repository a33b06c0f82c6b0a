/**
 * app/api/[...heim]/route.ts: Next.js calls these with a Web `Request` and sends back the
 * `Response`, which is exactly the handler's shape. Methods not exported here get Next's own 405;
 * the handler answers 405 with `Allow` for the ones it receives on a path that lacks them.
 */
import { cancelHandler } from '../../../lib/cancel-handler';

// The handler keeps per-process state (single flight, idempotency): never the Edge runtime's
// short-lived isolates.
export const runtime = 'nodejs';
// Every answer depends on the session and on Heim: never cache or pre-render.
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return cancelHandler()(request);
}

export function POST(request: Request): Promise<Response> {
  return cancelHandler()(request);
}
