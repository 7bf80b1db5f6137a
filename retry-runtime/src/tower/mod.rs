//! The same policy where the HTTP stack lives (the `tower` feature): what a policy sees of each
//! attempt of a tower service of `http::Request<B>`, [`Failure`].

mod failure;

pub use failure::{Failure, Transient, transient};
