import { useEffect, useState } from 'react';
import { Nav } from './components/Nav';
import { NotBuilt } from './components/NotBuilt';
import { GatewayOverview } from './pages/gateways/GatewayOverview';
import { GatewaysPage } from './pages/gateways/GatewaysPage';
import { SettingsPage } from './pages/SettingsPage';
import { useRoute } from './routing';
import { api } from './stores/client';

const LATER: Record<string, { title: string; what: string }> = {
  updates: {
    title: 'Updates',
    what: "Update a gateway from Rigger's offline library: write the inactive slot, verify it, switch, and prove it healthy.",
  },
  images: {
    title: 'Images',
    what: 'The offline library of signed images, synced from the update server while online.',
  },
  recovery: {
    title: 'Recovery',
    what: 'Roll back, restore snapshots and factory-reset a gateway.',
  },
  backup: { title: 'Backup', what: "Snapshots of a gateway's data to this laptop." },
  console: {
    title: 'Console',
    what: 'The USB serial console and U-Boot, to bring back a gateway that no longer boots.',
  },
  jobs: {
    title: 'Jobs',
    what: 'Everything running and recent, across gateways, with cancel and resume.',
  },
  history: { title: 'History', what: 'Past updates and rollbacks with their results.' },
  logs: { title: 'Logs', what: "The gateway's logs merged with Rigger's own." },
};

/** The frame: navigation on the left, the current area on the right. */
export function App() {
  const [area, detail] = useRoute();
  const [theme, setTheme] = useState<'light' | 'dark'>('light');
  useEffect(() => {
    api()
      .call('settings.get', {})
      .then(
        (s) => setTheme(s.rigger.theme),
        () => undefined,
      );
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  let page;
  if (area === 'gateways') page = detail ? <GatewayOverview name={detail} /> : <GatewaysPage />;
  else if (area === 'settings') page = <SettingsPage onTheme={setTheme} />;
  else if (area && LATER[area]) page = <NotBuilt {...LATER[area]} />;
  else page = <NotBuilt title="Not found" what={`There is no area called "${area}".`} />;

  return (
    <div className="frame">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Nav current={area ?? 'gateways'} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
