//! The browser entry point; everything else is in the library (wasm32 only).

fn main() {
    #[cfg(target_arch = "wasm32")]
    web_shell::start();
}
