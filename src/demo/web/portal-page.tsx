/**
 * A small customer portal page: who is signed in, their visits, and the cancel widget on each.
 * Everything about cancelling is the widget's; this page only does what a portal already does.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { CancelAppointmentButton } from '../../index';
import { fetchDemoSession, fetchHeimLedger, resetDemo, type DemoSession } from './demo-api';

const whenFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

const STATUS_LABELS: Record<string, string> = {
  scheduling: 'Being arranged',
  scheduled: 'Booked',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

function PatientSwitcher({ session }: { session: DemoSession }) {
  return (
    <nav aria-label="Demo patients" className="demo-switcher">
      <p>
        {session.patient ? (
          <>
            Signed in as <strong>{session.patient.name}</strong>.{' '}
          </>
        ) : (
          'Choose a demo patient to sign in as. '
        )}
      </p>
      <ul>
        {session.patients
          .filter((p) => p.id !== session.patient?.id)
          .map((p) => (
            <li key={p.id}>
              <a href={`/demo/sign-in?patient=${encodeURIComponent(p.id)}`}>
                {session.patient ? `Switch to ${p.name}` : `Sign in as ${p.name}`}
              </a>
            </li>
          ))}
        {session.patient && (
          <li>
            <a href="/demo/sign-out">Sign out</a>
          </li>
        )}
      </ul>
    </nav>
  );
}

function AppointmentCard({ appointment, onChanged }: { appointment: DemoSession['appointments'][number]; onChanged: () => void }) {
  const headingId = useId();
  const eta = appointment.estimatedTimeOfArrival;
  return (
    <li className="demo-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{appointment.title ?? 'Home visit'}</h3>
      <p className="demo-card__when" id={`${headingId}-when`}>
        {eta ? whenFormat.format(new Date(eta)) : 'Arrival time not set yet'}
      </p>
      <p className="demo-card__status">Status: {STATUS_LABELS[appointment.status] ?? appointment.status}</p>
      {/* Every card's button says "Cancel appointment": its description (the visit and time) is said when it gets focus. */}
      <CancelAppointmentButton
        appointmentId={appointment.id}
        onCancelled={onChanged}
        aria-describedby={`${headingId} ${headingId}-when`}
      />
    </li>
  );
}

function HeimLedgerPanel() {
  const ledger = useQuery({ queryKey: ['demo', 'heim-ledger'], queryFn: fetchHeimLedger });
  const last = ledger.data?.entries.at(-1);
  return (
    <section aria-labelledby="ledger-heading" className="demo-ledger">
      <h2 id="ledger-heading">What Heim received</h2>
      <p>The last cancellation the proxy sent to the simulated Heim API, byte for byte:</p>
      {last ? (
        <pre>
          <code>{`POST ${last.path} → ${last.status}\n${last.body}`}</code>
        </pre>
      ) : (
        <p>Nothing yet.</p>
      )}
    </section>
  );
}

export function PortalPage() {
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: ['demo', 'session'], queryFn: fetchDemoSession });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['demo'] });
  };

  return (
    <>
      <header className="demo-header">
        <p className="demo-brand">Riverside Health</p>
        <p className="demo-tag">Patient portal · demo with a simulated Heim</p>
      </header>
      <main className="demo-main">
        <h1>Your home visits</h1>
        {session.isPending && <p role="status">Loading…</p>}
        {session.isError && <p role="alert">The demo server did not answer. Is `npm start` still running?</p>}
        {session.data && (
          <>
            <PatientSwitcher session={session.data} />
            {session.data.patient && (
              <section aria-labelledby="visits-heading">
                <h2 id="visits-heading">Upcoming and recent visits</h2>
                <ul className="demo-cards">
                  {session.data.appointments.map((appointment) => (
                    <AppointmentCard key={appointment.id} appointment={appointment} onChanged={refresh} />
                  ))}
                </ul>
              </section>
            )}
            <HeimLedgerPanel />
            <button
              type="button"
              className="demo-reset"
              onClick={() => {
                void resetDemo().then(() => queryClient.resetQueries());
              }}
            >
              Reset demo data
            </button>
          </>
        )}
      </main>
    </>
  );
}
