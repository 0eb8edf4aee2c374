// Starts the wasm app. A file rather than an inline script, so that the page's
// Content-Security-Policy can allow scripts from 'self' only. It lives in pkg-<hash>/ with the
// module it starts, so relative URLs always name the same build.
import init from "./web_shell.js";

init({ module_or_path: new URL("web_shell_bg.wasm", import.meta.url) });
