import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ANNOUNCER_ID } from './announce.js';
import { App } from './app.js';
import { SessionProvider } from './session.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter basename="/app">
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
    <div id={ANNOUNCER_ID} className="visually-hidden" aria-live="polite" aria-atomic="true" />
  </StrictMode>,
);
