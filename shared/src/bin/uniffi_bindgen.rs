//! `uniffi-bindgen`: writes the native shells' bindings to the bridge (`shared::ffi`) from the
//! built library, in library mode:
//!
//! ```sh
//! cargo build -p shared --features uniffi --lib
//! cargo run -p shared --features bindgen --bin uniffi-bindgen -- \
//!     generate --library target/debug/libshared.so --language kotlin --out-dir OUT
//! ```
//!
//! Build the library first: building this binary does not refresh the `.so`, and the
//! bindings are read from the library's metadata. `scripts/native-bindings.sh` does both.

fn main() {
    uniffi::uniffi_bindgen_main();
}
