//! Hedging: when an attempt of an async call has not finished after a delay, another starts
//! beside it, up to a maximum in flight, and the first outcome the condition accepts wins.
//!
//! Hedging trades extra requests for a shorter tail: a call that would wait on one slow request
//! (a cold cache, a long garbage-collection pause, an overloaded replica) gets the answer of
//! whichever copy finishes first. Set it with [`Policy::hedge`](crate::Policy::hedge) or
//! `#[retry(hedge = ...)]`:
//!
//! ```
//! # use persevere_runtime as persevere;
//! use std::time::Duration;
//! use persevere::{Policy, hedge::after};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let policy = Policy::new().hedge(after(Duration::from_millis(50)).max_in_flight(3));
//! let answer: Result<u32, std::io::Error> = policy.call_async(|| async { Ok(7) }).await;
//! assert_eq!(answer.unwrap(), 7);
//! # }
//! ```
//!
//! **Hedging runs the operation several times at once.** Setting it is your declaration that the
//! operation is safe to send twice, and to send twice *concurrently*: a read, or a write made
//! idempotent by a key. The attribute refuses it on a function that takes `&mut self` or a `&mut`
//! argument, since two attempts would change the same value at once.
//!
//! How a hedged call runs:
//!
//! - Each retry round starts one attempt. After [`delay`](Hedge::delay) without an outcome,
//!   another starts beside it, and so on until [`max_in_flight`](Hedge::max_in_flight) are
//!   running; a round never starts more than that many.
//! - The first outcome the condition does not retry (a success, or an error it would not retry)
//!   wins: the call settles it and drops the attempts still running, which cancels them.
//! - A retryable failure of one attempt does not end the round while another is in flight; the
//!   round fails only when all its attempts have failed, and then the call settles the last
//!   failure as it settles any attempt (wait, stop, `before_sleep`, sleep, next round).
//! - Each hedge spends a retry from the [retry budget](crate::budget::RetryBudget) when there is
//!   one: an empty budget (an outage) starts no hedge.
//! - Each hedge runs under the time limits: its own `timeout`, and what is left of
//!   `total_timeout` when it starts; none starts past the total.
//! - The hedge delay is a timer on the sleeper's clock, made with
//!   [`AsyncSleeper::time_limit`](crate::sleep::AsyncSleeper::time_limit), as a time limit is:
//!   tokio's paused clock drives it, and a sleeper whose clock does not run while an attempt does
//!   ([`RecordingSleeper`](crate::sleep::RecordingSleeper)) never hedges.
//! - The [`Report`](crate::Report) counts every attempt started, hedges included, in
//!   [`attempts`](crate::Report::attempts), and the hedges alone in
//!   [`hedges`](crate::Report::hedges); the metric `persevere_hedges_total` counts hedges.
//!   The stop strategy counts rounds: `attempts(3)` makes at most three rounds.
//! - A round is one attempt to [`RetryState::attempt`](crate::RetryState::attempt) and the
//!   hooks too: `before` runs once before it and `after` once when it fails, with its last
//!   failure. A circuit breaker counts every failed attempt, a hedge's too: each was a request
//!   to the upstream.
//!
//! The attempts of a round run concurrently in the calling task: the call polls them itself, and
//! spawns nothing. A hedged call allocates (its state, and each attempt's future, are boxed);
//! a call without hedging runs as before and allocates nothing for it.
//!
//! Hedging is async only: a sync function cannot run its body twice at once without threads.

mod round;
mod run;

pub(crate) use run::run;

use std::time::Duration;

/// The most attempts a round may have in flight at once.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hedge::{after, MAX_IN_FLIGHT};
///
/// // Asking for more gives this many.
/// let widest = after(Duration::from_millis(50)).max_in_flight(MAX_IN_FLIGHT);
/// assert_eq!(widest.max_in_flight(u8::MAX), widest);
/// ```
pub const MAX_IN_FLIGHT: u8 = 8;

/// When to start another attempt beside a slow one, and how many may run at once. Make one with
/// [`after`].
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hedge::{after, MAX_IN_FLIGHT};
///
/// let hedge = after(Duration::from_millis(20));
/// assert_eq!((hedge.delay(), hedge.most_in_flight()), (Duration::from_millis(20), 2));
/// assert_eq!(hedge.max_in_flight(50).most_in_flight(), MAX_IN_FLIGHT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hedge {
    delay: Duration,
    max_in_flight: u8,
}

/// Hedging that starts another attempt each time `delay` passes without an outcome, with at most
/// two in flight (the first and one hedge); raise it with [`Hedge::max_in_flight`].
///
/// In the attribute, `hedge = 50ms` means `hedge = after(50ms)`.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Duration;
/// use persevere::hedge::after;
///
/// let hedge = after(Duration::from_millis(50));
/// assert_eq!(hedge.delay(), Duration::from_millis(50));
/// assert_eq!(hedge.most_in_flight(), 2);
/// ```
pub const fn after(delay: Duration) -> Hedge {
    Hedge {
        delay,
        max_in_flight: 2,
    }
}

impl Hedge {
    /// At most `max` attempts in flight at once, the first included: clamped to
    /// `1..=`[`MAX_IN_FLIGHT`] (1 turns hedging off).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hedge::after;
    ///
    /// let hedge = after(Duration::from_millis(50));
    /// assert_eq!(hedge.max_in_flight(3).most_in_flight(), 3);
    /// assert_eq!(hedge.max_in_flight(0).most_in_flight(), 1); // no hedging
    /// ```
    pub const fn max_in_flight(mut self, max: u8) -> Self {
        self.max_in_flight = if max == 0 {
            1
        } else if max > MAX_IN_FLIGHT {
            MAX_IN_FLIGHT
        } else {
            max
        };
        self
    }

    /// The time an attempt may run before another starts beside it.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hedge::after;
    ///
    /// assert_eq!(after(Duration::from_millis(80)).delay(), Duration::from_millis(80));
    /// ```
    pub const fn delay(&self) -> Duration {
        self.delay
    }

    /// The most attempts in flight at once.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Duration;
    /// use persevere::hedge::{after, MAX_IN_FLIGHT};
    ///
    /// let hedge = after(Duration::from_millis(80));
    /// assert_eq!(hedge.most_in_flight(), 2);
    /// assert_eq!(hedge.max_in_flight(100).most_in_flight(), MAX_IN_FLIGHT);
    /// ```
    pub const fn most_in_flight(&self) -> u8 {
        self.max_in_flight
    }
}

/// A sync call of a hedged policy makes one attempt at a time: said once per call, since a
/// policy shared by sync and async code is legitimate but easy to misread.
#[cold]
#[inline(never)]
pub(crate) fn not_in_sync_calls(function: crate::Name) {
    tracing::debug!(
        function = %function,
        "persevere: {function} is a sync call of a hedged policy: it does not hedge (a blocking attempt cannot run beside another); use `call_async` to hedge",
    );
}

impl From<Duration> for Hedge {
    /// A delay alone: [`after`] it.
    fn from(delay: Duration) -> Self {
        after(delay)
    }
}
