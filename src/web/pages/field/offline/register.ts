// The field page's service worker (built by vite-plugin-pwa from vite.config.ts): it keeps the app shell and this
// page's chunks, so a reload without a network still opens /field, and the last answers of /api/me and the day's
// visits (network first, the stored answer when there is no network). Its scope is /field only: the rest of the
// console and the portal never run through it.
export function registerFieldWorker(onFirstControl: () => void): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  // The first visit: the worker takes the page over once installed (clientsClaim); only then do the page's reads pass
  // through it and get stored, so the page reads them once more at that moment.
  if (!navigator.serviceWorker.controller) navigator.serviceWorker.addEventListener('controllerchange', onFirstControl, { once: true });
  navigator.serviceWorker.register('/sw.js', { scope: '/field' }).catch(() => {
    // No worker (private mode, an old browser): the page works online and still queues while offline.
  });
}
