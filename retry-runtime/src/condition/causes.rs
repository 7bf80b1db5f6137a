//! An error and its causes, as the conditions that look through them walk them.

use std::error::Error;
use std::io;

/// `error`, then each error that caused it: its `source()` chain, where an `io::Error` that
/// holds an error (`io::Error::other(e)`, `io::Error::new(kind, e)`) leads to `e` itself, whose
/// own `source()` is all the `io::Error`'s `source()` gives.
///
/// ```text
/// io::Error::other(Wrapped(reset))  ->  Wrapped(reset)  ->  reset
/// ```
pub(crate) fn causes<'a>(
    error: &'a (dyn Error + 'static),
) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(error), |&link: &&'a (dyn Error + 'static)| match link
        .downcast_ref::<io::Error>()
        .and_then(io::Error::get_ref)
    {
        Some(held) => Some(held as &(dyn Error + 'static)),
        None => link.source(),
    })
}
