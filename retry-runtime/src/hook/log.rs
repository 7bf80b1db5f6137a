use std::fmt::{self, Display};
use std::time::Duration;

use crate::hook::{Hook, Moment};
use crate::{Name, RetryState};

/// A `tracing` level for [`log`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::{level, log, Level, Log};
///
/// assert_eq!(Level::from(tracing::Level::WARN), Level::Warn);
/// // The three spellings of one hook.
/// assert_eq!(log(Level::Warn), log(tracing::Level::WARN));
/// assert_eq!(log(Level::Warn), log(level::warn));
/// assert_eq!(log(Level::Warn), Log::at(Level::Warn));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// `TRACE`
    Trace,
    /// `DEBUG`
    Debug,
    /// `INFO`
    Info,
    /// `WARN`
    Warn,
    /// `ERROR`
    Error,
}

impl From<tracing::Level> for Level {
    fn from(level: tracing::Level) -> Self {
        match level {
            tracing::Level::TRACE => Level::Trace,
            tracing::Level::DEBUG => Level::Debug,
            tracing::Level::INFO => Level::Info,
            tracing::Level::WARN => Level::Warn,
            _ => Level::Error,
        }
    }
}

/// Logs each moment of a retried call in tenacity's words. Built by [`log`] or [`Log::at`],
/// whose pages have examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Log {
    level: Level,
}

/// A hook that writes tenacity's log line for the moment it runs at, through `tracing` (which
/// also reaches `log` users through `tracing`'s `log` feature):
///
/// - `before`: `Starting call to 'my_crate::send_msg', this is the 1st time calling it.`
/// - `after`: `Finished call to 'my_crate::send_msg' after 1.003(s), this was the 2nd time calling it.`
/// - `before_sleep`: `Retrying my_crate::send_msg in 4 seconds as it raised <error>.`
/// - `on_finish` (persevere's own, tenacity has none): `Call to 'my_crate::send_msg' ended after
///   3 attempts (succeeded), having slept 0.3 seconds.`
///
/// Every line writes seconds the same way: the shortest decimal that shows the duration to the
/// microsecond, without trailing zeros (`4`, `0.05`, `1.003`, `0.0001` for 100 µs; a duration
/// under half a microsecond is `0`).
///
/// Each event also carries the fields `function`, `attempt`, and where they apply `elapsed`,
/// `delay` and `error`.
///
/// The level is a [`Level`], a `tracing::Level`, or one of the level functions in
/// [`level`](crate::hook::level), which is how the attribute reads `log(warn)`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::{level, log, Level};
/// use persevere::Policy;
///
/// let policy = Policy::new().before(log(level::debug)).before_sleep(log(Level::Warn));
/// # let _ = policy;
/// ```
///
/// The lines, as a subscriber receives them:
///
/// ```
/// # use persevere_runtime as persevere;
/// # use std::sync::{Arc, Mutex};
/// # use tracing::field::{Field, Visit};
/// # /// A subscriber that keeps each event's level and message.
/// # #[derive(Clone, Default)]
/// # struct Lines(Arc<Mutex<Vec<String>>>);
/// # struct Message(String);
/// # impl Visit for Message {
/// #     fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
/// #         if field.name() == "message" { self.0 = format!("{value:?}") }
/// #     }
/// # }
/// # impl tracing::Subscriber for Lines {
/// #     fn enabled(&self, _: &tracing::Metadata<'_>) -> bool { true }
/// #     fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id { tracing::span::Id::from_u64(1) }
/// #     fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
/// #     fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
/// #     fn event(&self, event: &tracing::Event<'_>) {
/// #         let mut message = Message(String::new());
/// #         event.record(&mut message);
/// #         self.0.lock().unwrap().push(format!("{} {}", event.metadata().level(), message.0));
/// #     }
/// #     fn enter(&self, _: &tracing::span::Id) {}
/// #     fn exit(&self, _: &tracing::span::Id) {}
/// # }
/// use std::time::Duration;
/// use persevere::hook::{level, log};
/// use persevere::stop::attempts;
/// use persevere::wait::fixed;
/// use persevere::Policy;
///
/// let policy = Policy::new()
///     .named("inventory::reserve")
///     .stop(attempts(2))
///     .wait(fixed(Duration::from_millis(50)))
///     .before_sleep(log(level::warn))
///     .sleeper(|_| {});
/// let lines = Lines::default(); // a `tracing` subscriber that keeps each line
/// tracing::subscriber::with_default(lines.clone(), || {
///     let _ = policy.call(|| Err::<(), _>("out of stock"));
/// });
/// assert!(lines.0.lock().unwrap().contains(
///     &"WARN Retrying inventory::reserve in 0.05 seconds as it raised out of stock.".to_string()
/// ));
/// ```
pub fn log(level: impl IntoLevel) -> Log {
    Log {
        level: level.into_level(),
    }
}

/// What [`log`] takes: a [`Level`], a `tracing::Level`, or a level's name (`warn`, which in the
/// attribute is [`level::warn`]).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::{level, IntoLevel, Level};
///
/// assert_eq!(level::error.into_level(), Level::Error);
/// assert_eq!(tracing::Level::DEBUG.into_level(), Level::Debug);
/// ```
#[diagnostic::on_unimplemented(
    message = "`log` takes a level: `trace`, `debug`, `info`, `warn` or `error`",
    label = "not a level",
    note = "other loggers' names are written in these (`warning` and tenacity's `WARNING` are `warn`, `critical` and `fatal` are `error`); a `persevere::hook::Level` or a `tracing::Level` works too"
)]
pub trait IntoLevel {
    /// The level.
    fn into_level(self) -> Level;
}

impl IntoLevel for Level {
    fn into_level(self) -> Level {
        self
    }
}

impl IntoLevel for tracing::Level {
    fn into_level(self) -> Level {
        self.into()
    }
}

// A level's name in the attribute is a function (`level::warn`) making what `log` takes. Not
// recommended in errors: `log(warning)` is told what `log` takes, not that a closure would do.
#[diagnostic::do_not_recommend]
impl<F: Fn() -> L, L: IntoLevel> IntoLevel for F {
    fn into_level(self) -> Level {
        self().into_level()
    }
}

impl Log {
    /// [`log`] at a [`Level`], in a `const`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{Level, Log};
    ///
    /// const RETRIES: Log = Log::at(Level::Warn);
    /// # let _ = RETRIES;
    /// ```
    pub const fn at(level: Level) -> Log {
        Log { level }
    }

    /// The same lines, naming a retried `Ok` value by its `Debug` form, as tenacity's
    /// `before_sleep_log` does: `Retrying f in 1 seconds as it returned 3.` Without it, a line
    /// for a retried `Ok` says `as it returned a value it retries`, so that `log(..)` works for
    /// every return type; Rust cannot print a value only where its type is `Debug`.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Hook, Moment};
    /// use persevere::RetryState;
    ///
    /// let hook = log(level::warn).values();
    /// // It takes any `Ok` value that is `Debug`.
    /// hook.call(Moment::BeforeSleep, &RetryState::<u32, String>::new(1));
    /// ```
    pub const fn values(self) -> LogValues {
        LogValues { level: self.level }
    }
}

/// A level named by one of the [`level`](crate::hook::level) functions: `log(level::warn)`.
impl<F: Fn() -> Level> From<F> for Level {
    fn from(name: F) -> Level {
        name()
    }
}

/// The levels by name, for [`log`]: `log(level::warn)`, or `log(warn)` inside the attribute.
///
/// They are functions rather than constants, so that a variable of the same name in a hook's
/// closure stays a plain binding.
///
/// ```standalone_crate
/// # extern crate persevere_runtime as persevere;
/// use persevere::hook::{level, log, Level};
/// use persevere::retry;
///
/// assert_eq!(level::info(), Level::Info);
///
/// // Each moment at its own level; in the attribute, the bare names.
/// #[retry(stop = attempts(2), wait = 0s, before = log(debug), before_sleep = log(warn))]
/// fn ping() -> Result<(), &'static str> {
///     Err("unreachable")
/// }
/// assert_eq!(ping(), Err("unreachable"));
///
/// // Outside it, the functions.
/// let hook = log(level::warn);
/// # let _ = hook;
/// ```
pub mod level {
    use super::Level;

    /// `TRACE`
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Level};
    ///
    /// assert_eq!(level::trace(), Level::Trace);
    /// assert_eq!(log(level::trace), log(Level::Trace)); // `log(trace)` in the attribute
    /// ```
    pub fn trace() -> Level {
        Level::Trace
    }
    /// `DEBUG`
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Level};
    ///
    /// assert_eq!(level::debug(), Level::Debug);
    /// assert_eq!(log(level::debug), log(Level::Debug)); // `log(debug)` in the attribute
    /// ```
    pub fn debug() -> Level {
        Level::Debug
    }
    /// `INFO`
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Level};
    ///
    /// assert_eq!(level::info(), Level::Info);
    /// assert_eq!(log(level::info), log(Level::Info)); // `log(info)` in the attribute
    /// ```
    pub fn info() -> Level {
        Level::Info
    }
    /// `WARN`
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Level};
    ///
    /// assert_eq!(level::warn(), Level::Warn);
    /// assert_eq!(log(level::warn), log(Level::Warn)); // `log(warn)` in the attribute
    /// ```
    pub fn warn() -> Level {
        Level::Warn
    }
    /// `ERROR`
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::hook::{level, log, Level};
    ///
    /// assert_eq!(level::error(), Level::Error);
    /// assert_eq!(log(level::error), log(Level::Error)); // `log(error)` in the attribute
    /// ```
    pub fn error() -> Level {
        Level::Error
    }
}

/// The English ordinal of `n`: `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`, `101st`,
/// `111th`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::hook::ordinal;
///
/// assert_eq!(ordinal(1), "1st");
/// assert_eq!(ordinal(112), "112th");
/// assert_eq!(ordinal(23), "23rd");
/// ```
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Seconds as every log line prints them: the shortest decimal that shows the duration to the
/// microsecond (rounded to the nearest, half up), without trailing zeros: `4`, `0.05`, `0.0001`,
/// `1.003`, `0.000002` for 1.5 µs, and `0` below half a microsecond.
pub(crate) struct Seconds(pub(crate) Duration);

impl Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In `u128`, so rounding `Duration::MAX` up to the next second cannot overflow.
        let micros = (self.0.as_nanos() + 500) / 1_000;
        let (whole, mut fraction) = (micros / 1_000_000, micros % 1_000_000);
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let mut digits = 6;
        while fraction % 10 == 0 {
            fraction /= 10;
            digits -= 1;
        }
        write!(f, "{whole}.{fraction:0digits$}")
    }
}

/// The cause at the end of a "Retrying" line: the error, or the retried value where the hook
/// can show it.
struct Cause<'a, E>(Option<&'a E>, Option<&'a dyn fmt::Debug>);

impl<E: Display> Display for Cause<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(error), _) => write!(f, "raised {error}"),
            (None, Some(value)) => write!(f, "returned {value:?}"),
            (None, None) => f.write_str("returned a value it retries"),
        }
    }
}

/// One log line, as `log(..)` hands it to the callsites that emit it.
#[doc(hidden)]
pub struct LogEvent<'a> {
    pub level: Level,
    pub function: Name,
    pub attempt: u32,
    pub elapsed: Option<Duration>,
    pub delay: Option<Duration>,
    pub error: Option<&'a dyn Display>,
    pub message: fmt::Arguments<'a>,
}

/// Emits a [`LogEvent`] from callsites in the crate that invokes it, so the event's `tracing`
/// target is that crate's module: the `#[retry]` expansion invokes it in the annotated function's
/// module, so `RUST_LOG=my_crate=debug` shows its lines.
#[doc(hidden)]
#[macro_export]
macro_rules! __emit_log {
    ($event:expr) => {{
        let event: &$crate::hook::LogEvent<'_> = $event;
        macro_rules! at {
                ($level:ident) => {
                    $crate::__private::v1::tracing::event!(
                        target: ::core::module_path!(),
                        $crate::__private::v1::tracing::Level::$level,
                        function = %event.function,
                        attempt = event.attempt,
                        elapsed = event.elapsed.map($crate::__private::v1::tracing::field::debug),
                        delay = event.delay.map($crate::__private::v1::tracing::field::debug),
                        error = event.error.map($crate::__private::v1::tracing::field::display),
                        "{}",
                        event.message,
                    )
                };
            }
        match event.level {
            $crate::hook::Level::Trace => at!(TRACE),
            $crate::hook::Level::Debug => at!(DEBUG),
            $crate::hook::Level::Info => at!(INFO),
            $crate::hook::Level::Warn => at!(WARN),
            $crate::hook::Level::Error => at!(ERROR),
        }
    }};
}

/// Emits log lines from the annotated function's own crate: see [`__emit_log`](crate::__emit_log).
#[doc(hidden)]
pub type LogSite = fn(&LogEvent<'_>);

/// The runtime's own callsites, for a `Policy`, which has no module of its caller's.
fn emit_here(event: &LogEvent<'_>) {
    crate::__emit_log!(event)
}

impl<T, E: Display> Hook<T, E> for Log {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) {
        line(self.level, moment, state, None);
    }
}

/// [`log`]'s lines, naming a retried `Ok` value by its `Debug` form as tenacity does (`as it
/// returned 3.`). Built by [`Log::values`], whose page has an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogValues {
    level: Level,
}

impl<T: fmt::Debug, E: Display> Hook<T, E> for LogValues {
    fn call(&self, moment: Moment, state: &RetryState<'_, T, E>) {
        line(
            self.level,
            moment,
            state,
            state.value().map(|value| value as &dyn fmt::Debug),
        );
    }
}

/// Writes the line for `moment`. `value` is the retried `Ok` value, where the hook can show it.
fn line<T, E: Display>(
    level: Level,
    moment: Moment,
    state: &RetryState<'_, T, E>,
    value: Option<&dyn fmt::Debug>,
) {
    let site = state.who.site();
    let emit = site.log.unwrap_or(emit_here);
    let function = site.name;
    let attempt = state.attempt();
    let error = state.error().map(|error| error as &dyn Display);
    let event = |elapsed, delay, message| LogEvent {
        level,
        function,
        attempt,
        elapsed,
        delay,
        error,
        message,
    };
    match moment {
        Moment::Before => emit(&event(
            None,
            None,
            format_args!(
                "Starting call to '{function}', this is the {} time calling it.",
                ordinal(attempt)
            ),
        )),
        Moment::After => emit(&event(
            Some(state.elapsed()),
            None,
            format_args!(
                "Finished call to '{function}' after {}(s), this was the {} time calling it.",
                Seconds(state.elapsed()),
                ordinal(attempt)
            ),
        )),
        Moment::BeforeSleep => {
            let delay = state.upcoming_sleep().unwrap_or(Duration::ZERO);
            emit(&event(
                None,
                Some(delay),
                format_args!(
                    "Retrying {function} in {} seconds as it {}.",
                    Seconds(delay),
                    Cause(state.error(), value)
                ),
            ))
        }
        Moment::Finish => {
            let ending = state.ending().map_or("running", crate::Ending::as_str);
            // As many as the report counts: a hedged round's attempts are each one.
            let attempts = state.report().map_or(attempt, crate::Report::attempts);
            emit(&LogEvent {
                attempt: attempts,
                ..event(
                    Some(state.elapsed()),
                    None,
                    format_args!(
                        "Call to '{function}' ended after {attempts} attempt{} ({ending}), having slept {} seconds.",
                        if attempts == 1 { "" } else { "s" },
                        Seconds(state.slept()),
                    ),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(duration: Duration) -> String {
        Seconds(duration).to_string()
    }

    #[test]
    fn whole_seconds_print_no_point() {
        assert_eq!(seconds(Duration::ZERO), "0");
        assert_eq!(seconds(Duration::from_secs(1)), "1");
        assert_eq!(seconds(Duration::from_secs(4)), "4");
        assert_eq!(seconds(Duration::from_secs(3600)), "3600");
    }

    #[test]
    fn fractions_print_to_the_microsecond_without_trailing_zeros() {
        assert_eq!(seconds(Duration::from_millis(250)), "0.25");
        assert_eq!(seconds(Duration::from_millis(50)), "0.05");
        assert_eq!(seconds(Duration::from_millis(1003)), "1.003");
        assert_eq!(seconds(Duration::from_millis(6006)), "6.006");
        assert_eq!(seconds(Duration::from_millis(1)), "0.001");
        assert_eq!(seconds(Duration::from_micros(100)), "0.0001");
        assert_eq!(seconds(Duration::from_micros(10)), "0.00001");
        assert_eq!(seconds(Duration::from_micros(1)), "0.000001");
        assert_eq!(seconds(Duration::from_micros(123_456_789)), "123.456789");
        assert_eq!(seconds(Duration::new(86_400, 500_000)), "86400.0005");
    }

    #[test]
    fn nanoseconds_round_to_the_nearest_microsecond_half_up() {
        assert_eq!(seconds(Duration::from_nanos(1_500)), "0.000002");
        assert_eq!(seconds(Duration::from_nanos(1_499)), "0.000001");
        assert_eq!(seconds(Duration::from_nanos(500)), "0.000001");
        assert_eq!(seconds(Duration::from_nanos(499)), "0");
        assert_eq!(seconds(Duration::from_nanos(1)), "0");
        assert_eq!(seconds(Duration::new(1, 250_400)), "1.00025");
        // Rounding carries into the whole seconds.
        assert_eq!(seconds(Duration::new(1, 999_999_500)), "2");
        assert_eq!(seconds(Duration::new(59, 999_999_600)), "60");
    }

    #[test]
    fn the_longest_duration_prints_without_overflow() {
        // `u64::MAX` seconds and 999 999 999 ns round up past `u64::MAX`.
        assert_eq!(seconds(Duration::MAX), "18446744073709551616");
        assert_eq!(
            seconds(Duration::new(u64::MAX, 123_456_000)),
            "18446744073709551615.123456"
        );
    }
}
