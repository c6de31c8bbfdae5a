{% load static %}/* Service worker of the care worker's app (version {{ version }}).
   The shell and its files: cache first, refreshed in the background.
   The rota: network first, the last copy when offline.
   Events are not cached: the page keeps them in its queue until sent. */
const CACHE = "visits-{{ version }}";
const SHELL = [
  "{% url 'visits:app' %}",
  "{% static 'visits/app.js' %}",
  "{% static 'visits/fields.js' %}",
  "{% static 'visits/tag.js' %}",
  "{% static 'visits/bodymap.js' %}",
  "{% static 'visits/app.css' %}",
  "{% static 'visits/icon.svg' %}",
  "{% url 'visits:manifest' %}",
];
const ROTA = "{% url 'visits:api_rota' %}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === ROTA || url.pathname === SHELL[0] || request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || networkFirst(request)));
  }
});
