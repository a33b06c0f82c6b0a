// First, before any module builds a zod schema (see the file).
import './configure-zod';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../widget/styles.css';
import './portal.css';
import { PortalPage } from './portal-page';

const queryClient = new QueryClient();
const root = document.getElementById('root');
if (!root) throw new Error('The demo page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <PortalPage />
    </QueryClientProvider>
  </StrictMode>,
);
