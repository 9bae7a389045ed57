import { Icon } from './Icon';
/** An area that does not exist yet says so plainly, says what it will do, and shows no data. */
export function NotBuilt({ title, what }: { title: string; what: string }) {
  return (
    <section className="page" aria-labelledby="page-title" data-testid="not-built">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      <div className="panel panel-info">
        <p className="panel-title">
          <Icon name="info" /> Not built yet
        </p>
        <p>
          <strong>What it will do:</strong> {what}
        </p>
        <p>This version of Rigger cannot do this yet, so nothing is shown here.</p>
      </div>
    </section>
  );
}
