import { href } from '../../routing';

const TABS = [
  { id: '', label: 'Overview' },
  { id: 'plugins', label: 'Plugins' },
  { id: 'nodes', label: 'Nodes' },
] as const;

/** The gateway page's tabs: its overview, its plugins, the nodes behind it (one route each). */
export function GatewayTabs({ name, current }: { name: string; current: string }) {
  return (
    <nav className="gateway-tabs" aria-label={`${name} sections`}>
      {TABS.map((t) => (
        <a
          key={t.id}
          href={t.id ? href('gateways', name, t.id) : href('gateways', name)}
          aria-current={t.id === current ? 'page' : undefined}
          data-testid={`gateway-tab-${t.id || 'overview'}`}
        >
          {t.label}
        </a>
      ))}
    </nav>
  );
}
