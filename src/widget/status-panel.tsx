import { useEffect, useRef, type ReactNode } from 'react';

export interface StatusPanelProps {
  readonly title: string;
  /** Id for the heading: the panel's title becomes the dialog's name (its `aria-labelledby`). */
  readonly titleId?: string;
  /** Referenced by the dialog's `aria-describedby`. */
  readonly descriptionId?: string;
  /** `info` for neutral news, `error` for something the patient must act on. Exposed as `data-tone`. */
  readonly tone?: 'info' | 'success' | 'error' | 'pending';
  readonly children?: ReactNode;
}

/**
 * One screen of news that replaces the form (success, already cancelled, session expired...).
 * It also replaces the dialog's question as its title, so the dialog is named by the news.
 * Its heading takes focus when it appears, so a screen reader reads the news at once and
 * keyboard users continue from it; tabIndex -1 makes the heading focusable without adding a tab stop.
 */
export function StatusPanel({ title, titleId, descriptionId, tone = 'info', children }: StatusPanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [title]);
  return (
    <section className="hc-panel" data-tone={tone}>
      <h2 className="hc-panel__title" id={titleId} tabIndex={-1} ref={headingRef}>
        {title}
      </h2>
      <div className="hc-panel__body" id={descriptionId}>
        {children}
      </div>
    </section>
  );
}
