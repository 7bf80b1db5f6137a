//! The operators the strategies do not have (`+` on stops and conditions, `|` and `&` on waits)
//! are implemented for operands of a trait no type implements, so that their misuse is told what
//! to write (`StopsDoNotAdd`, `WaitsDoNotCombine`, `ConditionsDoNotAdd`).

/// Implemented by no type, and by none outside the crate.
pub trait Unimplemented {}
