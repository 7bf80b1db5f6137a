//! Conditions: predicates, error types through `source()` chains and wrappers, messages, the Ok
//! value, and their algebra, alone and in the attribute.

use std::cell::Cell;
use std::error::Error;
use std::fmt;
use std::io;

use persevere::condition::{
    Condition, always, any_error, error_type, message_contains, message_matches, never, on_error,
    on_ok,
};
use persevere::retry;

#[derive(Debug)]
struct Wrapped(io::Error);

impl fmt::Display for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request failed")
    }
}

impl Error for Wrapped {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

fn err<E>(e: E) -> Result<(), E> {
    Err(e)
}

#[test]
fn error_type_looks_through_the_source_chain_and_wrappers() {
    let io = error_type::<io::Error, _>();
    assert!(io.should_retry(&err(Wrapped(io::Error::other("reset")))));
    assert!(io.should_retry(&err(io::Error::other("reset"))));
    assert!(!io.should_retry(&err(fmt::Error)));

    let boxed: Box<dyn Error + Send + Sync> = Box::new(Wrapped(io::Error::other("reset")));
    assert!(error_type::<io::Error, _>().should_retry(&err(boxed)));
    let unsync: Box<dyn Error> = Box::new(io::Error::other("reset"));
    assert!(error_type::<io::Error, _>().should_retry(&err(unsync)));
    let anyhow = anyhow::Error::new(io::Error::other("reset")).context("while sending");
    assert!(error_type::<io::Error, _>().should_retry(&err(anyhow)));
    let other = anyhow::anyhow!("no io here");
    assert!(!error_type::<io::Error, _>().should_retry(&err(other)));
}

/// `io::Error::other(e)` and `io::Error::new(kind, e)` hold `e`, but their `source()` is `e`'s
/// own: the conditions look at `e` itself too, through the attribute as through `Policy`.
#[test]
fn conditions_see_the_error_an_io_error_wraps() {
    use persevere::condition::{is_connect_error, is_network_error, network};

    let wrapped = || io::Error::other(Wrapped(io::Error::other("inner")));
    assert!(error_type::<Wrapped, _>().should_retry(&err(wrapped())));
    assert!(!error_type::<fmt::Error, _>().should_retry(&err(wrapped())));
    let reset = io::Error::other(io::Error::from(io::ErrorKind::ConnectionReset));
    assert!(is_network_error(&reset));
    assert!(network::<_>().should_retry(&err(reset)));
    let refused = io::Error::new(
        io::ErrorKind::InvalidData,
        io::Error::from(io::ErrorKind::ConnectionRefused),
    );
    assert!(is_connect_error(&refused));

    #[retry(stop = attempts(3), wait = 0s, retry_if = error_type::<Wrapped>())]
    fn wraps(calls: &Cell<u32>) -> Result<(), io::Error> {
        calls.set(calls.get() + 1);
        Err(io::Error::other(Wrapped(io::Error::other("inner"))))
    }
    let calls = Cell::new(0);
    assert!(wraps(&calls).is_err());
    assert_eq!(calls.get(), 3);
}

#[test]
fn messages() {
    assert!(message_contains("try again").should_retry(&err("busy, try again")));
    assert!(!message_contains("try again").should_retry(&err("not found")));
    // Anchored at the start, like Python's re.match.
    let server = message_matches(r"5\d\d\b");
    assert!(server.should_retry(&err("503 Service Unavailable")));
    assert!(!server.should_retry(&err("got 503")));
    // A malformed pattern retries nothing instead of panicking.
    assert!(!message_matches("(unclosed").should_retry(&err("(unclosed")));
}

#[test]
fn algebra_short_circuits() {
    let asked = Cell::new(0);
    let counting = on_error(|_: &&str| {
        asked.set(asked.get() + 1);
        true
    });
    let counting = Counting(counting);
    assert!((on_error(|_: &&str| true) | &counting).should_retry(&err("x")));
    assert_eq!(asked.get(), 0, "`|` stops at the first true");
    assert!(!(on_error(|_: &&str| false) & &counting).should_retry(&err("x")));
    assert_eq!(asked.get(), 0, "`&` stops at the first false");
    assert!((!on_error(|e: &&str| e.is_empty())).should_retry(&err("x")));

    assert!(any_error().should_retry(&err(())));
    assert!(!any_error().should_retry(&Ok::<(), ()>(())));
    assert!(Condition::<(), ()>::should_retry(&always(), &Ok(())));
    assert!(!Condition::<(), ()>::should_retry(&never(), &Err(())));
    // An error predicate is false on a success; a value predicate is false on an error.
    assert!(!on_error(|_: &()| true).should_retry(&Ok::<(), ()>(())));
    assert!(!on_ok(|_: &()| true).should_retry(&Err::<(), ()>(())));
}

// A reference to a condition is a condition too, for the short-circuit test above.
impl<T, E, C: Condition<T, E>> Condition<T, E> for &Counting<C> {
    fn should_retry(&self, outcome: &Result<T, E>) -> bool {
        self.0.should_retry(outcome)
    }
}
struct Counting<C>(C);

#[derive(Debug, PartialEq)]
enum ApiError {
    Status(u16),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ApiError::Status(code) = self;
        write!(f, "{code} from server")
    }
}

/// Throttling and server errors, never other client errors (seed 002).
fn retryable_status(error: &ApiError) -> bool {
    let ApiError::Status(code) = error;
    matches!(code, 408 | 429 | 500 | 502 | 503 | 504)
}

#[retry(stop = attempts(5), wait = fixed(0s), retry_if = on_error(retryable_status) & !message_contains("504"))]
fn call_api(codes: &[u16], calls: &Cell<usize>) -> Result<(), ApiError> {
    let code = codes[calls.get()];
    calls.set(calls.get() + 1);
    if code == 200 {
        Ok(())
    } else {
        Err(ApiError::Status(code))
    }
}

#[retry(stop = attempts(3), wait = fixed(0s), retry_if = error_type::<io::Error>())]
fn read_config(calls: &Cell<usize>) -> anyhow::Result<String> {
    calls.set(calls.get() + 1);
    Err(anyhow::Error::new(io::Error::other("disk")).context("reading config"))
}

#[test]
fn conditions_in_the_attribute() {
    let calls = Cell::new(0);
    assert_eq!(call_api(&[503, 429, 200], &calls), Ok(()));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(
        call_api(&[503, 404, 200], &calls),
        Err(ApiError::Status(404))
    );
    assert_eq!(calls.get(), 2, "404 is never retried");
    let calls = Cell::new(0);
    assert_eq!(call_api(&[504, 200], &calls), Err(ApiError::Status(504)));
    let calls = Cell::new(0);
    assert!(read_config(&calls).is_err());
    assert_eq!(calls.get(), 3);
}

#[test]
fn not_negates_within_what_its_condition_is_about() {
    let fatal = on_error(|e: &&str| e.starts_with("fatal"));
    // The errors that are not fatal, and still no `Ok`.
    assert!((!fatal).should_retry(&err("busy")));
    assert!(!(!fatal).should_retry(&err("fatal: bad request")));
    assert!(!(!fatal).should_retry(&Ok::<(), &str>(())));
    // The values that are not done; `on_ok` declines every error, so `!` retries every error.
    let done = on_ok(|status: &&str| *status == "done");
    assert!((!done).should_retry(&Ok::<&str, ()>("pending")));
    assert!(!(!done).should_retry(&Ok::<&str, ()>("done")));
    assert!((!done).should_retry(&Err::<&str, ()>(())));
}

#[retry(stop = attempts(5), wait = fixed(0s), retry_if = on_ok(|n: &u32| *n < 3))]
fn counts_up(calls: &Cell<u32>) -> Result<u32, ()> {
    calls.set(calls.get() + 1);
    Ok(calls.get())
}

#[retry(stop = attempts(3), wait = fixed(0s), retry_if = always())]
fn retries_even_success(calls: &Cell<u32>) -> Result<u32, ()> {
    calls.set(calls.get() + 1);
    Ok(calls.get())
}

#[retry(stop = attempts(5), wait = fixed(0s), retry_if = !on_error(|e: &&str| e.starts_with("fatal")))]
fn succeeds_second(calls: &Cell<u32>) -> Result<u32, &'static str> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        Err("busy")
    } else {
        Ok(calls.get())
    }
}

#[test]
fn conditions_on_ok_values_work_in_the_attribute() {
    let calls = Cell::new(0);
    assert_eq!(counts_up(&calls), Ok(3));
    let calls = Cell::new(0);
    assert_eq!(retries_even_success(&calls), Ok(3));
    // A negated error condition does not retry the success.
    let calls = Cell::new(0);
    assert_eq!(succeeds_second(&calls), Ok(2));
}

#[test]
fn message_matches_stays_anchored_whatever_the_pattern_holds() {
    // Only valid inside the anchoring group: rejected, not matched anywhere in the message.
    assert!(persevere::condition::MessageMatches::new("x)|(503").is_err());
    let injected = message_matches("x)|(503");
    assert!(!injected.should_retry(&Err::<(), &str>("got 503 from upstream")));
    assert!(message_matches("503").should_retry(&Err::<(), &str>("503 from upstream")));
    // A verbose pattern may end in a comment, and stays anchored.
    let verbose = message_matches(r"(?x) 5\d\d  # a server error");
    assert!(verbose.should_retry(&Err::<(), &str>("503 Service Unavailable")));
    assert!(!verbose.should_retry(&Err::<(), &str>("got 503 from upstream")));
    // Alternatives are all anchored, whichever comes first in the message.
    let either = message_matches("timeout|reset");
    assert!(either.should_retry(&Err::<(), &str>("reset by peer, after a timeout")));
    assert!(!either.should_retry(&Err::<(), &str>("connection reset")));
}

// ---- Error codes from any collection, by value and by reference ----

mod codes {
    use std::cell::Cell;
    use std::collections::{BTreeSet, HashSet};
    use std::hash::BuildHasherDefault;
    use std::sync::LazyLock;
    use std::time::Duration;

    use persevere::Policy;
    use persevere::condition::{CodeSet, ErrorCode, error_codes};
    use persevere::retry;
    use persevere::stop::attempts;

    #[derive(Debug, Clone, PartialEq)]
    pub struct KmsError(pub &'static str);

    impl ErrorCode for KmsError {
        fn error_code(&self) -> Option<&str> {
            Some(self.0)
        }
    }

    /// The codes the script answers with, in order: two retried, then one that is not.
    const SCRIPT: [&str; 4] = [
        "InternalError",
        "RequestLimitExceeded",
        "AccessDenied",
        "InternalError",
    ];

    fn answer(calls: &Cell<usize>) -> Result<(), KmsError> {
        let code = SCRIPT[calls.get().min(SCRIPT.len() - 1)];
        calls.set(calls.get() + 1);
        Err(KmsError(code))
    }

    /// Runs the script under `error_codes(codes)`: the call stops at `AccessDenied`, the third.
    fn through_policy<S: CodeSet>(codes: S) -> (Result<(), KmsError>, usize) {
        let calls = Cell::new(0);
        let outcome = Policy::new()
            .stop(attempts(10))
            .wait(Duration::ZERO)
            .sleeper(|_: Duration| {})
            .retry_if(error_codes(codes))
            .call(|| answer(&calls));
        (outcome, calls.get())
    }

    const STOPS_AT_DENIED: (Result<(), KmsError>, usize) = (Err(KmsError("AccessDenied")), 3);

    #[test]
    // Each collection is passed by reference on purpose, Copy arrays included.
    #[allow(clippy::needless_borrows_for_generic_args)]
    fn every_collection_by_value_and_by_reference() {
        let listed = ["InternalError", "RequestLimitExceeded"];
        let strs: Vec<&str> = listed.to_vec();
        let strings: Vec<String> = listed.iter().map(|code| code.to_string()).collect();
        let hash_strs: HashSet<&str> = listed.into_iter().collect();
        let hash_strings: HashSet<String> = strings.iter().cloned().collect();
        let tree_strs: BTreeSet<&str> = listed.into_iter().collect();
        let tree_strings: BTreeSet<String> = strings.iter().cloned().collect();
        let other_hasher: HashSet<String, BuildHasherDefault<std::hash::DefaultHasher>> =
            strings.iter().cloned().collect();
        let boxed: Box<[String]> = strings.clone().into_boxed_slice();
        let shared: std::sync::Arc<HashSet<String>> = std::sync::Arc::new(hash_strings.clone());

        assert_eq!(through_policy(listed), STOPS_AT_DENIED);
        assert_eq!(through_policy(&listed), STOPS_AT_DENIED);
        assert_eq!(through_policy(&listed[..]), STOPS_AT_DENIED);
        assert_eq!(through_policy(&strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(&strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(&strings[..]), STOPS_AT_DENIED);
        assert_eq!(through_policy(strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(&hash_strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(hash_strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(&hash_strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(hash_strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(&tree_strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(tree_strs), STOPS_AT_DENIED);
        assert_eq!(through_policy(&tree_strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(tree_strings), STOPS_AT_DENIED);
        assert_eq!(through_policy(other_hasher), STOPS_AT_DENIED);
        assert_eq!(through_policy(boxed), STOPS_AT_DENIED);
        assert_eq!(through_policy(shared), STOPS_AT_DENIED);
        assert_eq!(through_policy(&STATIC_SET), STOPS_AT_DENIED);

        // An empty set retries nothing: the first error comes back.
        let none: HashSet<String> = HashSet::new();
        assert_eq!(through_policy(&none), (Err(KmsError("InternalError")), 1));
        assert_eq!(
            through_policy(BTreeSet::<&str>::new()),
            (Err(KmsError("InternalError")), 1)
        );
    }

    #[test]
    fn sets_look_codes_up_exactly() {
        let set: HashSet<String> = ["InternalError".to_string()].into();
        assert!(set.has("InternalError"));
        assert!(!set.has("internalerror"));
        assert!(!set.has("Internal"));
        assert!(!set.has(""));
        let tree: BTreeSet<&str> = ["InternalError"].into();
        assert!(tree.has("InternalError"));
        assert!(!tree.has("InternalErrors"));
    }

    static STATIC_SET: LazyLock<HashSet<String>> = LazyLock::new(|| {
        ["InternalError", "RequestLimitExceeded"]
            .map(String::from)
            .into()
    });

    static STATIC_TREE: LazyLock<BTreeSet<&'static str>> =
        LazyLock::new(|| ["InternalError", "RequestLimitExceeded"].into());

    #[retry(stop = attempts(10), wait = 0s, retry_if = error_codes(&STATIC_SET))]
    fn from_a_static_hash_set(calls: &Cell<usize>) -> Result<(), KmsError> {
        answer(calls)
    }

    #[retry(stop = attempts(10), wait = 0s, retry_if = error_codes(&STATIC_TREE))]
    fn from_a_static_tree(calls: &Cell<usize>) -> Result<(), KmsError> {
        answer(calls)
    }

    #[retry(stop = attempts(10), wait = 0s, retry_if = error_codes(codes.clone()))]
    fn from_a_cloned_parameter(
        codes: &HashSet<String>,
        calls: &Cell<usize>,
    ) -> Result<(), KmsError> {
        answer(calls)
    }

    #[retry(stop = attempts(10), wait = 0s, retry_if = error_codes(codes))]
    fn from_a_borrowed_parameter(
        codes: &BTreeSet<String>,
        calls: &Cell<usize>,
    ) -> Result<(), KmsError> {
        answer(calls)
    }

    #[retry(stop = attempts(10), wait = 0s, retry_if = error_codes(codes.clone()))]
    async fn from_a_cloned_parameter_async(
        codes: &HashSet<&'static str>,
        calls: &Cell<usize>,
    ) -> Result<(), KmsError> {
        answer(calls)
    }

    #[test]
    fn sets_in_the_attribute() {
        let calls = Cell::new(0);
        assert_eq!(
            (from_a_static_hash_set(&calls), calls.get()),
            STOPS_AT_DENIED
        );
        let calls = Cell::new(0);
        assert_eq!((from_a_static_tree(&calls), calls.get()), STOPS_AT_DENIED);

        let codes: HashSet<String> = ["InternalError", "RequestLimitExceeded"]
            .map(String::from)
            .into();
        let calls = Cell::new(0);
        assert_eq!(
            (from_a_cloned_parameter(&codes, &calls), calls.get()),
            STOPS_AT_DENIED
        );
        // Only the first code listed: the second answer is not retried.
        let codes: BTreeSet<String> = ["InternalError".to_string()].into();
        let calls = Cell::new(0);
        assert_eq!(
            (from_a_borrowed_parameter(&codes, &calls), calls.get()),
            (Err(KmsError("RequestLimitExceeded")), 2)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn sets_in_the_attribute_of_an_async_fn() {
        let codes: HashSet<&'static str> = ["InternalError", "RequestLimitExceeded"].into();
        let calls = Cell::new(0);
        assert_eq!(
            (
                from_a_cloned_parameter_async(&codes, &calls).await,
                calls.get()
            ),
            STOPS_AT_DENIED
        );
    }
}

/// `network()` combines and negates as every condition does (README's condition table).
#[test]
fn network_combines_and_negates() {
    use persevere::condition::network;
    let refused = || err(io::Error::from(io::ErrorKind::ConnectionRefused));
    let denied = || err(io::Error::from(io::ErrorKind::PermissionDenied));
    let not_network = !network();
    assert!(!not_network.should_retry(&refused()));
    assert!(not_network.should_retry(&denied()));
    let or_message = network() | message_contains("denied");
    assert!(or_message.should_retry(&refused()));
    assert!(or_message.should_retry(&denied()));
    let both = network() & message_contains("refused");
    assert!(both.should_retry(&refused()));
    assert!(!both.should_retry(&denied()));
}

#[retry(retry_if = !network, stop = persevere::stop::attempts(3), wait = 0s)]
fn unless_network(calls: &Cell<u32>, kind: io::ErrorKind) -> io::Result<()> {
    calls.set(calls.get() + 1);
    Err(io::Error::from(kind))
}

#[retry(retry_if = network() | message_contains("denied"), stop = persevere::stop::attempts(3), wait = 0s)]
fn network_or_denied(calls: &Cell<u32>, kind: io::ErrorKind) -> io::Result<()> {
    calls.set(calls.get() + 1);
    Err(io::Error::from(kind))
}

#[test]
fn network_combines_and_negates_in_the_attribute() {
    let calls = Cell::new(0);
    assert!(unless_network(&calls, io::ErrorKind::ConnectionReset).is_err());
    assert_eq!(calls.get(), 1);
    let calls = Cell::new(0);
    assert!(unless_network(&calls, io::ErrorKind::PermissionDenied).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(network_or_denied(&calls, io::ErrorKind::PermissionDenied).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(network_or_denied(&calls, io::ErrorKind::InvalidData).is_err());
    assert_eq!(calls.get(), 1);
}

/// `!` of an erased condition on errors keeps to errors, as `!` of the condition itself does:
/// the erased part keeps its type's answer that it never retries a value.
#[test]
fn the_negation_of_an_erased_condition_on_errors_retries_no_value() {
    use persevere::condition::{Condition, Not, on_error};
    use persevere::erased::DynCondition;

    let fatal: DynCondition<u32, &str> = DynCondition::new(on_error(|e: &&str| *e == "fatal"));
    let not_fatal = Not(fatal);
    assert!(!not_fatal.should_retry(&Ok(1)));
    assert!(not_fatal.should_retry(&Err("busy")));
    assert!(!not_fatal.should_retry(&Err("fatal")));

    let calls = std::cell::Cell::new(0);
    let outcome = persevere::Policy::new()
        .stop(persevere::stop::attempts(3))
        .wait(std::time::Duration::ZERO)
        .retry_if(not_fatal)
        .call(|| {
            calls.set(calls.get() + 1);
            Ok::<u32, &str>(7)
        });
    assert_eq!((outcome, calls.get()), (Ok(7), 1));
}

/// tenacity's `retry_if_exception_message(message=..)`, `retry_if_exception_cause_type` and
/// `retry_unless_exception_type`, as their compile errors say to write them, through the attribute
/// and `Policy`.
mod tenacitys_conditions_as_written_here {
    use super::*;
    use persevere::Policy;
    use persevere::condition::message_is;
    use persevere::stop::attempts;

    #[retry(stop = attempts(3), wait = 0s, retry_if = message_is("busy"))]
    fn exact(calls: &Cell<u32>, message: &'static str) -> Result<u32, String> {
        calls.set(calls.get() + 1);
        Err(message.to_owned())
    }

    #[test]
    fn message_is_retries_an_error_whose_whole_text_is_the_message() {
        for (message, calls) in [("busy", 3), ("not busy", 1), ("busy now", 1), ("", 1)] {
            let counted = Cell::new(0);
            let _ = exact(&counted, message);
            assert_eq!(counted.get(), calls, "{message:?}");
            let condition = message_is("busy");
            assert_eq!(
                condition.should_retry(&err(message)),
                calls == 3,
                "{message:?}"
            );
        }
        assert!(!message_is("").should_retry(&Ok::<(), &str>(())));
        assert!(message_is("").should_retry(&err("")));
        assert!(message_is(String::from("a 5")).should_retry(&err(format_args!("a {}", 5))));
    }

    #[retry(stop = attempts(3), wait = 0s, retry_if = error_type::<io::Error>().in_causes())]
    fn caused(calls: &Cell<u32>, wrapped: bool) -> Result<u32, Box<dyn Error + Send + Sync>> {
        calls.set(calls.get() + 1);
        let reset = io::Error::other("reset");
        Err(if wrapped {
            Box::new(Wrapped(reset))
        } else {
            Box::new(reset)
        })
    }

    #[test]
    fn in_causes_looks_below_the_error_only() {
        for (wrapped, calls) in [(true, 3), (false, 1)] {
            let counted = Cell::new(0);
            let _ = caused(&counted, wrapped);
            assert_eq!(counted.get(), calls);
        }
        let in_causes = error_type::<io::Error, _>().in_causes();
        assert!(in_causes.should_retry(&err(Wrapped(io::Error::other("reset")))));
        assert!(!in_causes.should_retry(&err(io::Error::other("reset"))));
        // An `io::Error` holding an `io::Error` is caused by it.
        assert!(in_causes.should_retry(&err(io::Error::other(io::Error::other("reset")))));
        assert!(!in_causes.should_retry(&Ok::<(), io::Error>(())));
    }

    #[retry(stop = attempts(3), wait = 0s, retry_if = !error_type::<io::Error>() | on_ok(|_| true))]
    fn unless(
        calls: &Cell<u32>,
        outcome: fn() -> Result<u32, Box<dyn Error + Send + Sync>>,
    ) -> Result<u32, Box<dyn Error + Send + Sync>> {
        calls.set(calls.get() + 1);
        outcome()
    }

    #[test]
    fn unless_an_error_type_retries_every_ok_and_every_other_error() {
        let io_error: fn() -> Result<u32, Box<dyn Error + Send + Sync>> =
            || Err(io::Error::other("reset").into());
        let other_error: fn() -> Result<u32, Box<dyn Error + Send + Sync>> =
            || Err("not io".into());
        for (outcome, calls) in [(io_error, 1), (other_error, 3), (|| Ok(1), 3)] {
            let counted = Cell::new(0);
            let _ = unless(&counted, outcome);
            assert_eq!(counted.get(), calls);
            let policy = Policy::new()
                .stop(attempts(3))
                .wait(std::time::Duration::ZERO)
                .retry_if(!error_type::<io::Error, _>() | on_ok(|_: &u32| true));
            let counted = Cell::new(0);
            let _ = policy.call(|| {
                counted.set(counted.get() + 1);
                outcome()
            });
            assert_eq!(counted.get(), calls);
        }
    }
}
