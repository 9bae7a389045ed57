/** An area that does not exist yet says so plainly, and shows no invented data. */
export function NotBuilt({ title, what }: { title: string; what: string }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <div className="panel panel-info">
        <p className="panel-title">
          <span aria-hidden="true">🛈 </span>Not built yet
        </p>
        <p>{what}</p>
        <p>
          This version of Rigger cannot do this yet. Nothing is shown here until it can be shown for
          real.
        </p>
      </div>
    </section>
  );
}
