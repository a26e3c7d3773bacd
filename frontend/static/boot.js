// Starts the dashboard. A file of its own rather than an inline script, so that the
// Content-Security-Policy can allow scripts from this origin only ('self'), with no
// inline code at all (README, "The dashboard").
import init from '/baqylau_frontend.js';

init().then(() => {
  // The service worker keeps the app shell for field work without signal. Only once
  // the dashboard runs: its first copies must not compete with the first load.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch((err) => console.warn('service worker:', err));
  }
}, (err) => {
  console.error(err);
  document.getElementById('boot').textContent =
    'Бақылау: the dashboard could not start (' + err + ')';
});
