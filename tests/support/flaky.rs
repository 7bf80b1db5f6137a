//! The failing call the corpus tests retry: an error type, a call that fails a set number of
//! times, and a paused-clock runtime. Shared by `corpus.rs` and `corpus_names.rs`.
#![allow(dead_code)]

use std::cell::Cell;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Flaky(pub &'static str);

impl fmt::Display for Flaky {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Flaky {}

/// Fails while `calls` is at most `failures`, counting each call.
pub fn flaky(calls: &Cell<u32>, failures: u32) -> Result<u32, Flaky> {
    calls.set(calls.get() + 1);
    if calls.get() <= failures {
        Err(Flaky("down"))
    } else {
        Ok(calls.get())
    }
}

/// A current-thread runtime whose clock starts paused.
pub fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}
