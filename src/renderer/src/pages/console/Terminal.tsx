import { FitAddon } from '@xterm/addon-fit';
import { Terminal as XTerm } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { onConsoleData, useConsole } from '../../stores/console';

/** Where a terminal's text comes from: subscribe a writer, get the unsubscribe. */
export type TerminalSource = (write: (data: string) => void) => () => void;

/**
 * A real terminal (xterm.js) on the open console: live output, typing, 10,000 lines of
 * scrollback. While an action drives the console, typing is held back (read-only). Given a
 * `source` instead, it shows that output only (a plugin operation's), and takes no typing.
 */
export function Terminal({
  readOnly,
  source,
  label = 'Serial console terminal',
}: {
  readOnly: boolean;
  source?: TerminalSource;
  label?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const readOnlyRef = useRef(readOnly);
  useEffect(() => {
    readOnlyRef.current = readOnly;
  }, [readOnly]);
  useEffect(() => {
    const term = new XTerm({
      scrollback: 10_000,
      fontSize: 16,
      convertEol: false,
      cursorBlink: true,
      theme: { background: '#000000', foreground: '#f2f2f2' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    fit.fit();
    const offData = (source ?? onConsoleData)((d) => term.write(d));
    const typing = term.onData((d) => {
      if (!source && !readOnlyRef.current) useConsole.getState().type(d);
    });
    const onResize = () => fit.fit();
    window.addEventListener('resize', onResize);
    if (!source) term.focus();
    return () => {
      window.removeEventListener('resize', onResize);
      typing.dispose();
      offData();
      term.dispose();
    };
  }, [source]);
  return <div ref={box} className="terminal" data-testid="terminal" aria-label={label} />;
}
