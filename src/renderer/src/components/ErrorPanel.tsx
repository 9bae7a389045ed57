import type { RiggerErrorData } from '../../../shared/errors';

/** An error as a technician needs it: what happened, what to do, and the code small for support. */
export function ErrorPanel({
  error,
  title = 'Something went wrong',
}: {
  error: RiggerErrorData;
  title?: string;
}) {
  return (
    <div className="panel panel-error" role="alert">
      <p className="panel-title">
        <span aria-hidden="true">⛔ </span>
        {title}
      </p>
      <p>{error.message}</p>
      {error.suggested_actions.length > 0 && (
        <>
          <p className="panel-sub">What to do:</p>
          <ul>
            {error.suggested_actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
      <p className="code">Code {error.code}</p>
    </div>
  );
}
