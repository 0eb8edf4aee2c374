// The service worker: the shell opens with no network after one visit.
//
// scripts/build-web.sh writes dist/sw.js as `const BUILD = {version, files};` followed by this
// file: `files` are the shell's files of that build (index.html, the hashed pkg-<hash>/ files,
// the manifest and icons), `version` a hash of them all. A new build is a new sw.js, so the
// browser installs the new worker at its next online start; the worker precaches its build
// into a cache of its own name and, once active, deletes the caches of older builds.
//
// - API requests (/v1/...) never reach a cache: the worker leaves them to the network, so
//   answers with personal data are never stored here, and offline they fail as before.
// - Navigations: the network first (a new build's index.html is used at once when online),
//   falling back to the cached index.html when the network fails or takes too long.
// - The shell's other files: the cache first, else the network (a new index.html names new
//   pkg-<hash>/ files, which come from the network until the new worker has them).
//
// The worker touches nothing but its own caches: the device's data (outbox, replica, session)
// lives in the page's storage, which an update leaves alone.

/* global BUILD */
const PREFIX = "rounds-shell-";
const CACHE = PREFIX + BUILD.version;
/** How long a navigation waits for the network before the cached index.html answers. */
const NAVIGATION_TIMEOUT_MS = 3000;
const INDEX = "/index.html";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Revalidated, so that a stale HTTP cache cannot put another build's index.html into
    // this build's cache; the hashed files cannot be stale.
    await cache.addAll(BUILD.files.map((f) =>
      new Request(f, { cache: f.startsWith("/pkg-") ? "default" : "no-cache" })));
    // Nothing in a running page needs the old worker: the page has loaded its files.
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // Map tiles and anything else from elsewhere: not ours to keep.
  if (url.origin !== self.location.origin) return;
  // The API: network only, never cached.
  if (url.pathname === "/v1" || url.pathname.startsWith("/v1/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request, url));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

async function navigate(request, url) {
  const isApp = url.pathname === "/" || url.pathname === INDEX;
  const cached = () => caches.open(CACHE).then((c) => c.match(isApp ? INDEX : request, { ignoreVary: true }));
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error("the network is too slow")), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([fetch(request), timeout]);
    // A proxy's error page when the server is down is no better than no network.
    if (response.status < 500) return response;
    return (await cached()) ?? response;
  } catch (error) {
    const hit = await cached();
    if (hit) return hit;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  // The server varies on Accept-Encoding, which a worker's requests do not show: the cached
  // body is decoded already, whatever the encoding was.
  const hit = await cache.match(request, { ignoreVary: true });
  return hit ?? fetch(request);
}
