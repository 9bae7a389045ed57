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
  {
    id: 'backup',
    label: 'Backup',
    later: "Back up a gateway's data and configuration to this laptop, and see past backups.",
  },
  { id: 'fleet', label: 'Fleet' },
  { id: 'console', label: 'Console' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'history', label: 'History' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

/** The area with this id, if there is one. */
export const areaOf = (id: string | undefined): Area | undefined => AREAS.find((a) => a.id === id);
