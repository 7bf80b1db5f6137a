//! The process-wide default for nested calls (`nested::set_default`), in a test binary of its
//! own: it reaches every call in the process.

use std::cell::Cell;

use persevere::nested::{self, Nested};
use persevere::stop::attempts;
use persevere::wait::{fixed, none};
use persevere::{Ending, Policy, retry};

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn inner(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(0ms), nested = retry)]
fn inner_that_retries(sent: &Cell<u32>) -> Result<(), &'static str> {
    sent.set(sent.get() + 1);
    Err("down")
}

#[retry(stop = attempts(3), wait = fixed(0ms))]
fn outer(sent: &Cell<u32>, choosing: bool) -> Result<(), &'static str> {
    if choosing {
        inner_that_retries(sent)
    } else {
        inner(sent)
    }
}

#[test]
fn the_default_reaches_calls_that_do_not_choose_and_only_those() {
    assert_eq!(nested::default(), Nested::Retry);
    nested::set_default(Nested::Once);

    let sent = Cell::new(0);
    assert_eq!(outer(&sent, false), Err("down"));
    assert_eq!(
        sent.get(),
        3 + 1 + 1,
        "the attribute without `nested` follows the default"
    );

    let sent = Cell::new(0);
    assert_eq!(outer(&sent, true), Err("down"));
    assert_eq!(sent.get(), 3 * 3, "`nested = retry` keeps retrying");

    let inner = Policy::new().stop(attempts(3)).wait(none());
    let chosen = Policy::new()
        .stop(attempts(3))
        .wait(none())
        .nested(Nested::Retry);
    let mut endings = Vec::new();
    let _ = Policy::new().stop(attempts(2)).wait(none()).call(|| {
        let (_, report) = inner.call_reported(|| Err::<(), _>("down"));
        endings.push(report.ending());
        let (outcome, report) = chosen.call_reported(|| Err::<(), _>("down"));
        endings.push(report.ending());
        outcome
    });
    assert_eq!(
        endings,
        [
            Ending::Attempts,
            Ending::Attempts,
            Ending::Nested,
            Ending::Attempts
        ]
    );

    nested::set_default(Nested::Retry);
    let sent = Cell::new(0);
    assert_eq!(outer(&sent, false), Err("down"));
    assert_eq!(
        sent.get(),
        3 * 3,
        "replacing the default reaches the next calls"
    );
}
