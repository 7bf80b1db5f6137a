//! The circuit breaker itself: its settings, and its state in a few atomics.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::BreakerOpen;

/// Where a [`CircuitBreaker`] stands.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::Instant;
/// use persevere::breaker::{BreakerState, CircuitBreaker};
///
/// let breaker = CircuitBreaker::new().consecutive_failures(1);
/// assert_eq!(breaker.state(), BreakerState::Closed);
/// breaker.failed(Instant::now);
/// assert_eq!(breaker.state(), BreakerState::Open);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakerState {
    /// Calls go through; their outcomes are counted.
    Closed,
    /// Calls are refused until the cool-down ends.
    Open,
    /// The cool-down has ended: a few probes go through, and their outcomes close the breaker
    /// or open it again.
    HalfOpen,
}

/// A circuit breaker shared by the calls that name it (`#[retry(breaker = UPSTREAM)]`,
/// [`Policy::breaker`](crate::Policy::breaker)).
///
/// - **Closed**, it counts outcomes. It opens after [`consecutive_failures`](Self::consecutive_failures)
///   failures in a row, or when the failures among the last `window` calls reach
///   [`failure_rate`](Self::failure_rate)'s percentage once at least `min_calls` have been counted,
///   checked after every call, a success as a failure.
/// - **Open**, it refuses every call for the [`cool_down`](Self::cool_down), lengthened by up to
///   [`jitter`](Self::jitter) percent so that clients that opened together do not probe together.
/// - **Half-open**, it lets [`probes`](Self::probes) calls through: it closes when they have all
///   succeeded, and opens again at the first failure. Calls beyond the probes are refused until
///   the probes report, or for a cool-down at most: probes not heard from by then (their calls
///   were dropped mid-attempt) are given up on, and a new round starts.
///
/// The defaults ([`new`](Self::new)) are resilience4j's: open at a failure rate of 50 % over the
/// last 100 calls (once 100 have been counted), stay open 60 s, let 10 probes through; no
/// consecutive-failure threshold; jitter up to 10 %.
///
/// Time is the policy's sleeper's clock: tokio's (paused in tests) for async calls by default,
/// a [`RecordingSleeper`](crate::sleep::RecordingSleeper)'s virtual clock in tests. The state is
/// a few atomics (lock-free, const-constructed); under concurrency each outcome is counted once,
/// and outcomes of calls that started before the breaker opened, ending while it is open, are
/// not counted. In half-open, every outcome that arrives counts as a probe's.
///
/// A policy drives its breaker itself; driven by hand, with the clock passed in, a breaker goes
/// through its three states:
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::time::{Duration, Instant};
/// use persevere::breaker::{BreakerState, CircuitBreaker};
///
/// static UPSTREAM: CircuitBreaker = CircuitBreaker::new()
///     .consecutive_failures(2)
///     .cool_down(Duration::from_secs(30))
///     .jitter(0)
///     .probes(1);
///
/// let start = Instant::now();
/// UPSTREAM.failed(|| start);
/// assert_eq!(UPSTREAM.failed(|| start), Some(Duration::from_secs(30))); // opened
/// assert!(UPSTREAM.admit(|| start + Duration::from_secs(10)).is_err());
///
/// // After the cool-down, one probe goes through, and its success closes the breaker.
/// assert!(UPSTREAM.admit(|| start + Duration::from_secs(31)).is_ok());
/// assert_eq!(UPSTREAM.state(), BreakerState::HalfOpen);
/// assert_eq!(UPSTREAM.succeeded(), Some(BreakerState::Closed));
/// ```
#[derive(Debug)]
pub struct CircuitBreaker {
    consecutive: u32,
    rate_percent: u32,
    window: u32,
    min_calls: u32,
    cool_down: Duration,
    jitter_percent: u32,
    probes: u32,
    /// The phase and the half-open counts (see [`Word`]).
    word: AtomicU64,
    /// Failures in a row while closed.
    streak: AtomicU32,
    /// The last `window` outcomes while closed, a bit each (set for a failure), as a ring.
    ring: [AtomicU64; 2],
    /// Outcomes counted into the ring since it was cleared.
    counted: AtomicU64,
    /// When the open breaker lets its first probe through, in nanoseconds after [`ORIGIN`];
    /// [`COOL_DOWN_PENDING`] once a success opened it, until a clock is read.
    reopens: AtomicU64,
}

/// `reopens` of a breaker that a success opened (its failure rate reached with a success
/// counted, as resilience4j checks after every call): counting a success reads no clock, so
/// the cool-down starts when the next caller reads one, asking to be let through.
const COOL_DOWN_PENDING: u64 = u64::MAX;

/// The instant breakers keep their times relative to (an atomic holds a number, not an
/// `Instant`): an hour before the first one was needed, so that the clock of a sleeper made
/// earlier (a test's, whose virtual clock starts at its making) still reads after it.
static ORIGIN: OnceLock<Instant> = OnceLock::new();

/// The most calls a failure-rate window can count.
pub const MAX_WINDOW: u32 = 128;

/// The phase and half-open counts, packed in one word so a transition is one compare-and-swap:
/// bits 0–1 the phase, 2–31 probes admitted, 32–63 probes succeeded.
#[derive(Clone, Copy)]
struct Word(u64);

impl Word {
    const CLOSED: Word = Word(0);
    const OPEN: Word = Word(1);

    fn state(self) -> BreakerState {
        match self.0 & 3 {
            0 => BreakerState::Closed,
            1 => BreakerState::Open,
            _ => BreakerState::HalfOpen,
        }
    }
    fn admitted(self) -> u32 {
        ((self.0 >> 2) & 0x3fff_ffff) as u32
    }
    fn succeeded(self) -> u32 {
        (self.0 >> 32) as u32
    }
    fn half_open(admitted: u32, succeeded: u32) -> Word {
        Word(2 | (u64::from(admitted) << 2) | (u64::from(succeeded) << 32))
    }
}

impl CircuitBreaker {
    /// A breaker with resilience4j's defaults (see [`CircuitBreaker`]).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// static UPSTREAM: CircuitBreaker = CircuitBreaker::new();
    /// assert_eq!(UPSTREAM.state(), BreakerState::Closed);
    /// ```
    pub const fn new() -> CircuitBreaker {
        CircuitBreaker {
            consecutive: 0,
            rate_percent: 50,
            window: 100,
            min_calls: 100,
            cool_down: Duration::from_secs(60),
            jitter_percent: 10,
            probes: 10,
            word: AtomicU64::new(Word::CLOSED.0),
            streak: AtomicU32::new(0),
            ring: [AtomicU64::new(0), AtomicU64::new(0)],
            counted: AtomicU64::new(0),
            reopens: AtomicU64::new(0),
        }
    }

    /// Opens after `failures` failures in a row (0: never for this reason).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Instant;
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// let breaker = CircuitBreaker::new().consecutive_failures(3);
    /// breaker.failed(Instant::now);
    /// breaker.failed(Instant::now);
    /// breaker.succeeded(); // the streak starts again
    /// breaker.failed(Instant::now);
    /// assert_eq!(breaker.state(), BreakerState::Closed);
    /// ```
    pub const fn consecutive_failures(mut self, failures: u32) -> Self {
        self.consecutive = failures;
        self
    }

    /// Opens when at least `percent` % of the last `window` calls failed, once `min_calls` calls
    /// have been counted since the breaker last closed. `window` is at most 128 (larger values
    /// count 128), `min_calls` at most `window`; `percent` 0 turns the rate off. The rate is
    /// checked after each call counted, a success as a failure.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::Instant;
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// // Half of the last 4 calls, once 4 have been counted.
    /// let breaker = CircuitBreaker::new().failure_rate(50, 4, 4);
    /// breaker.succeeded();
    /// breaker.failed(Instant::now);
    /// breaker.succeeded();
    /// assert_eq!(breaker.state(), BreakerState::Closed); // 3 calls: too few to judge
    /// breaker.failed(Instant::now);
    /// assert_eq!(breaker.state(), BreakerState::Open); // 2 of 4
    ///
    /// // The same rate reached by a success.
    /// let breaker = CircuitBreaker::new().failure_rate(50, 4, 4);
    /// breaker.failed(Instant::now);
    /// breaker.failed(Instant::now);
    /// breaker.succeeded();
    /// assert_eq!(breaker.succeeded(), Some(BreakerState::Open)); // 2 of 4
    /// ```
    pub const fn failure_rate(mut self, percent: u32, window: u32, min_calls: u32) -> Self {
        self.rate_percent = percent;
        self.window = if window > MAX_WINDOW {
            MAX_WINDOW
        } else if window == 0 {
            1
        } else {
            window
        };
        self.min_calls = if min_calls > self.window {
            self.window
        } else {
            min_calls
        };
        self
    }

    /// How long it stays open before letting probes through (before jitter).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::CircuitBreaker;
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(1)
    ///     .cool_down(Duration::from_secs(5))
    ///     .jitter(0);
    /// let now = Instant::now();
    /// breaker.failed(|| now);
    /// let refusal = breaker.admit(|| now).unwrap_err();
    /// assert_eq!(refusal.retry_after(), Duration::from_secs(5));
    /// ```
    pub const fn cool_down(mut self, cool_down: Duration) -> Self {
        self.cool_down = cool_down;
        self
    }

    /// Lengthens each cool-down by a random amount up to `percent` % of it (0: exact cool-downs).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::CircuitBreaker;
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(1)
    ///     .cool_down(Duration::from_secs(10))
    ///     .jitter(20);
    /// let cool_down = breaker.failed(Instant::now).unwrap();
    /// assert!(cool_down >= Duration::from_secs(10) && cool_down <= Duration::from_secs(12));
    /// ```
    pub const fn jitter(mut self, percent: u32) -> Self {
        self.jitter_percent = percent;
        self
    }

    /// How many calls the half-open breaker lets through, all of which must succeed to close it
    /// (at least 1, at most [`MAX_PROBES`](Self::MAX_PROBES); a larger count is that many).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(1)
    ///     .cool_down(Duration::from_secs(30))
    ///     .jitter(0)
    ///     .probes(2);
    /// let now = Instant::now();
    /// breaker.failed(|| now);
    /// let later = now + Duration::from_secs(30);
    /// assert!(breaker.admit(|| later).is_ok()); // the cool-down is over: first probe
    /// assert!(breaker.admit(|| later).is_ok()); // second probe
    /// assert!(breaker.admit(|| later).is_err()); // no third while those two are out
    /// assert_eq!(breaker.succeeded(), None);
    /// assert_eq!(breaker.succeeded(), Some(BreakerState::Closed)); // both succeeded
    /// ```
    pub const fn probes(mut self, probes: u32) -> Self {
        self.probes = if probes == 0 {
            1
        } else if probes > Self::MAX_PROBES {
            Self::MAX_PROBES
        } else {
            probes
        };
        self
    }

    /// The most probes a round lets through: the breaker's state is one atomic word, which
    /// counts them in 30 bits.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::breaker::CircuitBreaker;
    /// assert_eq!(CircuitBreaker::MAX_PROBES, (1 << 30) - 1);
    /// ```
    pub const MAX_PROBES: u32 = (1 << 30) - 1;

    /// A breaker with the same settings, closed: for tables of breakers made from one template.
    pub(crate) const fn fresh_copy(&self) -> CircuitBreaker {
        CircuitBreaker::new()
            .consecutive_failures(self.consecutive)
            .failure_rate(self.rate_percent, self.window, self.min_calls)
            .cool_down(self.cool_down)
            .jitter(self.jitter_percent)
            .probes(self.probes)
    }

    /// Where the breaker stands now. An open breaker whose cool-down has ended still says
    /// [`Open`](BreakerState::Open) until a call comes to probe.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// let breaker = CircuitBreaker::new().consecutive_failures(1).cool_down(Duration::ZERO);
    /// let now = Instant::now();
    /// breaker.failed(|| now);
    /// assert_eq!(breaker.state(), BreakerState::Open); // though its cool-down is over
    /// breaker.admit(|| now).unwrap();
    /// assert_eq!(breaker.state(), BreakerState::HalfOpen);
    /// ```
    pub fn state(&self) -> BreakerState {
        Word(self.word.load(Ordering::Acquire)).state()
    }

    /// Asks to make an attempt at `now`: `Err` while the breaker is open (with the time until it
    /// lets a probe through) or half-open with every probe in flight. An open breaker whose
    /// cool-down has ended becomes half-open, and this attempt is its first probe.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::CircuitBreaker;
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(1)
    ///     .cool_down(Duration::from_secs(30))
    ///     .jitter(0);
    /// let start = Instant::now();
    /// assert!(breaker.admit(|| start).is_ok()); // closed: no clock read
    /// breaker.failed(|| start);
    /// let refusal = breaker.admit(|| start + Duration::from_secs(20)).unwrap_err();
    /// assert_eq!(refusal.retry_after(), Duration::from_secs(10));
    /// assert!(breaker.admit(|| start + Duration::from_secs(30)).is_ok()); // a probe
    /// ```
    pub fn admit(&self, now: impl FnOnce() -> Instant) -> Result<(), BreakerOpen> {
        let mut word = Word(self.word.load(Ordering::Acquire));
        if word.state() == BreakerState::Closed {
            return Ok(());
        }
        let now = self.nanos(now());
        loop {
            let reopens = self.reopens_at(now);
            // A new round of probes starts when the cool-down ends: the first after opening, or
            // another when the last round's probes were never heard from (their calls dropped
            // mid-attempt), so a lost probe cannot hold the breaker half-open for ever.
            let next = match word.state() {
                BreakerState::Closed => return Ok(()),
                BreakerState::Open | BreakerState::HalfOpen if now < reopens => {
                    if word.state() == BreakerState::HalfOpen && word.admitted() < self.probes {
                        Word::half_open(word.admitted() + 1, word.succeeded())
                    } else {
                        return Err(BreakerOpen::new(Duration::from_nanos(reopens - now)));
                    }
                }
                BreakerState::Open | BreakerState::HalfOpen => Word::half_open(1, 0),
            };
            match self.word.compare_exchange_weak(
                word.0,
                next.0,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    if next.admitted() == 1 {
                        // The round's probes have a cool-down to report back.
                        let round_ends = now.saturating_add(crate::jitter::nanos(self.cool_down));
                        self.reopens.store(round_ends, Ordering::Release);
                    }
                    return Ok(());
                }
                Err(actual) => word = Word(actual),
            }
        }
    }

    /// What [`admit`](Self::admit) would answer at `now`, without letting a probe through: for a
    /// call deciding whether to sleep before an attempt the breaker would refuse.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// let breaker = CircuitBreaker::new().consecutive_failures(1).cool_down(Duration::ZERO);
    /// let now = Instant::now();
    /// assert_eq!(breaker.refusing(|| now), None);
    /// breaker.failed(|| now);
    /// assert_eq!(breaker.refusing(|| now), None); // the cool-down is over: a probe may go
    /// assert_eq!(breaker.state(), BreakerState::Open); // and asking let none through
    /// ```
    pub fn refusing(&self, now: impl FnOnce() -> Instant) -> Option<BreakerOpen> {
        let word = Word(self.word.load(Ordering::Acquire));
        match word.state() {
            BreakerState::Closed => None,
            BreakerState::HalfOpen if word.admitted() < self.probes => None,
            BreakerState::Open | BreakerState::HalfOpen => {
                let now = self.nanos(now());
                let reopens = self.reopens_at(now);
                (now < reopens).then(|| BreakerOpen::new(Duration::from_nanos(reopens - now)))
            }
        }
    }

    /// Counts a success. Returns the new state if this success changed it: closed by its probes,
    /// or opened, as a success too may bring the failure rate to its threshold once `min_calls`
    /// are counted (resilience4j checks after every call). Counting a success reads no clock, so
    /// a breaker it opened starts its cool-down when the next call asks to be let through (a
    /// retried call's success, which has read its clock, starts it at once).
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::{BreakerState, CircuitBreaker};
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(1)
    ///     .cool_down(Duration::ZERO)
    ///     .probes(1);
    /// assert_eq!(breaker.succeeded(), None); // closed already
    /// let now = Instant::now();
    /// breaker.failed(|| now);
    /// breaker.admit(|| now).unwrap(); // the probe
    /// assert_eq!(breaker.succeeded(), Some(BreakerState::Closed));
    /// ```
    pub fn succeeded(&self) -> Option<BreakerState> {
        self.success(None::<fn() -> Instant>)
    }

    /// [`succeeded`](Self::succeeded) for a caller holding a clock: a breaker this success
    /// opens starts its cool-down at `now`.
    pub(crate) fn succeeded_at(&self, now: impl FnOnce() -> Instant) -> Option<BreakerState> {
        self.success(Some(now))
    }

    fn success(&self, now: Option<impl FnOnce() -> Instant>) -> Option<BreakerState> {
        let mut word = Word(self.word.load(Ordering::Acquire));
        loop {
            match word.state() {
                BreakerState::Closed => {
                    if self.consecutive > 0 {
                        self.streak.store(0, Ordering::Release);
                    }
                    if self.rate_percent > 0 && self.rate_reached(false) {
                        let reopens = match now {
                            Some(now) => self
                                .nanos(now())
                                .saturating_add(crate::jitter::nanos(self.jittered_cool_down())),
                            None => COOL_DOWN_PENDING,
                        };
                        return self.open_at(word, reopens).then_some(BreakerState::Open);
                    }
                    return None;
                }
                BreakerState::Open => return None,
                BreakerState::HalfOpen => {
                    let succeeded = word.succeeded() + 1;
                    let next = if succeeded >= self.probes {
                        Word::CLOSED
                    } else {
                        Word::half_open(word.admitted(), succeeded)
                    };
                    match self.word.compare_exchange_weak(
                        word.0,
                        next.0,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    ) {
                        Ok(_) if next.state() == BreakerState::Closed => {
                            self.clear();
                            return Some(BreakerState::Closed);
                        }
                        Ok(_) => return None,
                        Err(actual) => word = Word(actual),
                    }
                }
            }
        }
    }

    /// Counts a failure at `now`. Returns the cool-down if this failure opened the breaker.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use std::time::{Duration, Instant};
    /// use persevere::breaker::CircuitBreaker;
    ///
    /// let breaker = CircuitBreaker::new()
    ///     .consecutive_failures(2)
    ///     .cool_down(Duration::from_secs(30))
    ///     .jitter(0);
    /// assert_eq!(breaker.failed(Instant::now), None);
    /// assert_eq!(breaker.failed(Instant::now), Some(Duration::from_secs(30)));
    /// assert_eq!(breaker.failed(Instant::now), None); // open already
    /// ```
    pub fn failed(&self, now: impl FnOnce() -> Instant) -> Option<Duration> {
        let word = Word(self.word.load(Ordering::Acquire));
        match word.state() {
            BreakerState::Open => None,
            BreakerState::HalfOpen => self.open(word, now),
            BreakerState::Closed => {
                let streak = if self.consecutive > 0 {
                    self.streak.fetch_add(1, Ordering::AcqRel).saturating_add(1)
                } else {
                    0
                };
                let by_streak = self.consecutive > 0 && streak >= self.consecutive;
                let by_rate = self.rate_percent > 0 && self.rate_reached(true);
                if by_streak || by_rate {
                    self.open(word, now)
                } else {
                    None
                }
            }
        }
    }

    /// Opens the breaker from `from`, unless another thread changed it first.
    fn open(&self, from: Word, now: impl FnOnce() -> Instant) -> Option<Duration> {
        let cool_down = self.jittered_cool_down();
        let reopens = self
            .nanos(now())
            .saturating_add(crate::jitter::nanos(cool_down));
        self.open_at(from, reopens).then_some(cool_down)
    }

    /// Opens the breaker from `from` until `reopens`, unless another thread changed it first;
    /// says whether it did.
    fn open_at(&self, mut from: Word, reopens: u64) -> bool {
        // The reopening time is written before the phase, so a caller that sees the breaker open
        // reads its time; if another thread changes the phase first, the time it wrote stands.
        let previous = self.reopens.swap(reopens, Ordering::AcqRel);
        loop {
            match self.word.compare_exchange(
                from.0,
                Word::OPEN.0,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                // A probe's failure reopens the breaker whatever the other probes did meanwhile.
                Err(actual)
                    if from.state() == BreakerState::HalfOpen
                        && Word(actual).state() == BreakerState::HalfOpen =>
                {
                    from = Word(actual)
                }
                Err(_) => {
                    let _ = self.reopens.compare_exchange(
                        reopens,
                        previous,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                    return false;
                }
            }
        }
        self.clear();
        true
    }

    fn jittered_cool_down(&self) -> Duration {
        if self.jitter_percent == 0 {
            return self.cool_down;
        }
        // In floating point, saturating: `mul_f64` panics past `Duration::MAX`.
        let extra = Duration::try_from_secs_f64(
            self.cool_down.as_secs_f64() * f64::from(self.jitter_percent) / 100.0,
        )
        .unwrap_or(Duration::MAX);
        crate::jitter::between(self.cool_down, self.cool_down.saturating_add(extra))
    }

    /// Counts an outcome into the ring; returns whether the failure rate is reached with it.
    fn rate_reached(&self, failed: bool) -> bool {
        let (calls, failures) = self.count(failed);
        calls >= u64::from(self.min_calls.max(1))
            && failures * 100 >= u64::from(self.rate_percent) * calls
    }

    /// When the open breaker lets a probe through, its cool-down starting at `now` if a success
    /// opened it (see [`COOL_DOWN_PENDING`]).
    fn reopens_at(&self, now: u64) -> u64 {
        let reopens = self.reopens.load(Ordering::Acquire);
        if reopens != COOL_DOWN_PENDING {
            return reopens;
        }
        let starting = now.saturating_add(crate::jitter::nanos(self.jittered_cool_down()));
        match self.reopens.compare_exchange(
            COOL_DOWN_PENDING,
            starting,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => starting,
            Err(other) => other,
        }
    }

    /// Counts an outcome into the ring; returns the calls and failures it now holds.
    fn count(&self, failed: bool) -> (u64, u64) {
        let window = u64::from(self.window);
        let position = self.counted.fetch_add(1, Ordering::AcqRel) % window;
        let (word, bit) = ((position / 64) as usize, position % 64);
        if failed {
            self.ring[word].fetch_or(1 << bit, Ordering::AcqRel);
        } else {
            self.ring[word].fetch_and(!(1 << bit), Ordering::AcqRel);
        }
        let calls = self.counted.load(Ordering::Acquire).min(window);
        let failures = self.ring[0].load(Ordering::Acquire).count_ones()
            + self.ring[1].load(Ordering::Acquire).count_ones();
        (calls, u64::from(failures))
    }

    /// Forgets the counts of the last closed period.
    fn clear(&self) {
        self.streak.store(0, Ordering::Release);
        self.counted.store(0, Ordering::Release);
        for word in &self.ring {
            word.store(0, Ordering::Release);
        }
    }

    fn nanos(&self, now: Instant) -> u64 {
        let origin = *ORIGIN.get_or_init(|| {
            let first = Instant::now();
            first
                .checked_sub(Duration::from_secs(3600))
                .unwrap_or(first)
        });
        crate::jitter::nanos(now.saturating_duration_since(origin))
    }
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        CircuitBreaker::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A success that counts towards the rate as another caller opens the breaker leaves that
    /// caller's reopening time: it once replaced it with a cool-down still to start.
    #[test]
    fn an_opening_that_loses_the_race_leaves_the_winners_time() {
        let breaker = CircuitBreaker::new()
            .consecutive_failures(1)
            .cool_down(Duration::from_secs(10))
            .jitter(0);
        let start = Instant::now();
        assert_eq!(breaker.failed(|| start), Some(Duration::from_secs(10)));
        let opened = breaker.reopens.load(Ordering::Acquire);
        // As a success that saw the breaker closed would, a moment before.
        assert!(!breaker.open_at(Word::CLOSED, COOL_DOWN_PENDING));
        assert_eq!(breaker.reopens.load(Ordering::Acquire), opened);
        assert!(
            breaker
                .refusing(|| start + Duration::from_secs(10))
                .is_none()
        );
    }

    /// The count of admitted probes is 30 bits of the state's word: a larger `probes` would
    /// wrap it, and the round would never refuse.
    #[test]
    fn probes_fit_the_word() {
        let most = CircuitBreaker::new().probes(u32::MAX).probes;
        assert_eq!(most, CircuitBreaker::MAX_PROBES);
        assert_eq!(Word::half_open(most, 0).admitted(), most);
        assert_eq!(Word::half_open(most, 0).succeeded(), 0);
        assert_eq!(CircuitBreaker::new().probes(1 << 30).probes, most);
    }
}
