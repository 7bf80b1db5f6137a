//! persevere's runnable demos, each against a real server on loopback: `cargo run --example NAME`
//! from the repository's root (see README's table). `tests/` runs each demo's logic with sleeps
//! skipped and asserts what its server saw.
