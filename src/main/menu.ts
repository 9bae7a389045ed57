import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: what a technician needs (quit, edit, zoom, full screen) and no more.
 * Developer tools are reachable only in an unpackaged build; Electron's default menu would
 * offer them everywhere.
 */
export function menuTemplate(options: {
  mac: boolean;
  packaged: boolean;
}): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!options.packaged) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  return [
    ...(options.mac ? [{ role: 'appMenu' } as const] : []),
    { label: '&File', submenu: [options.mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
}

/** Install the application menu. */
export function installMenu(options: { mac: boolean; packaged: boolean }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)));
}
