// The dashboard's service worker: keeps the app shell (the page, its module, the wasm
// and the stylesheet) so that a reception's on-site page opens again after a reload
// without signal. Network first: online, everything behaves as without it (each file
// revalidated with its ETag); offline, the last copy is used. The API is never cached:
// appeals typed offline wait in IndexedDB, not here.
const CACHE = 'baqylau-shell-v3';
const SHELL = ['/', '/boot.js', '/baqylau_frontend.js', '/baqylau_frontend_bg.wasm', '/baqylau_sign_in.js', '/baqylau_sign_in_bg.wasm', '/style.css', '/deputies.css', '/receptions.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/open311/')) return;
  const navigation = request.mode === 'navigate';
  // Every client-side route is the same page: it is kept once, as '/'.
  const key = navigation ? '/' : url.pathname;
  if (!navigation && !SHELL.includes(key)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return response;
      })
      .catch(() => caches.match(key).then((hit) => hit || Response.error())),
  );
});
