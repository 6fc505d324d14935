// The React 19 compatibility patch for antd 5 must load before antd itself.
import '@ant-design/v5-patch-for-react-19';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadLocale, savedLocale } from './i18n';
import { App } from './App';
import './global.css';

// the saved language (zh-TW, en) loads before the first paint, so the page does not flip
void loadLocale(savedLocale()).then((locale) => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App locale={locale} />
    </StrictMode>,
  );
});
