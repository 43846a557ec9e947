import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The base stylesheet first: screens' own sheets (imported by their components) build on it.
import './styles.css';
import { App } from './App';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
