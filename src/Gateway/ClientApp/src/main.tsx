import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { applyThemeChoice, loadThemeChoice } from './theme/theme';
import './app.css';

// Before the first render, so the sign-in page already wears the chosen theme.
applyThemeChoice(loadThemeChoice());

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element.');
}
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
