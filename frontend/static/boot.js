// Starts the dashboard. A file of its own rather than an inline script, so that the
// Content-Security-Policy can allow scripts from this origin only ('self'), with no
// inline code at all (README, "The dashboard").
//
// A signed-out person opening /login needs the sign-in form alone: its bundle is a
// fraction of the dashboard's, so the form is usable within seconds over 3G. Everyone
// else, and the same person once signed in (the page is then loaded again), gets the
// whole dashboard. The session is the one `session.rs` keeps in sessionStorage.
const signIn = location.pathname === '/login' && sessionStorage.getItem('baqylau.session') === null;
const name = signIn ? 'baqylau_sign_in' : 'baqylau_frontend';
// The wasm is asked for at once, beside its module, rather than after it: on a 3G link
// each round trip costs 150 ms or more.
const wasm = fetch(`/${name}_bg.wasm`);

import(`/${name}.js`)
  .then(({ default: init }) => init({ module_or_path: wasm }))
  .then(() => {
    if (signIn) {
      // While the person types, the dashboard comes into the browser's cache.
      for (const file of ['/baqylau_frontend.js', '/baqylau_frontend_bg.wasm']) {
        const link = document.createElement('link');
        link.rel = 'prefetch';
        link.href = file;
        document.head.appendChild(link);
      }
    }
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
