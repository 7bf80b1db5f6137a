//! An SDK's retry settings, every one, through the attribute (`settings = ...`) and `Policy`,
//! sync and async, with exact waits: the process-wide default (`GlobalSettings`), per-call
//! options (`RetryOptions`) overriding it field by field, and a default replaced while calls
//! run.
//!
//! Each test has its own `GlobalSettings` (tests run in parallel, and the default is the whole
//! process's), made with its own functions by `service!`.

use std::cell::Cell;
use std::collections::{BTreeSet, HashSet};
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use persevere::condition::{ErrorCode, is_network_error};
use persevere::settings::{
    BackoffInput, BackoffStrategy, DefaultRetryCondition, GlobalSettings, RetryCondition,
    RetryErrorCodes, RetryOptions, RetrySettings, ServiceError, SettingsSource,
};
use persevere::sleep::RecordingSleeper;
use persevere::stop::attempts;
use persevere::{Ending, Policy, retry};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// The service's errors, as the SDK's chapter classifies them.
#[derive(Debug, Clone, PartialEq)]
enum ApiError {
    /// A transport failure.
    Network(io::ErrorKind),
    /// HTTP 429.
    Throttled,
    /// A business error with its code.
    Server(&'static str),
}

impl ErrorCode for ApiError {
    fn error_code(&self) -> Option<&str> {
        match self {
            ApiError::Server(code) => Some(code),
            ApiError::Throttled => Some("Throttling"),
            ApiError::Network(_) => None,
        }
    }
}

impl ServiceError for ApiError {
    fn is_network_error(&self) -> bool {
        matches!(self, ApiError::Network(kind) if is_network_error(&io::Error::from(*kind)))
    }
    fn is_throttled(&self) -> bool {
        *self == ApiError::Throttled
    }
}

const RESET: ApiError = ApiError::Network(io::ErrorKind::ConnectionReset);
const DENIED: ApiError = ApiError::Server("AccessDenied");
const INVALID: ApiError = ApiError::Server("InvalidParameter");

/// A service that answers from a script, the last answer repeating.
struct Service {
    script: Vec<Result<u32, ApiError>>,
    calls: Cell<usize>,
}

impl Service {
    fn new(script: &[Result<u32, ApiError>]) -> Self {
        Service {
            script: script.to_vec(),
            calls: Cell::new(0),
        }
    }

    fn failing(error: ApiError) -> Self {
        Service::new(&[Err(error)])
    }

    fn answer(&self) -> Result<u32, ApiError> {
        let answer = self.script[self.calls.get().min(self.script.len() - 1)].clone();
        self.calls.set(self.calls.get() + 1);
        answer
    }
}

/// What one call did: its outcome, its attempts, and the waits between them.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    outcome: Result<u32, ApiError>,
    attempts: usize,
    waits: Vec<Duration>,
}

/// A `GlobalSettings` of its own, and the four ways to call a service under it: the attribute
/// and `Policy`, sync and async. `four_ways` runs the same call each way, each with the same
/// jitter seed, and checks they agree.
macro_rules! service {
    ($module:ident) => {
        mod $module {
            use super::*;

            pub static SDK: GlobalSettings<ApiError> = GlobalSettings::new();

            #[retry(settings = SDK.overridden_by(options), sleep = sleeper.clone())]
            pub fn call(
                service: &Service,
                options: &RetryOptions<ApiError>,
                sleeper: &RecordingSleeper,
            ) -> Result<u32, ApiError> {
                service.answer()
            }

            #[retry(settings = SDK.overridden_by(options), sleep = sleeper.clone())]
            pub async fn call_async(
                service: &Service,
                options: &RetryOptions<ApiError>,
                sleeper: &RecordingSleeper,
            ) -> Result<u32, ApiError> {
                service.answer()
            }

            pub fn four_ways(
                options: &RetryOptions<ApiError>,
                script: &[Result<u32, ApiError>],
            ) -> Run {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                    .unwrap();
                let each = |way: &dyn Fn(&Service, &RecordingSleeper) -> Result<u32, ApiError>| {
                    let _seed = persevere::testing::seed_jitter(11);
                    let service = Service::new(script);
                    let sleeper = RecordingSleeper::new();
                    let outcome = way(&service, &sleeper);
                    Run {
                        outcome,
                        attempts: service.calls.get(),
                        waits: sleeper.sleeps(),
                    }
                };
                let runs = [
                    each(&|service, sleeper| call(service, options, sleeper)),
                    each(&|service, sleeper| {
                        runtime.block_on(call_async(service, options, sleeper))
                    }),
                    each(&|service, sleeper| {
                        SDK.policy_with(options)
                            .sleeper(sleeper.clone())
                            .call(|| service.answer())
                    }),
                    each(&|service, sleeper| {
                        runtime.block_on(
                            SDK.policy_with(options)
                                .sleeper(sleeper.clone())
                                .call_async(|| async { service.answer() }),
                        )
                    }),
                ];
                for (way, run) in ["async attribute", "sync Policy", "async Policy"]
                    .iter()
                    .zip(&runs[1..])
                {
                    assert_eq!(run, &runs[0], "the {way} differs from the sync attribute");
                }
                runs[0].clone()
            }
        }
    };
}

fn none() -> RetryOptions<ApiError> {
    RetryOptions::new()
}

// ---- Defaults ---------------------------------------------------------------------------------

service!(defaults);

#[test]
fn the_defaults_are_the_sdks() {
    let settings = RetrySettings::<ApiError>::new();
    assert!(settings.auto_retry);
    assert_eq!(settings.num_max_retries, 3);
    assert_eq!(settings.min_retry_delay, ms(30));
    assert_eq!(settings.max_retry_delay, ms(300_000));
    assert_eq!(
        settings.backoff_strategy,
        BackoffStrategy::ExponentialWithRandomJitter
    );
    assert_eq!(settings.retry_condition, RetryCondition::Default);
    assert!(settings.retry_error_codes.is_empty());
    assert_eq!(defaults::SDK.current(), settings);
    assert_eq!(RetrySettings::<ApiError>::default(), settings);

    // 3 retries of a throttled request: 4 attempts, each wait in [base, 2·base] with base
    // 30 ms · 2ⁿ.
    let run = defaults::four_ways(&none(), &[Err(ApiError::Throttled)]);
    assert_eq!((run.outcome, run.attempts), (Err(ApiError::Throttled), 4));
    for (n, wait) in run.waits.iter().enumerate() {
        let base = ms(30 * 2u64.pow(n as u32));
        assert!(
            base <= *wait && *wait <= 2 * base,
            "retry {n} waited {wait:?}"
        );
    }
    assert_eq!(run.waits.len(), 3);
}

// ---- auto_retry and num_max_retries -----------------------------------------------------------

service!(counting);

#[test]
fn num_max_retries_counts_retries_after_the_first_attempt() {
    for retries in [0, 1, 4, 7] {
        counting::SDK.set_default(
            RetrySettings::new()
                .num_max_retries(retries)
                .backoff_strategy(BackoffStrategy::NoBackoff),
        );
        let run = counting::four_ways(&none(), &[Err(RESET)]);
        assert_eq!(run.attempts, retries as usize + 1);
        assert_eq!(run.waits, vec![Duration::ZERO; retries as usize]);
    }
    // A success after two failures returns it.
    let run = counting::four_ways(&none(), &[Err(RESET), Err(RESET), Ok(5)]);
    assert_eq!((run.outcome, run.attempts), (Ok(5), 3));
}

service!(auto);

#[test]
fn auto_retry_off_makes_a_single_attempt() {
    auto::SDK.set_default(RetrySettings::new().auto_retry(false).num_max_retries(5));
    let run = auto::four_ways(&none(), &[Err(ApiError::Throttled)]);
    assert_eq!(
        (run.outcome, run.attempts, run.waits),
        (Err(ApiError::Throttled), 1, vec![])
    );
    // On again for one call.
    let run = auto::four_ways(
        &none().auto_retry(true).min_retry_delay(ms(1)),
        &[Err(ApiError::Throttled)],
    );
    assert_eq!(run.attempts, 6);
}

// ---- Backoff strategies -----------------------------------------------------------------------

service!(exponential);

#[test]
fn exponential_backoff_is_min_times_two_to_the_n_capped_at_max() {
    exponential::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(7)
            .min_retry_delay(ms(200))
            .max_retry_delay(ms(6000))
            .backoff_strategy(BackoffStrategy::Exponential),
    );
    let run = exponential::four_ways(&none(), &[Err(RESET)]);
    assert_eq!(
        run.waits,
        [200, 400, 800, 1600, 3200, 6000, 6000].map(ms).to_vec()
    );
}

#[tokio::test(start_paused = true)]
async fn exponential_backoff_on_tokios_clock() {
    static SDK: GlobalSettings<ApiError> = GlobalSettings::new();

    #[retry(settings = SDK)]
    async fn fetch(service: &Service) -> Result<u32, ApiError> {
        service.answer()
    }

    SDK.set_default(
        RetrySettings::new()
            .num_max_retries(4)
            .min_retry_delay(ms(200))
            .max_retry_delay(ms(1000))
            .backoff_strategy(BackoffStrategy::Exponential),
    );
    let start = tokio::time::Instant::now();
    let service = Service::failing(ApiError::Throttled);
    assert_eq!(fetch(&service).await, Err(ApiError::Throttled));
    assert_eq!(service.calls.get(), 5);
    // 200 + 400 + 800 + 1000.
    assert_eq!(start.elapsed(), ms(2400));

    let start = tokio::time::Instant::now();
    let service = Service::failing(ApiError::Throttled);
    let _ = SDK.policy().call_async(|| async { service.answer() }).await;
    assert_eq!(start.elapsed(), ms(2400));
}

#[test]
fn exponential_backoff_saturates_and_never_overflows() {
    let input = |n| BackoffInput::new(n, Duration::from_nanos(1), Duration::from_secs(300));
    assert_eq!(input(0).exponential(), Duration::from_nanos(1));
    assert_eq!(input(32).exponential(), Duration::from_nanos(1 << 32));
    assert_eq!(input(38).exponential(), Duration::from_nanos(1 << 38));
    for n in [39, 64, 127, 128, 1000, u32::MAX] {
        assert_eq!(input(n).exponential(), Duration::from_secs(300), "n = {n}");
    }
    // A zero minimum stays zero, however many retries.
    let zero = BackoffInput::new(u32::MAX, Duration::ZERO, Duration::from_secs(1));
    assert_eq!(zero.exponential(), Duration::ZERO);
    // A minimum above the maximum: the formula's `min` gives the maximum.
    let inverted = BackoffInput::new(0, ms(500), ms(100));
    assert_eq!(inverted.exponential(), ms(100));
    assert_eq!(
        BackoffStrategy::Exponential.delay(&BackoffInput::new(
            u32::MAX,
            Duration::MAX,
            Duration::MAX
        )),
        Duration::MAX
    );
}

service!(no_backoff);

#[test]
fn no_backoff_retries_at_once() {
    no_backoff::SDK.set_default(
        RetrySettings::new()
            .min_retry_delay(ms(500))
            .backoff_strategy(BackoffStrategy::NoBackoff),
    );
    let run = no_backoff::four_ways(&none(), &[Err(ApiError::Throttled)]);
    assert_eq!((run.attempts, run.waits), (4, vec![Duration::ZERO; 3]));
}

service!(jitter);

#[test]
fn jittered_backoff_is_base_plus_up_to_base_again() {
    jitter::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(9)
            .min_retry_delay(ms(100))
            .max_retry_delay(ms(3000))
            .backoff_strategy(BackoffStrategy::ExponentialWithRandomJitter),
    );
    // Seeded: the four ways agree exactly (checked in `four_ways`), and each wait is in bounds.
    let run = jitter::four_ways(&none(), &[Err(RESET)]);
    let bases = [100, 200, 400, 800, 1600, 3000, 3000, 3000, 3000].map(ms);
    for (wait, base) in run.waits.iter().zip(bases) {
        assert!(
            base <= *wait && *wait <= 2 * base,
            "{wait:?} for a base of {base:?}"
        );
    }
    // Over many draws: within [base, 2·base], spread over the whole range, mean near 1.5·base.
    persevere::jitter::unseed();
    let input = BackoffInput::new(3, ms(100), ms(300_000));
    let base = ms(800);
    let draws: Vec<Duration> = (0..4000)
        .map(|_| BackoffStrategy::ExponentialWithRandomJitter.delay(&input))
        .collect();
    assert!(draws.iter().all(|d| base <= *d && *d <= 2 * base));
    assert!(draws.iter().any(|d| *d < base + base / 10));
    assert!(draws.iter().any(|d| *d > 2 * base - base / 10));
    let mean = draws.iter().sum::<Duration>() / draws.len() as u32;
    assert!(mean > ms(1150) && mean < ms(1250), "mean {mean:?}");
    // At the cap, as the SDK's formula says: up to twice the maximum.
    let capped = BackoffInput::new(20, ms(100), ms(1000));
    let draws: Vec<Duration> = (0..1000)
        .map(|_| capped.exponential_with_random_jitter())
        .collect();
    assert!(draws.iter().all(|d| ms(1000) <= *d && *d <= ms(2000)));
    assert!(draws.iter().any(|d| *d > ms(1500)));
}

service!(custom_backoff);

#[test]
fn a_custom_backoff_gets_the_retry_count_and_the_bounds() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    custom_backoff::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(4)
            .min_retry_delay(ms(10))
            .max_retry_delay(ms(50))
            .backoff_strategy(BackoffStrategy::custom(move |input: &BackoffInput| {
                record.lock().unwrap().push((
                    input.retry_count(),
                    input.min_retry_delay(),
                    input.max_retry_delay(),
                ));
                // Reuses the built-in exponential, plus a millisecond per retry.
                input.exponential() + ms(u64::from(input.retry_count()))
            })),
    );
    let run = custom_backoff::four_ways(&none(), &[Err(RESET)]);
    assert_eq!(run.waits, [10, 21, 42, 53].map(ms).to_vec());
    // Each way asks for four delays, and a fifth after its last attempt: the stop sees the delay
    // that would follow before it decides (tenacity's order), so a custom strategy is asked for
    // a retry count up to `num_max_retries`.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4 * 5);
    assert_eq!(seen[..5], [0, 1, 2, 3, 4].map(|n| (n, ms(10), ms(50))));
}

// ---- Conditions and codes ---------------------------------------------------------------------

service!(conditions);

#[test]
fn the_default_condition_retries_network_errors_throttling_and_the_codes() {
    conditions::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(2)
            .backoff_strategy(BackoffStrategy::NoBackoff)
            .retry_error_codes(HashSet::from(["AccessDenied".to_string()])),
    );
    let attempts_for = |error: ApiError| conditions::four_ways(&none(), &[Err(error)]).attempts;
    assert_eq!(attempts_for(RESET), 3);
    assert_eq!(attempts_for(ApiError::Network(io::ErrorKind::TimedOut)), 3);
    assert_eq!(attempts_for(ApiError::Throttled), 3);
    assert_eq!(attempts_for(DENIED), 3);
    // Business errors are not retried, nor a network error that is a mistake to fix.
    assert_eq!(attempts_for(INVALID), 1);
    assert_eq!(
        attempts_for(ApiError::Network(io::ErrorKind::PermissionDenied)),
        1
    );

    // Without codes (the default), `AccessDenied` is a business error like any other.
    conditions::SDK.reset();
    assert_eq!(attempts_for(DENIED), 1);
    assert_eq!(attempts_for(ApiError::Throttled), 4);
}

service!(custom_condition);

#[test]
fn a_custom_condition_reuses_the_default_and_reads_the_codes() {
    let condition =
        RetryCondition::custom(|error: &ApiError, default: &DefaultRetryCondition<'_>| {
            // The default, minus throttling, plus a busy resource and any code starting like a
            // configured one.
            let configured = default
                .retry_error_codes()
                .iter()
                .any(|code| error.error_code().is_some_and(|own| own.starts_with(code)));
            (default.should_retry(error) && !error.is_throttled())
                || *error == ApiError::Server("ResourceIsBusy")
                || configured
        });
    custom_condition::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(1)
            .backoff_strategy(BackoffStrategy::NoBackoff)
            .retry_condition(condition)
            .retry_error_codes(["Quota"]),
    );
    let attempts_for =
        |error: ApiError| custom_condition::four_ways(&none(), &[Err(error)]).attempts;
    assert_eq!(attempts_for(RESET), 2);
    assert_eq!(attempts_for(ApiError::Throttled), 1);
    assert_eq!(attempts_for(ApiError::Server("ResourceIsBusy")), 2);
    assert_eq!(attempts_for(ApiError::Server("QuotaExceeded")), 2);
    assert_eq!(attempts_for(INVALID), 1);
    // Per call, the default condition again.
    let options = none().retry_condition(RetryCondition::Default);
    assert_eq!(
        custom_condition::four_ways(&options, &[Err(ApiError::Throttled)]).attempts,
        2
    );
}

#[test]
// Each collection is passed by reference too, on purpose.
#[allow(clippy::needless_borrows_for_generic_args)]
fn codes_come_from_any_set_or_list_of_strings() {
    let owned = "AccessDenied".to_string();
    let sets = [
        RetryErrorCodes::new(HashSet::from(["AccessDenied".to_string()])),
        RetryErrorCodes::new(&HashSet::from(["AccessDenied".to_string()])),
        RetryErrorCodes::new(HashSet::from(["AccessDenied"])),
        RetryErrorCodes::new(HashSet::from([&owned])),
        RetryErrorCodes::new(BTreeSet::from(["AccessDenied".to_string()])),
        RetryErrorCodes::new(BTreeSet::from(["AccessDenied"])),
        RetryErrorCodes::new(["AccessDenied"]),
        RetryErrorCodes::new(["AccessDenied".to_string()]),
        RetryErrorCodes::new(&["AccessDenied"][..]),
        RetryErrorCodes::new(&[owned.clone()][..]),
        RetryErrorCodes::new(vec!["AccessDenied"]),
        RetryErrorCodes::new(vec![owned.clone()]),
        RetryErrorCodes::new(&vec![owned.clone(), owned.clone()]),
    ];
    for codes in &sets {
        assert_eq!(codes, &sets[0]);
        assert_eq!(codes.len(), 1);
        assert!(codes.contains("AccessDenied"));
        assert!(!codes.contains("accessdenied"));
        // The same set is a `CodeSet` for `error_codes(..)`.
        assert!(persevere::condition::CodeSet::has(codes, "AccessDenied"));
    }
    assert_eq!(format!("{:?}", sets[0]), r#"{"AccessDenied"}"#);
    assert!(RetryErrorCodes::new(Vec::<String>::new()).is_empty());
    assert_eq!(
        RetryErrorCodes::new(Vec::<String>::new()),
        RetryErrorCodes::none()
    );

    // In the attribute and in `Policy`, as `error_codes(..)` takes them.
    use persevere::condition::error_codes;
    let codes: HashSet<String> = HashSet::from(["AccessDenied".to_string()]);

    #[retry(stop = attempts(3), wait = 0s, retry_if = error_codes(codes))]
    fn denied(codes: &HashSet<String>, service: &Service) -> Result<u32, ApiError> {
        service.answer()
    }
    let service = Service::failing(DENIED);
    assert_eq!(denied(&codes, &service), Err(DENIED));
    assert_eq!(service.calls.get(), 3);
    let service = Service::failing(DENIED);
    let _ = Policy::new()
        .stop(attempts(3))
        .wait(Duration::ZERO)
        .retry_if(error_codes(&codes))
        .call(|| service.answer());
    assert_eq!(service.calls.get(), 3);
}

// ---- RuntimeOption over Configuration ---------------------------------------------------------

service!(layered);

#[test]
fn options_override_the_default_field_by_field() {
    layered::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(4)
            .min_retry_delay(ms(200))
            .max_retry_delay(ms(6000))
            .backoff_strategy(BackoffStrategy::Exponential)
            .retry_error_codes(["AccessDenied"]),
    );
    let global = layered::four_ways(&none(), &[Err(DENIED)]);
    assert_eq!(global.attempts, 5);
    assert_eq!(global.waits, [200, 400, 800, 1600].map(ms).to_vec());

    // Each option alone changes its own setting, and the others stay global.
    let cases: [(RetryOptions<ApiError>, usize, Vec<Duration>); 6] = [
        (none().num_max_retries(1), 2, vec![ms(200)]),
        (
            none().min_retry_delay(ms(50)),
            5,
            [50, 100, 200, 400].map(ms).to_vec(),
        ),
        (
            none().max_retry_delay(ms(500)),
            5,
            [200, 400, 500, 500].map(ms).to_vec(),
        ),
        (
            none().backoff_strategy(BackoffStrategy::NoBackoff),
            5,
            vec![Duration::ZERO; 4],
        ),
        (none().auto_retry(false), 1, vec![]),
        // No codes for this call: `AccessDenied` is not retried.
        (none().retry_error_codes(Vec::<String>::new()), 1, vec![]),
    ];
    for (options, attempts, waits) in cases {
        let run = layered::four_ways(&options, &[Err(DENIED)]);
        assert_eq!(
            (run.attempts, &run.waits),
            (attempts, &waits),
            "{options:?}"
        );
    }
    // Several at once.
    let options = none()
        .num_max_retries(2)
        .min_retry_delay(ms(5))
        .retry_error_codes(["InvalidParameter"]);
    let run = layered::four_ways(&options, &[Err(INVALID)]);
    assert_eq!((run.attempts, run.waits), (3, vec![ms(5), ms(10)]));
    // Options override, and never change the default.
    assert_eq!(layered::SDK.current().num_max_retries, 4);
    assert!(none().is_empty() && !options.is_empty());
}

service!(replaced);

#[test]
fn a_replaced_default_reaches_the_next_call() {
    let run = replaced::four_ways(
        &none().backoff_strategy(BackoffStrategy::NoBackoff),
        &[Err(RESET)],
    );
    assert_eq!(run.attempts, 4);
    replaced::SDK.set_default(
        RetrySettings::new()
            .num_max_retries(1)
            .min_retry_delay(ms(7)),
    );
    let run = replaced::four_ways(
        &none().backoff_strategy(BackoffStrategy::Exponential),
        &[Err(RESET)],
    );
    assert_eq!((run.attempts, run.waits), (2, vec![ms(7)]));
    // A policy reads the settings when it is built, and keeps them.
    let kept = Policy::new()
        .settings(&replaced::SDK)
        .sleeper(|_: Duration| {});
    replaced::SDK.reset();
    let service = Service::failing(RESET);
    let _ = kept.call(|| service.answer());
    assert_eq!(service.calls.get(), 2);
    let service = Service::failing(RESET);
    let _ = Policy::new()
        .settings(&replaced::SDK)
        .sleeper(|_: Duration| {})
        .call(|| service.answer());
    assert_eq!(service.calls.get(), 4);
    let run = replaced::four_ways(
        &none().backoff_strategy(BackoffStrategy::Exponential),
        &[Err(RESET)],
    );
    assert_eq!(
        (run.attempts, run.waits),
        (4, [30, 60, 120].map(ms).to_vec())
    );
}

// ---- Once per call ----------------------------------------------------------------------------

/// Settings that count how often a call reads them.
struct Counted {
    reads: AtomicU32,
    settings: RetrySettings<ApiError>,
}

impl SettingsSource for Counted {
    type Error = ApiError;
    fn read(&self) -> RetrySettings<ApiError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.settings.clone()
    }
}

#[retry(settings = counted, sleep = |_| {})]
fn counted_call(counted: &Counted, service: &Service) -> Result<u32, ApiError> {
    service.answer()
}

#[retry(settings = counted, sleep = |_| async {})]
async fn counted_call_async(counted: &Counted, service: &Service) -> Result<u32, ApiError> {
    service.answer()
}

#[tokio::test]
async fn a_call_reads_its_settings_once_and_a_first_time_success_never() {
    let counted = Counted {
        reads: AtomicU32::new(0),
        settings: RetrySettings::new().num_max_retries(5),
    };
    assert_eq!(counted_call(&counted, &Service::new(&[Ok(1)])), Ok(1));
    assert_eq!(
        counted_call_async(&counted, &Service::new(&[Ok(1)])).await,
        Ok(1)
    );
    assert_eq!(counted.reads.load(Ordering::SeqCst), 0);

    let service = Service::failing(RESET);
    assert_eq!(counted_call(&counted, &service), Err(RESET));
    assert_eq!(
        (service.calls.get(), counted.reads.load(Ordering::SeqCst)),
        (6, 1)
    );
    let service = Service::new(&[Err(RESET), Err(RESET), Ok(3)]);
    assert_eq!(counted_call_async(&counted, &service).await, Ok(3));
    assert_eq!(counted.reads.load(Ordering::SeqCst), 2);
}

static KEPT: GlobalSettings<ApiError> = GlobalSettings::new();

#[retry(settings = KEPT, sleep = |_| {})]
fn replaces_the_default_midway(service: &Service) -> Result<u32, ApiError> {
    if service.calls.get() == 1 {
        // During the second attempt: after the call has read its settings.
        KEPT.set_default(RetrySettings::new().num_max_retries(0));
    }
    service.answer()
}

#[test]
fn a_call_under_way_keeps_the_settings_it_read() {
    KEPT.set_default(RetrySettings::new().num_max_retries(3));
    let service = Service::failing(RESET);
    assert_eq!(replaces_the_default_midway(&service), Err(RESET));
    assert_eq!(service.calls.get(), 4);
    // The next call reads the new default.
    let service = Service::failing(RESET);
    let _ = replaces_the_default_midway(&service);
    assert_eq!(service.calls.get(), 1);
}

// ---- Replaced while calls run -----------------------------------------------------------------

static FLIPPED: GlobalSettings<ApiError> = GlobalSettings::new();

/// Two whole settings: 2 retries 1 ms apart, or 5 retries 2 ms apart.
fn old() -> RetrySettings<ApiError> {
    RetrySettings::new()
        .num_max_retries(2)
        .min_retry_delay(ms(1))
        .max_retry_delay(ms(1))
        .backoff_strategy(BackoffStrategy::Exponential)
}

fn new() -> RetrySettings<ApiError> {
    RetrySettings::new()
        .num_max_retries(5)
        .min_retry_delay(ms(2))
        .max_retry_delay(ms(2))
        .backoff_strategy(BackoffStrategy::Exponential)
}

#[retry(settings = FLIPPED, sleep = sleeper.clone())]
fn flipped(service: &Service, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    service.answer()
}

static FLIPPED_ASYNC: GlobalSettings<ApiError> = GlobalSettings::new();

#[retry(settings = FLIPPED_ASYNC, sleep = sleeper.clone())]
async fn flipped_async(calls: &AtomicU32, sleeper: &RecordingSleeper) -> Result<u32, ApiError> {
    calls.fetch_add(1, Ordering::SeqCst);
    tokio::task::yield_now().await;
    Err(ApiError::Throttled)
}

/// Which of the two settings a call's attempts and waits show, if either.
fn whole(attempts: usize, waits: &[Duration]) -> Option<&'static str> {
    match (attempts, waits) {
        (3, [a, b]) if *a == ms(1) && *b == ms(1) => Some("old"),
        (6, waits) if waits.len() == 5 && waits.iter().all(|w| *w == ms(2)) => Some("new"),
        _ => None,
    }
}

/// Replaces `settings` `flips` times, new and old in turn, then raises `done`.
fn flip(settings: &GlobalSettings<ApiError>, flips: u32, done: &AtomicBool) {
    for flip in 0..flips {
        settings.set_default(if flip % 2 == 0 { new() } else { old() });
        std::thread::sleep(Duration::from_micros(50));
    }
    done.store(true, Ordering::SeqCst);
}

#[test]
fn calls_racing_a_replaced_default_each_see_one_whole_settings() {
    static DONE: AtomicBool = AtomicBool::new(false);
    FLIPPED.set_default(old());
    let start = Arc::new(Barrier::new(5));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                let (mut seen, mut calls) = (HashSet::new(), 0);
                // Until the replacements are over, and at least 200 calls each.
                while !DONE.load(Ordering::SeqCst) || calls < 200 {
                    calls += 1;
                    let service = Service::failing(ApiError::Throttled);
                    let sleeper = RecordingSleeper::new();
                    // Half through the attribute, half through a policy taken per call.
                    let outcome = if worker % 2 == 0 {
                        flipped(&service, &sleeper)
                    } else {
                        FLIPPED
                            .policy()
                            .sleeper(sleeper.clone())
                            .call(|| service.answer())
                    };
                    assert_eq!(outcome, Err(ApiError::Throttled));
                    let waits = sleeper.sleeps();
                    let Some(which) = whole(service.calls.get(), &waits) else {
                        panic!(
                            "a call mixed two settings: {} attempts, waits {waits:?}",
                            service.calls.get()
                        );
                    };
                    seen.insert(which);
                }
                seen
            })
        })
        .collect();
    start.wait();
    flip(&FLIPPED, 400, &DONE);
    let mut seen = HashSet::new();
    for worker in workers {
        seen.extend(worker.join().unwrap());
    }
    assert_eq!(
        seen,
        HashSet::from(["old", "new"]),
        "both settings were seen"
    );
}

#[test]
fn async_calls_racing_a_replaced_default_each_see_one_whole_settings() {
    static DONE: AtomicBool = AtomicBool::new(false);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    FLIPPED_ASYNC.set_default(old());
    let seen = runtime.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                tokio::spawn(async {
                    let (mut seen, mut calls) = (HashSet::new(), 0);
                    while !DONE.load(Ordering::SeqCst) || calls < 50 {
                        calls += 1;
                        let attempted = AtomicU32::new(0);
                        let sleeper = RecordingSleeper::new();
                        let _ = flipped_async(&attempted, &sleeper).await;
                        let attempts = attempted.load(Ordering::SeqCst) as usize;
                        let waits = sleeper.sleeps();
                        let which = whole(attempts, &waits).unwrap_or_else(|| {
                            panic!(
                                "a call mixed two settings: {attempts} attempts, waits {waits:?}"
                            )
                        });
                        seen.insert(which);
                    }
                    seen
                })
            })
            .collect();
        tokio::task::spawn_blocking(|| flip(&FLIPPED_ASYNC, 400, &DONE))
            .await
            .unwrap();
        let mut seen = HashSet::new();
        for task in tasks {
            seen.extend(task.await.unwrap());
        }
        seen
    });
    assert_eq!(seen, HashSet::from(["old", "new"]));
}

// ---- With the rest of a policy ----------------------------------------------------------------

static WITH_KEYS: GlobalSettings<ApiError> = GlobalSettings::new();

// The other keys adjust what the settings set, as they adjust a `policy = ...`.
#[retry(settings = WITH_KEYS, stop = attempts(2), wait = 3ms, sleep = sleeper.clone(), after = |state| seen.lock().unwrap().push(state.attempt()))]
fn with_other_keys(
    service: &Service,
    sleeper: &RecordingSleeper,
    seen: &Mutex<Vec<u32>>,
) -> Result<u32, ApiError> {
    service.answer()
}

static BASE: std::sync::LazyLock<persevere::DynPolicy<u32, ApiError, RecordingSleeper>> =
    std::sync::LazyLock::new(|| {
        Policy::new()
            .named("base")
            .stop(attempts(9))
            .sleeper(RecordingSleeper::new())
            .boxed()
    });

#[retry(policy = &BASE, settings = WITH_KEYS)]
fn settings_over_a_policy(service: &Service) -> Result<u32, ApiError> {
    service.answer()
}

#[test]
fn settings_go_with_every_other_key_and_part() {
    WITH_KEYS.set_default(
        RetrySettings::new()
            .num_max_retries(5)
            .min_retry_delay(ms(1)),
    );
    let (service, sleeper, seen) = (
        Service::failing(RESET),
        RecordingSleeper::new(),
        Mutex::new(vec![]),
    );
    assert_eq!(with_other_keys(&service, &sleeper, &seen), Err(RESET));
    assert_eq!((service.calls.get(), sleeper.sleeps()), (2, vec![ms(3)]));
    assert_eq!(*seen.lock().unwrap(), [1, 2]);
    // Not retried under the settings' condition, whatever the stop.
    let service = Service::failing(INVALID);
    let _ = with_other_keys(&service, &sleeper, &seen);
    assert_eq!(service.calls.get(), 1);

    // Over a whole policy, settings replace its stop, wait and condition, and keep the rest.
    let service = Service::failing(RESET);
    let _ = settings_over_a_policy(&service);
    assert_eq!(service.calls.get(), 6);
    let (_, report) = WITH_KEYS
        .current()
        .policy()
        .named("reported")
        .sleeper(|_: Duration| {})
        .call_reported(|| Err::<u32, _>(ApiError::Throttled));
    assert_eq!((report.attempts(), report.ending()), (6, Ending::Attempts));
}

/// Settings made by a function of the program's own, named without parentheses like a strategy.
fn two_retries() -> RetrySettings<ApiError> {
    RetrySettings::new()
        .num_max_retries(2)
        .backoff_strategy(BackoffStrategy::NoBackoff)
}

#[retry(settings = two_retries)]
fn from_a_function(service: &Service) -> Result<u32, ApiError> {
    service.answer()
}

#[retry(settings = two_retries())]
async fn from_a_call(service: &Service) -> Result<u32, ApiError> {
    service.answer()
}

#[tokio::test]
async fn settings_from_a_function_or_its_result() {
    let service = Service::failing(RESET);
    assert_eq!(from_a_function(&service), Err(RESET));
    assert_eq!(service.calls.get(), 3);
    let service = Service::failing(RESET);
    assert_eq!(from_a_call(&service).await, Err(RESET));
    assert_eq!(service.calls.get(), 3);
}
