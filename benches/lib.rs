//! persevere's benchmarks: `cargo bench --manifest-path benches/Cargo.toml --bench happy_path` compares a
//! direct call, a hand-written retry loop, `#[retry]` and backon in one run;
//! `cargo bench --manifest-path benches/Cargo.toml --bench future_sizes` prints the size of each one's future.
