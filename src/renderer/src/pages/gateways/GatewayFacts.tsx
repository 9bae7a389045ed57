import type { GatewayStatus } from '../../../../shared/status';
import { Facts } from '../../components/Facts';
import { identityRows, systemRows } from './gateway-view';

/** Identity and system figures side by side; "unknown" for anything not read. */
export function GatewayFacts({ status }: { status: GatewayStatus }) {
  return (
    <div className="columns">
      <section aria-labelledby="identity-title">
        <h2 id="identity-title">Identity</h2>
        <Facts rows={identityRows(status)} testId="identity" />
      </section>
      <section aria-labelledby="system-title">
        <h2 id="system-title">System</h2>
        <Facts rows={systemRows(status)} testId="system" />
      </section>
    </div>
  );
}
