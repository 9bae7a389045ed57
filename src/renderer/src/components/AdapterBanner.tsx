import { href } from '../routing';
import { useConsole } from '../stores/console';
import { Icon } from './Icon';

/** "USB serial adapter connected: FTDI FT232R on /dev/ttyUSB0. Open console on /dev/ttyUSB0?" */
export function AdapterBanner() {
  const plugged = useConsole((s) => s.plugged);
  if (!plugged) return null;
  const dismiss = () => useConsole.setState({ plugged: null });
  return (
    <div className="panel panel-info adapter-banner" role="status" data-testid="adapter-banner">
      <Icon name="info" /> {plugged.message}.{' '}
      <a href={href('console')} onClick={dismiss}>
        Open console on {plugged.port}?
      </a>{' '}
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
