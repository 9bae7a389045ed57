import { Icon } from './Icon';
/** The gateway's warnings, amber, with an icon and words: never colour alone. */
export function WarningsPanel({ warnings }: { warnings: readonly string[] }) {
  if (!warnings.length) return null;
  return (
    <div className="panel panel-warn" role="status" data-testid="warnings">
      <p className="panel-title">
        <Icon name="warn" className="warn-icon" />{' '}
        {warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${i}-${w}`}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
