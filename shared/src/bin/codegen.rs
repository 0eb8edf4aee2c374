//! `codegen`: writes the native shells' types for every event, effect and view model, with
//! their bincode serialization, from the `Facet` derives (Crux's facet type generation):
//!
//! ```sh
//! cargo run -p shared --features codegen --bin codegen -- --language kotlin --out-dir OUT
//! ```
//!
//! Kotlin goes to the package `app.rounds.shared`, Swift to the Swift package
//! `SharedTypes`. `scripts/native-bindings.sh` runs it for both.

use std::path::PathBuf;

use crux_core::type_generation::facet::{Config, TypeRegistry};

const USAGE: &str = "usage: codegen --language kotlin|swift --out-dir DIR";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (language, out_dir) = args()?;
    let types = TypeRegistry::new()
        .register_app::<shared::Rounds>()?
        .build()?;
    match language.as_str() {
        "kotlin" => types.kotlin(&Config::builder("app.rounds.shared", &out_dir).build())?,
        "swift" => types.swift(&Config::builder("SharedTypes", &out_dir).build())?,
        other => return Err(format!("unknown language {other}; {USAGE}").into()),
    }
    Ok(())
}

/// `--language L --out-dir DIR`, in either order.
fn args() -> Result<(String, PathBuf), String> {
    let mut language = None;
    let mut out_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match flag.as_str() {
            "--language" => language = Some(value),
            "--out-dir" => out_dir = Some(PathBuf::from(value)),
            _ => return Err(USAGE.into()),
        }
    }
    Ok((language.ok_or(USAGE)?, out_dir.ok_or(USAGE)?))
}
