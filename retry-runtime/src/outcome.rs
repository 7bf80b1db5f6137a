//! What a retried function may return.

/// Implemented for `Result<T, E>` and nothing else: `#[retry]` needs a function that can fail.
///
/// Type aliases such as `std::io::Result<T>` or `anyhow::Result<T>` are `Result`s and qualify.
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use persevere::retry;
///
/// #[retry(stop = attempts(2), wait = 0s)]
/// fn read_config() -> std::io::Result<String> {
///     std::fs::read_to_string("/no/such/dir/app.toml")
/// }
///
/// assert_eq!(read_config().unwrap_err().kind(), std::io::ErrorKind::NotFound);
/// ```
///
/// A function that cannot fail has nothing to retry:
///
/// ```compile_fail,standalone_crate
/// # extern crate persevere_runtime as persevere;
/// #[persevere::retry]
/// fn answer() -> u32 {
///     42
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`#[retry]` needs a function that returns a `Result`, not `{Self}`",
    label = "this is not a `Result`",
    note = "only a failed attempt can be retried: return `Result<T, E>` (or an alias such as `std::io::Result<T>`)",
    note = "a function returning a future, boxed or not, cannot be retried as written: write it as an `async fn` returning the `Result`"
)]
pub trait Outcome: Sized {
    /// The success type.
    type Ok;
    /// The error type.
    type Err;
    /// Views the outcome as a plain `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;
    /// Views the outcome by reference.
    fn as_result(&self) -> &Result<Self::Ok, Self::Err>;
    /// Rebuilds the outcome from a plain `Result`.
    fn from_result(result: Result<Self::Ok, Self::Err>) -> Self;
}

impl<T, E> Outcome for Result<T, E> {
    type Ok = T;
    type Err = E;

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn into_result(self) -> Result<T, E> {
        self
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn as_result(&self) -> &Result<T, E> {
        self
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    fn from_result(result: Result<T, E>) -> Self {
        result
    }
}
