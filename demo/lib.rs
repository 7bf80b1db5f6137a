//! persevere's main demo: `cargo run --example webhook` from the repository's root (see README's
//! "Two commands"). Its test is `examples/tests/demos.rs`, with the other demos'.
