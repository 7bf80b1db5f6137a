//! Where a test switch applies: the thread that turned it on, and the tokio runtime it was turned
//! on in (every task of that runtime, on any of its threads).
//!
//! Each `#[test]` runs on its own thread and each `#[tokio::test]` builds its own runtime, so a
//! switch turned on inside a test reaches everything that test runs, tasks it spawns included,
//! and nothing another test runs in parallel.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;

/// What a switch is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    Thread(ThreadId),
    #[cfg(feature = "tokio")]
    Runtime(tokio::runtime::Id),
}

/// One switch a test turned on.
pub(crate) enum Switch {
    SkipSleeps,
    Seed(Mutex<rand::rngs::SmallRng>),
    Record(Arc<Mutex<Vec<crate::Report>>>),
}

struct Entry {
    id: u64,
    owners: [Option<Owner>; 2],
    switch: Switch,
}

static ENTRIES: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
/// How many switches are on anywhere: when none are, nothing here takes the lock.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn entries() -> MutexGuard<'static, Vec<Entry>> {
    // A panic elsewhere while holding the lock leaves the list intact: keep using it.
    ENTRIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The owners code running here belongs to: this thread, and the runtime it runs in, if any.
fn here() -> [Option<Owner>; 2] {
    let thread = Some(Owner::Thread(std::thread::current().id()));
    #[cfg(feature = "tokio")]
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        return [thread, Some(Owner::Runtime(handle.id()))];
    }
    [thread, None]
}

/// Keeps a switch on while alive; dropping it turns the switch off.
#[derive(Debug)]
pub(crate) struct Scoped {
    id: u64,
}

/// Turns `switch` on for this thread and the runtime this code runs in.
pub(crate) fn turn_on(switch: Switch) -> Scoped {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    entries().push(Entry {
        id,
        owners: here(),
        switch,
    });
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    Scoped { id }
}

impl Drop for Scoped {
    fn drop(&mut self) {
        let mut entries = entries();
        let before = entries.len();
        entries.retain(|entry| entry.id != self.id);
        if entries.len() < before {
            ACTIVE.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Visits the switches in force here, newest first, until `visit` returns something. Takes no
/// lock, and allocates nothing, when no switch is on anywhere.
#[inline]
pub(crate) fn find_map<T>(visit: impl FnMut(&Switch) -> Option<T>) -> Option<T> {
    if ACTIVE.load(Ordering::SeqCst) == 0 {
        return None;
    }
    find_map_in_force(visit)
}

#[cold]
#[inline(never)]
fn find_map_in_force<T>(mut visit: impl FnMut(&Switch) -> Option<T>) -> Option<T> {
    let here = here();
    entries()
        .iter()
        .rev()
        .filter(|entry| {
            entry
                .owners
                .iter()
                .flatten()
                .any(|owner| here.iter().flatten().any(|h| h == owner))
        })
        .find_map(|entry| visit(&entry.switch))
}
