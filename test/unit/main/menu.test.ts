import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const { Menu } = (await import('electron')) as unknown as FakeElectron;
const { installMenu, menuTemplate } = await import('../../../src/main/menu');

/** Every role anywhere in a menu template. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [
    ...(i.role ? [i.role] : []),
    ...(Array.isArray(i.submenu) ? roles(i.submenu) : []),
  ]);
}

describe('the application menu (fake electron)', () => {
  it('offers developer tools only in an unpackaged build', () => {
    expect(roles(menuTemplate({ mac: false, packaged: true }))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ mac: false, packaged: false }))).toContain('toggleDevTools');
  });

  it('has quit, edit and zoom; the app menu on macOS only', () => {
    const linux = roles(menuTemplate({ mac: false, packaged: true }));
    expect(linux).toEqual(expect.arrayContaining(['quit', 'editMenu', 'zoomIn', 'resetZoom']));
    expect(linux).not.toContain('appMenu');
    expect(roles(menuTemplate({ mac: true, packaged: true }))).toContain('appMenu');
  });

  it('installs itself as the application menu', () => {
    installMenu({ mac: false, packaged: true });
    expect(Menu.installed).toEqual({ template: menuTemplate({ mac: false, packaged: true }) });
  });
});
