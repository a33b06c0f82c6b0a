import { forwardRef, useId } from 'react';

export interface ErrorSummaryItem {
  /** The id of the field to focus. */
  readonly fieldId: string;
  readonly message: string;
}

export interface ErrorSummaryProps {
  readonly title: string;
  readonly items: readonly ErrorSummaryItem[];
}

/**
 * The GOV.UK error summary: announced (role alert), focused by the form after a failed submit,
 * each problem a link to its field. Links move focus themselves because a hash change inside a
 * modal dialog does not reliably focus the target.
 */
export const ErrorSummary = forwardRef<HTMLDivElement, ErrorSummaryProps>(function ErrorSummary({ title, items }, ref) {
  const headingId = useId();
  return (
    <div className="hc-error-summary" role="alert" aria-labelledby={headingId} tabIndex={-1} ref={ref}>
      <h3 className="hc-error-summary__title" id={headingId}>
        {title}
      </h3>
      <ul className="hc-error-summary__list">
        {items.map((item) => (
          <li key={item.fieldId}>
            <a
              href={`#${item.fieldId}`}
              onClick={(event) => {
                event.preventDefault();
                const field = event.currentTarget.ownerDocument.getElementById(item.fieldId);
                field?.focus();
              }}
            >
              {item.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
});
