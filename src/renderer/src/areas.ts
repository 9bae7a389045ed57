/** An area of the app in the left navigation; `later` says what an unbuilt area will do. */
export interface Area {
  id: string;
  label: string;
  later?: string;
}

/** The app's areas, in navigation order. */
export const AREAS: readonly Area[] = [
  { id: 'gateways', label: 'Gateways' },
  { id: 'updates', label: 'Updates' },
  { id: 'images', label: 'Images' },
  { id: 'recovery', label: 'Recovery' },
  { id: 'backup', label: 'Backups' },
  { id: 'fleet', label: 'Fleet' },
  { id: 'console', label: 'Console' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'history', label: 'History' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

/** The area with this id, if there is one. */
export const areaOf = (id: string | undefined): Area | undefined => AREAS.find((a) => a.id === id);

/**
 * The areas in the navigation: built ones only. An unbuilt area keeps its page (an old link
 * says what it will do) but is no dead end in the navigation.
 */
export const NAV_AREAS: readonly Area[] = AREAS.filter((a) => !a.later);
