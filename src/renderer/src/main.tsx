import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickClient } from './api/pick-client';
import { setClient } from './stores/client';
import { useGateways } from './stores/gateways';
import { wireEvents } from './stores/wire-events';
import './styles.css';

const client = pickClient();
setClient(client);
wireEvents(client);
void useGateways.getState().load();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
