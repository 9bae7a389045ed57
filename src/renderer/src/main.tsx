import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickClient } from './api/pick-client';
import { startStores } from './stores/start';
import { wireTheme } from './stores/wire-events';
import './styles/base.css';
import './styles/frame.css';
import './styles/controls.css';
import './styles/panels.css';
import './styles/gateway.css';
import './styles/images.css';
import './styles/logs.css';
import './styles/recovery.css';
import './styles/console.css';
import './styles/backups.css';
import './styles/toasts.css';

startStores(pickClient());
wireTheme(document.documentElement);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
