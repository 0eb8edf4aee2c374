// Starts the wasm app. A file rather than an inline script, so that the page's
// Content-Security-Policy can allow scripts from 'self' only. It lives in pkg-<hash>/ with the
// module it starts, so relative URLs always name the same build.
import init from "./web_shell.js";

init({ module_or_path: new URL("web_shell_bg.wasm", import.meta.url) });

// The service worker (/sw.js, the whole site its scope) keeps the shell for opening with no
// network; registered once the page has loaded, so that it does not compete with the wasm.
// Without it (an old browser, a private window that refuses it) the app works online only.
if ("serviceWorker" in navigator) {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((e) => {
      console.warn("Rounds will not open offline: the service worker did not register.", e);
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
