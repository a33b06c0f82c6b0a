/**
 * `npm run bench:proxy`: the proxy under load on loopback, against the simulator at a fixed 20 ms
 * latency. A benchmark, not a test: it prints figures and exits 0 unless something is broken.
 * The simulator, the proxy and the load each run in a process of their own.
 *
 * 1. Latency at 200 requests per second, evenly paced, and what the proxy adds. An open-loop
 *    pacer starts a request through the proxy every 5 ms whatever the earlier ones did, and on
 *    every fourth tick also one straight to the simulator, so the direct baseline is timed on the
 *    same ticks, on the same machine at the same moment ("added" compares like with like).
 *    autocannon is not the pacer here: its `-R` gives each connection a quota per second and sends
 *    it as fast as it can at the start of each second, so "200 req/s" over 20 connections was in
 *    fact a burst at about 900 req/s for 160 ms, then silence, and its latency figures under `-R`
 *    are wrong besides (a 1 ms minimum against a server that waits 20 ms).
 * 2. Throughput: autocannon, closed loop, 20 connections, no pacing: how many requests per second
 *    the proxy sustains and its latency there, beside the simulator alone.
 * 3. The ledger check: 100 appointments × 10 concurrent confirms each must give exactly 100
 *    upstream POSTs, none lost, none duplicated.
 *
 * BENCH_DURATION_S (default 10) and BENCH_HEIM_LATENCY_MS (default 20) change the run.
 */
import type autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createPatientSession } from '../src/server';
import type { LedgerEntry, SeedAppointment } from '../src/simulator';

const RATE = 200;
/** One direct request to the simulator every this many ticks, for the baseline. */
const DIRECT_EVERY = 4;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 20;

type Result = autocannon.Result;

const AUTOCANNON_BIN = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

/**
 * autocannon in a process of its own (its CLI, --json), so the load it generates does not share an
 * event loop with the probe that times the answers.
 */
function run(options: { url: string; headers: Record<string, string>; connections: number; duration: number }): Promise<Result> {
  const args = [AUTOCANNON_BIN, '--json', '-c', String(options.connections), '-d', String(options.duration)];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}=${value}`);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as Result);
      } catch {
        reject(new Error(`autocannon exited with ${code} and no JSON result`));
      }
    });
  });
}

interface Probe {
  latencies: number[];
  errors: number;
}

interface Target {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/**
 * Open-loop pacer: tick i starts at `i * 1000 / rate` ms whatever earlier requests did, and sends
 * one request to each target whose `every` divides i. Each answer is timed from its own start.
 */
async function probe(targets: readonly (Target & { every: number })[], rate: number, seconds: number): Promise<Probe[]> {
  const results: Probe[] = targets.map(() => ({ latencies: [], errors: 0 }));
  const inFlight: Promise<void>[] = [];
  const total = rate * seconds;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    targets.forEach((target, t) => {
      if (i % target.every !== 0) return;
      const result = results[t]!;
      const sent = performance.now();
      inFlight.push(
        fetch(target.url, { headers: target.headers })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status !== 200) result.errors += 1;
            result.latencies.push(performance.now() - sent);
          })
          .catch(() => {
            result.errors += 1;
          }),
      );
    });
  }
  await Promise.all(inFlight);
  return results;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summarise(timed: Probe) {
  const sorted = [...timed.latencies].sort((x, y) => x - y);
  return {
    rps: sorted.length / DURATION_S,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    samples: sorted.length,
    errors: timed.errors,
  };
}

function summariseLoad(result: Result) {
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    samples: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

type Measure = ReturnType<typeof summarise>;

function line(label: string, m: Measure): string {
  return `${label.padEnd(40)} ${m.rps.toFixed(0).padStart(5)} req/s   p50 ${m.p50.toFixed(1).padStart(5)} ms   p99 ${m.p99.toFixed(1).padStart(5)} ms   (${m.samples} requests)   errors ${m.errors}`;
}

/** Starts `scripts/bench-servers.ts <args>` and reads the JSON line it prints. */
async function startChild<T>(args: string[]): Promise<{ info: T; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bench-servers.ts', import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench servers (${args[0]}) exited with ${code}`)));
  });
  return { info: JSON.parse(firstLine) as T, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const heimChild = await startChild<{ heimOrigin: string; heimBaseUrl: string; heimKey: string }>(['heim']);
  const proxyChild = await startChild<{ proxyOrigin: string; sessionSecret: string }>([
    'proxy',
    heimChild.info.heimBaseUrl,
    heimChild.info.heimKey,
  ]);
  const servers = { ...heimChild.info, ...proxyChild.info };
  const stop = () => {
    proxyChild.stop();
    heimChild.stop();
  };
  const { heimKey: HEIM_KEY, sessionSecret: SESSION_SECRET } = servers;
  const heim = { baseUrl: servers.heimBaseUrl };
  const proxy = { origin: servers.proxyOrigin };
  const control = (path: string, init?: RequestInit) => fetch(`${servers.heimOrigin}/_sim${path}`, init);
  const token = await createPatientSession({ secret: SESSION_SECRET, patientId: 'p_demo_alice', expiresInSeconds: 3600 });

  console.log(
    `Proxy benchmark on loopback: simulator latency ${process.env.BENCH_HEIM_LATENCY_MS ?? 20} ms, ${DURATION_S} s per phase;` +
      ` simulator, proxy and load in three processes\n`,
  );
  const directTarget: Target = { url: `${heim.baseUrl}/appointments/apt_alice_3d`, headers: { authorization: HEIM_KEY } };
  const proxyTarget: Target = { url: `${proxy.origin}/api/appointments/apt_alice_3d`, headers: { authorization: `Bearer ${token}` } };
  // Warm both paths (JIT, keep-alive sockets) before measuring.
  await probe([{ ...proxyTarget, every: 1 }, { ...directTarget, every: 1 }], RATE, 2);

  const [viaProxy, direct] = (await probe([{ ...proxyTarget, every: 1 }, { ...directTarget, every: DIRECT_EVERY }], RATE, DURATION_S)).map(summarise);
  console.log(`Latency at ${RATE} req/s through the proxy, evenly paced (GET an appointment):`);
  console.log(line('  through the proxy', viaProxy!));
  console.log(line('  the simulator directly, same ticks', direct!));
  console.log(
    `  the proxy adds: p50 ${(viaProxy!.p50 - direct!.p50).toFixed(1)} ms, p99 ${(viaProxy!.p99 - direct!.p99).toFixed(1)} ms` +
      ` (target: p99 within 10 ms, zero errors; errors: ${viaProxy!.errors + direct!.errors})`,
  );

  const loadDirect = summariseLoad(await run({ ...directTarget, connections: CONNECTIONS, duration: DURATION_S }));
  const loadProxy = summariseLoad(await run({ ...proxyTarget, connections: CONNECTIONS, duration: DURATION_S }));
  console.log(`\nThroughput, autocannon closed loop, ${CONNECTIONS} connections, no pacing:`);
  console.log(line('  the simulator alone', loadDirect));
  console.log(line('  through the proxy', loadProxy));

  // Ledger check: 100 appointments, each confirmed 10 times at once (10 tabs), one patient each.
  const base = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < 100; i += 1) {
    const id = `apt_bench_${String(i).padStart(3, '0')}`;
    ids.push(id);
    const seed: SeedAppointment = {
      id,
      status: 'scheduled',
      estimatedTimeOfArrival: new Date(base + 3 * 86_400_000).toISOString(),
      patient: { id: `p_bench_${i}`, name: `Bench Patient ${i}` },
      serviceName: 'Blood test at home',
      location: { line1: '1 Bench Street', city: 'Leeds', postcode: 'LS1 1AA' },
    };
    const added = await control('/appointments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed) });
    if (added.status !== 201) throw new Error(`Could not add ${id}: ${added.status} ${await added.text()}`);
  }
  await control('/ledger', { method: 'DELETE' });
  const started = performance.now();
  const answers = await Promise.all(
    ids.flatMap((id, i) =>
      Array.from({ length: 10 }, async (_, attempt) => {
        const session = await createPatientSession({ secret: SESSION_SECRET, patientId: `p_bench_${i}` });
        const response = await fetch(`${proxy.origin}/api/appointments/${id}/cancel`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-requested-with': 'bench',
            origin: proxy.origin,
            authorization: `Bearer ${session}`,
            'idempotency-key': `bench_${id}_${attempt}`,
          },
          body: JSON.stringify({ reasonCode: 'no_longer_required' }),
        });
        return response.status;
      }),
    ),
  );
  const elapsed = performance.now() - started;
  const ledger = ((await (await control('/ledger')).json()) as { entries: LedgerEntry[] }).entries;
  const posts = ledger.filter((entry) => entry.method === 'POST');
  const perAppointment = new Map<string, number>();
  for (const post of posts) perAppointment.set(post.path, (perAppointment.get(post.path) ?? 0) + 1);
  const duplicates = [...perAppointment.values()].filter((count) => count > 1).length;
  const lost = (
    await Promise.all(
      ids.map(async (id, i) => {
        const list = (await (await control(`/appointments?patient.id=p_bench_${i}`)).json()) as { data: { id: string; status: string }[] };
        return list.data.find((a) => a.id === id)?.status === 'cancelled';
      }),
    )
  ).filter((cancelled) => !cancelled).length;
  const ok = answers.filter((s) => s === 200).length;
  const already = answers.filter((s) => s === 409).length;
  const other = answers.length - ok - already;
  console.log(
    `\nLedger check: 100 appointments × 10 concurrent confirms = ${answers.length} requests in ${elapsed.toFixed(0)} ms` +
      `\n  answers: ${ok} × 200 cancelled, ${already} × 409 already_cancelled, ${other} other` +
      `\n  upstream POSTs: ${posts.length} (expected 100), lost: ${lost}, duplicated: ${duplicates}`,
  );

  stop();
  const healthy = posts.length === 100 && lost === 0 && duplicates === 0 && other === 0;
  if (!healthy) {
    console.error('\nThe ledger check failed.');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
