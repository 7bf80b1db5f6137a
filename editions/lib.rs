//! `#[retry]` in an edition 2015 crate: the expansion reaches `core` through the runtime, since
//! such a crate has no `::core` (only `extern crate` items at its root).

extern crate persevere;

use std::cell::Cell;

/// Fails until its second attempt.
#[persevere::retry(stop = attempts(3), wait = exponential(min = 0s, max = 1ms), sleep = |_| ())]
pub fn second_time(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    if calls.get() < 2 {
        Err("down".to_owned())
    } else {
        Ok(calls.get())
    }
}

/// A method, whose name goes through `type_name`, and a first-time success.
pub struct Client;

impl Client {
    #[persevere::retry(wait = 0s, before_sleep = log(warn))]
    pub fn ping(&self, calls: &Cell<u32>) -> Result<u32, String> {
        calls.set(calls.get() + 1);
        Ok(calls.get())
    }
}

/// Closures reading parameters, in every key that takes one: an edition 2015 closure captures a
/// whole variable, not a place through it.
#[persevere::retry(
    stop = |state| state.attempt() >= most,
    wait = |_| pause,
    retry_if = |error: &String| error.as_str() != fatal,
    after = |state| seen.set(state.attempt()),
    sleep = |_| ()
)]
pub fn reads_parameters(
    most: u32,
    pause: std::time::Duration,
    fatal: &str,
    seen: &Cell<u32>,
) -> Result<u32, String> {
    Err(format!("down after {}", seen.get()))
}

fn tries_of(most: u32) -> u32 {
    most
}

/// With `crate = path`, a parameter passed on by value in a value and a condition made by a
/// call with no arguments: their `use` lines resolve as the runtime's path does, not from this
/// crate's root.
#[persevere::retry(
    crate = persevere,
    stop = attempts(tries_of(most)),
    wait = 0s,
    retry_if = any_error(),
    sleep = |_| ()
)]
pub fn through_a_crate_path(most: u32, calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err("down".to_owned())
}

fn transient(error: &String) -> bool {
    error != "fatal"
}

const BASE: std::time::Duration = std::time::Duration::from_millis(1);

/// Bare names beside the operators (a function called, a predicate, a constant duration first in
/// a sum): their operand's `use` resolves as the runtime's path does.
#[persevere::retry(
    stop = attempts(3) | never,
    wait = BASE + random(0s, 1ms),
    retry_if = !transient | transient,
    sleep = |_| ()
)]
pub fn bare_operands(calls: &Cell<u32>) -> Result<u32, String> {
    calls.set(calls.get() + 1);
    Err("down".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_operands_in_an_edition_2015_crate() {
        let calls = Cell::new(0);
        assert!(bare_operands(&calls).is_err());
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn retries_in_an_edition_2015_crate() {
        let calls = Cell::new(0);
        assert_eq!(second_time(&calls), Ok(2));
        let calls = Cell::new(0);
        assert_eq!(Client.ping(&calls), Ok(1));
    }

    #[test]
    fn values_read_parameters_through_a_crate_path() {
        let calls = Cell::new(0);
        assert!(through_a_crate_path(3, &calls).is_err());
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn closures_read_parameters_in_an_edition_2015_crate() {
        let seen = Cell::new(0);
        let outcome = reads_parameters(3, std::time::Duration::ZERO, "fatal", &seen);
        assert_eq!((outcome, seen.get()), (Err("down after 2".to_owned()), 3));
    }
}
