//! Times `generate(1)` (the default size): `cargo run --release -p demo --example time_generate`.

fn main() {
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let demo = demo::generate(1);
        #[expect(clippy::print_stdout, reason = "a timing tool prints its result")]
        {
            println!(
                "generate(1): {} records in {:?}",
                demo.records.len(),
                t.elapsed()
            );
        }
    }
}
