//! The compile errors of `#[retry]`: `tests/ui/*.rs`, each a mistake with its `.stderr` snapshot
//! (`cargo test -p persevere-ui-tests`; `TRYBUILD=overwrite` to regenerate).
