import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n.js';
import './shell/portal.css';
import { App } from './App.js';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
