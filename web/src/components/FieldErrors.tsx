import type { FieldError } from "../types";

/** Errors named by field, announced when they appear. */
export function FieldErrors({ id, errors, title }: { id: string; errors: FieldError[]; title?: string }) {
  if (!errors.length) return <div id={id} role="alert" aria-live="assertive" />;
  return (
    <div id={id} role="alert" aria-live="assertive" className="errors">
      {title && <p className="errors-title">{title}</p>}
      <ul>
        {errors.map((error) => (
          <li key={`${error.field}: ${error.message}`}>
            <code>{error.field}</code>: {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
