const SELECTOR = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/** The elements inside `box` that Tab can reach, in order. */
export function focusables(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(SELECTOR)].filter(
    (el) => !el.hasAttribute('disabled') && el.getAttribute('aria-hidden') !== 'true',
  );
}

let openDialogs = 0;

/** While a modal is open, the page behind it is inert: no focus, no clicks, hidden from readers. */
export function holdBackground(): () => void {
  const root = document.getElementById('root');
  openDialogs++;
  root?.setAttribute('inert', '');
  return () => {
    openDialogs = Math.max(0, openDialogs - 1);
    if (!openDialogs) root?.removeAttribute('inert');
  };
}
