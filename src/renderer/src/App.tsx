import { useEffect, useRef, type MouseEvent } from 'react';
import { areaOf } from './areas';
import { AdapterBanner } from './components/AdapterBanner';
import { Nav } from './components/Nav';
import { NotBuilt } from './components/NotBuilt';
import { Toasts } from './components/Toasts';
import { BackupsPage } from './pages/backups/BackupsPage';
import { ImportProgressToast } from './pages/backups/ImportProgressToast';
import { GatewayOverview } from './pages/gateways/GatewayOverview';
import { GatewaysPage } from './pages/gateways/GatewaysPage';
import { NodesTab } from './pages/gateways/NodesTab';
import { PluginsTab } from './pages/gateways/PluginsTab';
import { ImagesPage } from './pages/images/ImagesPage';
import { ConsolePage } from './pages/console/ConsolePage';
import { HistoryPage } from './pages/history/HistoryPage';
import { JobsPage } from './pages/jobs/JobsPage';
import { LogsPage } from './pages/logs/LogsPage';
import { RecoveryPage } from './pages/recovery/RecoveryPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { UpdatesPage } from './pages/updates/UpdatesPage';
import { FleetPage } from './pages/fleet/FleetPage';
import { useRoute } from './routing';

/** The page for a route. */
function Page({ route }: { route: string[] }) {
  const [id, detail, tab] = route;
  if (id === 'gateways' && detail && tab === 'plugins') return <PluginsTab name={detail} />;
  if (id === 'gateways' && detail && tab === 'nodes') return <NodesTab name={detail} />;
  if (id === 'gateways') return detail ? <GatewayOverview name={detail} /> : <GatewaysPage />;
  if (id === 'settings') return <SettingsPage />;
  if (id === 'images') return <ImagesPage />;
  if (id === 'logs') return <LogsPage gateway={detail} />;
  if (id === 'jobs') return <JobsPage />;
  if (id === 'console') return <ConsolePage gateway={detail} />;
  if (id === 'history') return <HistoryPage gateway={detail} />;
  if (id === 'recovery') return <RecoveryPage gateway={detail} />;
  if (id === 'updates') return <UpdatesPage gateway={detail} />;
  if (id === 'backup') return <BackupsPage gateway={detail} />;
  if (id === 'fleet') return <FleetPage />;
  const area = areaOf(id);
  if (area?.later) return <NotBuilt title={area.label} what={area.later} />;
  return <NotBuilt title="Not found" what={`Rigger has no page at "#/${route.join('/')}".`} />;
}

/** The frame: navigation on the left, the current area on the right. */
export function App() {
  const route = useRoute();
  const key = route.join('/');
  const first = useRef(true);
  const label = route[1] ?? areaOf(route[0])?.label ?? 'Rigger';

  // On a route change, move focus to the new page's heading so keyboard and reader users follow.
  useEffect(() => {
    document.title = `${label} · Rigger`;
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus({ preventScroll: false });
  }, [key, label]);

  return (
    <div className="frame">
      <a className="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <Nav current={route[0] ?? 'gateways'} />
      <main id="main" tabIndex={-1}>
        <AdapterBanner />
        <Page key={key} route={route} />
      </main>
      <Toasts>
        <ImportProgressToast />
      </Toasts>
    </div>
  );
}

/** The skip link focuses the main area without touching the hash route. */
function skipToMain(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}
