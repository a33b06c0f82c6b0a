/**
 * A throwaway portal that installs the packed tarball the way a customer would: a Vite React app
 * (built, then served next to the proxy), a plain Node SSR script, and a Node server that mounts
 * `heim-cancel/server` in front of `heim-cancel/simulator`. Everything it imports comes from the
 * installed package by its published names; nothing reaches into this repository's source.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConsumerLine } from './peer-versions';
import { run } from './support';

export const APPOINTMENT_ID = 'apt_bilal_3d';
export const PATIENT_ID = 'p_demo_bilal';

const FILES: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>Consumer portal</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`,
  'vite.config.js': `import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
export default defineConfig({ plugins: [react()], logLevel: 'warn' });
`,
  // As Vite's React template has it (vite/client types the CSS import), but with skipLibCheck off:
  // the package's own declarations are compiled as strictly as the portal's code.
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'bundler',
        jsx: 'react-jsx',
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['vite/client'],
      },
      include: ['src'],
    },
    null,
    2,
  ),
  'src/main.tsx': `import { version } from 'react';
import { createRoot } from 'react-dom/client';
import { CancelAppointmentButton, type CancelledResult } from 'heim-cancel';
import 'heim-cancel/styles.css';

const appointmentId = new URLSearchParams(location.search).get('appointment') ?? '';
const onCancelled = (result: CancelledResult) => {
  document.body.dataset.cancelled = result.appointmentId;
};

createRoot(document.getElementById('root')!).render(
  <main>
    <h1>Consumer portal</h1>
    <p data-testid="react-version">{version}</p>
    <CancelAppointmentButton appointmentId={appointmentId} onCancelled={onCancelled} />
  </main>,
);
`,
  // Typechecked only: the exported query options used as a portal would, with its own useQuery
  // and cache, on whichever react-query of our range it has. Our declarations name only types that
  // react-query exports from the floor on; the key must keep its data tag on every version.
  'src/appointment-elsewhere.ts': `import { useQueries, useQuery, useSuspenseQuery, type QueryClient } from '@tanstack/react-query';
import {
  appointmentQueryOptions,
  cancellationQueryOptions,
  type AppointmentResponse,
  type CancelApiClient,
  type CancellationStatusResponse,
  type HeimQueryOptions,
  type AppointmentQueryKey,
} from 'heim-cancel';

export function useAppointmentElsewhere(queryClient: QueryClient, client: CancelApiClient, appointmentId: string) {
  const options: HeimQueryOptions<AppointmentResponse, AppointmentQueryKey> = appointmentQueryOptions({ client, appointmentId });
  // Without the tag, getQueryData gives unknown and this does not compile.
  const cached = queryClient.getQueryData(options.queryKey);
  const data: AppointmentResponse | undefined = useQuery(options, queryClient).data ?? cached;
  return data;
}

// useSuspenseQuery refuses options whose queryFn may be skipToken; useQueries takes both at once.
export function useAppointmentSuspended(client: CancelApiClient, appointmentId: string): AppointmentResponse {
  return useSuspenseQuery(appointmentQueryOptions({ client, appointmentId })).data;
}
export function useBoth(client: CancelApiClient, appointmentId: string): [AppointmentResponse | undefined, CancellationStatusResponse | undefined] {
  const [appointment, status] = useQueries({
    queries: [appointmentQueryOptions({ client, appointmentId }), cancellationQueryOptions({ client, appointmentId })],
  });
  return [appointment.data, status.data];
}
`,
  // A server-only portal's own TypeScript: Node's types and ES2022, no DOM library, skipLibCheck
  // off. The package's server declarations must compile there too (a global CryptoKey did not).
  'tsconfig.server.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
        noEmit: true,
      },
      include: ['server'],
    },
    null,
    2,
  ),
  // Typechecked only: Express-style session on Node's request, the proxy on plain node:http.
  'server/portal-server.ts': `import { createServer, type IncomingMessage } from 'node:http';
import { createCancelHandler, toNodeListener } from 'heim-cancel/server';
import { SIMULATOR_DEFAULT_API_KEY, startSimulator } from 'heim-cancel/simulator';

type SessionRequest = IncomingMessage & { session?: { patientId?: string } };

const heim = await startSimulator({ port: 0 });
const handler = createCancelHandler<SessionRequest>({
  heim: { baseUrl: heim.baseUrl, apiKey: SIMULATOR_DEFAULT_API_KEY },
  authenticate: (_request, { nodeRequest }) => {
    const patientId = nodeRequest?.session?.patientId;
    return patientId === undefined ? null : { patientId };
  },
});
const proxy = toNodeListener(handler);
createServer((req, res) => {
  if (req.url?.startsWith('/api/')) return void proxy(req, res);
  res.writeHead(404).end();
}).listen(0, '127.0.0.1');
`,
  // Plain Node, no DOM: window or document touched at import or render time would throw.
  'ssr.mjs': `import { createElement } from 'react';
import { version } from 'react';
import { renderToString } from 'react-dom/server';

const consoleErrors = [];
console.error = (...args) => consoleErrors.push(args.map(String).join(' '));
const { CancelAppointmentButton, CancelAppointmentProvider } = await import('heim-cancel');
const html = renderToString(
  createElement(CancelAppointmentProvider, { apiBaseUrl: '/api' }, createElement(CancelAppointmentButton, { appointmentId: 'apt_ssr' })),
);
process.stdout.write(JSON.stringify({ react: version, html, consoleErrors, window: typeof window, document: typeof document }));
`,
  // The portal's server: the built page, the proxy at /api, the simulator standing in for Heim.
  'serve.mjs': `import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createCancelHandler, createPatientSession, startProxyServer } from 'heim-cancel/server';
import { SIMULATOR_DEFAULT_API_KEY, startSimulator } from 'heim-cancel/simulator';

const secret = process.env.PORTAL_SESSION_SECRET;
const heim = await startSimulator();
const proxy = createCancelHandler({ heim: { baseUrl: heim.baseUrl, apiKey: SIMULATOR_DEFAULT_API_KEY }, sessionSecret: secret });
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const site = await startProxyServer(
  async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/api/')) return proxy(request);
    if (pathname === '/_ledger') return Response.json(heim.simulator.ledger.map(({ method, path, status }) => ({ method, path, status })));
    const file = pathname === '/' ? 'index.html' : pathname.slice(1);
    try {
      const body = await readFile(join('dist', file));
      return new Response(body, { headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  },
  { host: '127.0.0.1', port: 0 },
);
const token = await createPatientSession({ secret, patientId: process.env.PATIENT_ID, expiresInSeconds: 3600 });
console.log(JSON.stringify({ origin: site.origin, heimBaseUrl: heim.baseUrl, heimApiKey: SIMULATOR_DEFAULT_API_KEY, token }));
process.once('SIGTERM', () => {
  void Promise.all([site.close(), heim.close()]).then(() => process.exit(0));
});
`,
};

/** Creates the app in a fresh temporary folder and installs it; returns the folder. */
export async function createConsumerApp(tarball: string, line: ConsumerLine): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), `heim-cancel-consumer-react${line.peers.react.split('.')[0]}-`));
  const manifest = {
    name: 'heim-cancel-consumer',
    private: true,
    type: 'module',
    dependencies: { 'heim-cancel': `file:${tarball}`, ...line.peers },
    devDependencies: { ...line.tooling, '@types/react': line.types.react, '@types/react-dom': line.types.reactDom },
  };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  // The npm cache is warm on this machine; CI reaches the registry. Scripts are not needed.
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], { cwd: folder, timeoutMs: 150_000 });
  return folder;
}
