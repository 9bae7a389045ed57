import type { ReactNode } from 'react';
import { href } from '../../routing';
import { GatewayTabs } from './GatewayTabs';

/** A tab of the gateway page other than its overview: crumbs, title, tabs, then the tab. */
export function GatewaySection({
  name,
  tab,
  title,
  children,
}: {
  name: string;
  tab: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby="page-title">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={href('gateways')}>Gateways</a> <span aria-hidden="true">›</span>{' '}
        <a href={href('gateways', name)}>{name}</a> <span aria-hidden="true">›</span> {title}
      </nav>
      <h1 id="page-title" tabIndex={-1}>
        {name}: {title}
      </h1>
      <GatewayTabs name={name} current={tab} />
      {children}
    </section>
  );
}
