//! The `#[retry]` attribute of [persevere](https://docs.rs/persevere). Depend on `persevere`, which
//! re-exports it with the runtime it expands to.
//!
//! The pipeline: `args` parses the attribute into spanned entries, `config` validates them and
//! lowers strategy names and duration literals (`strategy`, `duration`), `function` checks the
//! item, and `expand` writes the retry loop. On any error the function is emitted unchanged
//! beside the errors, so its callers still compile.

mod args;
mod config;
mod duration;
mod errors;
mod expand;
mod function;
mod respan;
mod self_alias;
mod strategy;
mod suggest;

use proc_macro::TokenStream;

/// Retries a function whose attempts can fail for a while and then work.
///
/// ```
/// use persevere::retry;
///
/// #[derive(Debug)]
/// struct SendError { transient: bool }
///
/// fn is_transient(error: &SendError) -> bool {
///     error.transient
/// }
///
/// #[retry(stop = attempts(4), wait = exponential(min = 4s, max = 10s), retry_if = is_transient)]
/// async fn send_message(text: &str) -> Result<usize, SendError> {
///     # let _ = text;
///     Ok(text.len())
/// }
/// ```
///
/// # Keys
///
/// | key | takes | default |
/// |---|---|---|
/// | `stop` | a stop strategy: `attempts(n)`, `elapsed(d)`, `deadline(d)`, `never`, a closure over the state, `a \| b`, `a & b` | `attempts(3)` |
/// | `wait` | a wait strategy: `fixed(d)`, `exponential(..)`, `random(min, max)`, `chain(..)`, `a + b`, a closure, … | `exponential(multiplier = 100ms, max = 10s)` |
/// | `retry_if` | a condition: a path or closure taking `&E`, or `on_error(..)`, `error_type::<T>()`, `message_contains(..)`, combined with `\|`, `&`, `!` | every `Err` |
/// | `retry_if_ok` | a path or closure taking `&T`: true retries the `Ok` value | none |
/// | `before`, `after`, `before_sleep` | a hook: a path or closure taking the retry state, or `log(level)` | none |
/// | `on_give_up` | a closure `(last outcome, &state) -> Result<T, E>` | return the last outcome |
/// | `sleep` | `Fn(Duration)` (sync) or `Fn(Duration) -> impl Future` (async) | `std::thread::sleep` / tokio |
/// | `clone(a, b)` | by-value arguments (or `self`) to clone before each attempt | borrow them |
/// | `attempt = name` | a name for the body to read its `persevere::Attempt` by (`name.number()`, `name.elapsed()`) | not bound |
/// | `crate` | the path to `persevere` if it is renamed or re-exported | `::persevere` |
///
/// Values are Rust expressions, evaluated inside the function on each call, so they may use the
/// arguments and `self`. Inside them the runtime's strategy names are in scope, named arguments
/// configure a strategy (`exponential(min = 4s, max = 10s)`), and duration literals (`250ms`, `4s`,
/// `1.5s`, `2m`, `1h`) are `Duration`s. The stop and wait strategies are built only once an attempt
/// fails, so a call that succeeds first time does no more than the bare function.
#[proc_macro_attribute]
pub fn retry(args: TokenStream, item: TokenStream) -> TokenStream {
    retry_impl(args.into(), item.into()).into()
}

fn retry_impl(
    args: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let function = match function::parse(item.clone()) {
        Ok(function) => function,
        Err(error) => return with_errors(item, error),
    };
    let mut errors = errors::Errors::default();
    let entries = args::parse(args, &mut errors);
    let config = config::validate(entries, &mut errors);
    function::check(&function, &config.clones, &mut errors);
    match errors.finish() {
        Ok(()) => expand::expand(function, &config),
        Err(error) => with_errors(item, error),
    }
}

/// The item as written, so its callers still compile, beside the errors.
fn with_errors(item: proc_macro2::TokenStream, error: syn::Error) -> proc_macro2::TokenStream {
    let errors = error.to_compile_error();
    quote::quote!(#errors #item)
}
