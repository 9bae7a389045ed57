import type { ConsoleSessionInfo } from '../../../../shared/serial';

/** What each console state means for the technician, and what can be done from it. */
export const STATE_HELP: Record<ConsoleSessionInfo['state'], { title: string; what: string }> = {
  autoboot: {
    title: 'U-Boot is counting down to boot',
    what: 'Stop autoboot to get the U-Boot prompt, where the slot can be switched back.',
  },
  uboot: {
    title: 'At the U-Boot prompt',
    what: 'Print the environment to see which slot boots, switch to the other slot, or reset.',
  },
  kernel: {
    title: 'Linux is starting',
    what: 'Wait for the login prompt, or reset and stop autoboot to reach U-Boot.',
  },
  login: {
    title: 'Linux login prompt',
    what: 'Linux is up on the console: log in here in the terminal. If its network works, SSH is faster.',
  },
  shell: {
    title: 'At a Linux shell',
    what: 'Linux answers on the console: use the terminal as a shell.',
  },
  silent: {
    title: 'Nothing arrives',
    what: 'Check the cable (TX/RX crossed, GND connected) and that the gateway has power, then listen again.',
  },
  garbled: {
    title: 'Garbled text',
    what: 'The baud rate is probably wrong: 115200 is usual; try 57600, 38400 or 9600.',
  },
  unknown: {
    title: 'Not recognised yet',
    what: 'Look at the terminal; listen again, or press Enter in the terminal.',
  },
};
