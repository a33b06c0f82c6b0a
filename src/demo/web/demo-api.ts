/** The demo portal's own endpoints (not the proxy's): who is signed in and their visits. */
import * as z from 'zod';

const demoSessionSchema = z.object({
  patient: z.object({ id: z.string(), name: z.string() }).nullable(),
  patients: z.array(z.object({ id: z.string(), name: z.string() })),
  appointments: z.array(
    z.object({
      id: z.string(),
      title: z.string().nullish(),
      status: z.string(),
      estimatedTimeOfArrival: z.string().nullable(),
    }),
  ),
});
export type DemoSession = z.infer<typeof demoSessionSchema>;

const ledgerSchema = z.object({
  entries: z.array(z.object({ seq: z.number(), path: z.string(), body: z.string(), status: z.number() })),
});
export type HeimLedger = z.infer<typeof ledgerSchema>;

async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return schema.parse(await response.json());
}

export const fetchDemoSession = () => getJson('/demo/session', demoSessionSchema);
export const fetchHeimLedger = () => getJson('/demo/heim-ledger', ledgerSchema);

export async function resetDemo(): Promise<void> {
  await fetch('/demo/reset', { method: 'POST', credentials: 'same-origin' });
}
