//! Hooks run in tenacity's order and number, and `log(level)` writes tenacity's words with
//! structured fields, captured here through a `tracing` layer.

use std::cell::RefCell;
use std::time::Duration;

use persevere::RetryState;
use persevere::retry;
use persevere::sleep::RecordingSleeper;

type Events = RefCell<Vec<String>>;

#[derive(Debug, PartialEq)]
struct Busy(u32);

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "busy #{}", self.0)
    }
}

#[retry(
    stop = attempts(3),
    wait = fixed(2s),
    sleep = sleeper.clone(),
    before = |state| events.borrow_mut().push(format!("before {}", state.attempt())),
    after = |state| events.borrow_mut().push(format!("after {} {}", state.attempt(), state.error().unwrap())),
    before_sleep = |state| events.borrow_mut().push(format!(
        "before_sleep {} {:?} slept {:?}", state.attempt(), state.upcoming_sleep().unwrap(), state.slept()
    )),
    on_give_up = |last, state| {
        events.borrow_mut().push(format!("give_up {}", state.attempt()));
        last
    },
)]
fn always_busy(
    events: &Events,
    sleeper: &RecordingSleeper,
    calls: &RefCell<u32>,
) -> Result<(), Busy> {
    *calls.borrow_mut() += 1;
    events.borrow_mut().push("call".into());
    Err(Busy(*calls.borrow()))
}

#[test]
fn hooks_run_in_tenacitys_order_and_number() {
    let events = Events::default();
    let sleeper = RecordingSleeper::new();
    assert_eq!(
        always_busy(&events, &sleeper, &RefCell::new(0)),
        Err(Busy(3))
    );
    assert_eq!(
        *events.borrow(),
        [
            "before 1",
            "call",
            "after 1 busy #1",
            "before_sleep 1 2s slept 0ns",
            "before 2",
            "call",
            "after 2 busy #2",
            "before_sleep 2 2s slept 2s",
            "before 3",
            "call",
            // `after` runs for the stopping attempt too; `before_sleep` does not.
            "after 3 busy #3",
            "give_up 3",
        ]
    );
}

#[retry(
    stop = attempts(5),
    wait = fixed(0s),
    retry_if = |e| e.0 < 2,
    before = |state| events.borrow_mut().push(format!("before {}", state.attempt())),
    after = |state| events.borrow_mut().push(format!("after {}", state.attempt())),
    on_give_up = |last, _state| { events.borrow_mut().push("give_up".into()); last },
)]
fn declined_on_second(events: &Events, calls: &RefCell<u32>) -> Result<(), Busy> {
    *calls.borrow_mut() += 1;
    Err(Busy(*calls.borrow()))
}

#[test]
fn a_declined_outcome_runs_no_after_and_no_give_up() {
    let events = Events::default();
    assert_eq!(declined_on_second(&events, &RefCell::new(0)), Err(Busy(2)));
    assert_eq!(*events.borrow(), ["before 1", "after 1", "before 2"]);
}

#[retry(
    stop = attempts(2),
    wait = fixed(0s),
    on_give_up = |last, state| last.map_err(|e| Busy(e.0 + 100 * state.attempt())),
)]
fn replaced_on_give_up() -> Result<(), Busy> {
    Err(Busy(1))
}

#[test]
fn on_give_up_can_replace_the_return_value() {
    assert_eq!(replaced_on_give_up(), Err(Busy(201)));
}

fn record_attempt(log: &Events) -> impl Fn(&RetryState<'_, u32, Busy>) + '_ {
    move |state| {
        log.borrow_mut().push(format!(
            "attempt {} elapsed {:?}",
            state.attempt(),
            state.elapsed()
        ))
    }
}

#[retry(stop = attempts(3), wait = fixed(5s), sleep = sleeper.clone(), after = record_attempt(events))]
fn hook_from_a_function(events: &Events, sleeper: &RecordingSleeper) -> Result<u32, Busy> {
    Err(Busy(0))
}

#[test]
fn hooks_can_be_any_expression_and_see_elapsed_time() {
    let events = Events::default();
    let sleeper = RecordingSleeper::new();
    assert!(hook_from_a_function(&events, &sleeper).is_err());
    assert_eq!(
        *events.borrow(),
        [
            "attempt 1 elapsed 0ns",
            "attempt 2 elapsed 5s",
            "attempt 3 elapsed 10s"
        ]
    );
}

#[path = "support/log_capture.rs"]
mod log_capture;

/// The capture hears a callsite that another thread, with no subscriber of its own, reached
/// first while the capture was the only subscriber alive (`tracing` then asks only that thread's
/// default and would cache the callsite as unwanted).
#[test]
fn a_capture_hears_a_callsite_first_reached_on_a_thread_with_no_subscriber() {
    fn line() {
        tracing::warn!("reached first elsewhere");
    }
    let ((), capture) = log_capture::capturing(|| {
        std::thread::spawn(line).join().unwrap();
        line();
    });
    assert_eq!(capture.lines().len(), 1);
}

#[retry(
    stop = attempts(3),
    wait = exponential(min = 4s, max = 10s),
    sleep = sleeper.clone(),
    before = log(debug),
    after = log(info),
    before_sleep = log(warn),
)]
fn send_msg(sleeper: &RecordingSleeper, calls: &RefCell<u32>) -> Result<(), Busy> {
    *calls.borrow_mut() += 1;
    sleeper.advance(Duration::from_millis(1003));
    if *calls.borrow() < 3 {
        Err(Busy(*calls.borrow()))
    } else {
        Ok(())
    }
}

#[test]
fn log_lines_use_tenacitys_wording() {
    let sleeper = RecordingSleeper::new();
    let ((), capture) = log_capture::capturing(|| {
        assert_eq!(send_msg(&sleeper, &RefCell::new(0)), Ok(()));
    });
    let events = capture.0.lock().unwrap().clone();
    let lines: Vec<(tracing::Level, &str)> = events
        .iter()
        .map(|e| (e.level, e.message.as_str()))
        .collect();
    let name = "hooks::send_msg";
    use tracing::Level;
    assert_eq!(
        lines,
        [
            (
                Level::DEBUG,
                format!("Starting call to '{name}', this is the 1st time calling it.").as_str()
            ),
            (
                Level::INFO,
                format!(
                    "Finished call to '{name}' after 1.003(s), this was the 1st time calling it."
                )
                .as_str()
            ),
            (
                Level::WARN,
                format!("Retrying {name} in 4 seconds as it raised busy #1.").as_str()
            ),
            (
                Level::DEBUG,
                format!("Starting call to '{name}', this is the 2nd time calling it.").as_str()
            ),
            (
                Level::INFO,
                format!(
                    "Finished call to '{name}' after 6.006(s), this was the 2nd time calling it."
                )
                .as_str()
            ),
            (
                Level::WARN,
                format!("Retrying {name} in 4 seconds as it raised busy #2.").as_str()
            ),
            (
                Level::DEBUG,
                format!("Starting call to '{name}', this is the 3rd time calling it.").as_str()
            ),
        ]
    );
    // Structured fields next to the words.
    let retrying = &events[2];
    assert_eq!(retrying.fields["function"], name);
    assert_eq!(retrying.fields["attempt"], "1");
    assert_eq!(retrying.fields["delay"], "4s");
    assert_eq!(retrying.fields["error"], "busy #1");
    assert_eq!(events[1].fields["elapsed"], "1.003s");
}

#[test]
fn ordinals() {
    use persevere::hook::ordinal;
    let expected = [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ];
    for (n, text) in expected {
        assert_eq!(ordinal(n), text);
    }
}

mod billing {
    use persevere::retry;

    #[derive(Debug)]
    pub struct Declined;

    impl std::fmt::Display for Declined {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("declined")
        }
    }

    pub struct Gateway;

    impl Gateway {
        #[retry(stop = attempts(2), wait = 1s, sleep = |_| {}, before_sleep = log(warn))]
        pub fn charge(&self) -> Result<(), Declined> {
            Err(Declined)
        }
    }

    #[retry(stop = attempts(2), wait = 1s, sleep = |_| {}, before_sleep = log(warn))]
    pub fn refund() -> Result<(), Declined> {
        Err(Declined)
    }

    pub struct Ledger<T>(pub T);

    impl<T> Ledger<T> {
        #[retry(stop = attempts(2), wait = 1s, sleep = |_| {}, before_sleep = log(warn))]
        pub fn post(&self) -> Result<(), Declined> {
            Err(Declined)
        }
    }

    pub trait Settle {
        fn settle(&self) -> Result<(), Declined>;
    }

    impl Settle for Vec<u8> {
        #[retry(stop = attempts(2), wait = 1s, sleep = |_| {}, before_sleep = log(warn))]
        fn settle(&self) -> Result<(), Declined> {
            Err(Declined)
        }
    }
}

#[test]
fn a_methods_type_is_named_as_type_name_writes_it() {
    use billing::Settle;
    let ((), capture) = log_capture::capturing(|| {
        let _ = billing::Ledger(1_u8).post();
        let _ = billing::Ledger("a").post();
        let _ = Vec::<u8>::new().settle();
    });
    let events = capture.0.lock().unwrap().clone();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e.fields["function"].as_str())
        .collect();
    // Generic arguments included, as README says; the type's own module, where it is defined.
    assert_eq!(
        names,
        [
            "hooks::billing::Ledger<u8>::post",
            "hooks::billing::Ledger<&str>::post",
            "alloc::vec::Vec<u8>::settle",
        ]
    );
}

#[test]
fn log_lines_belong_to_the_callers_module_and_name_methods_with_their_type() {
    let ((), capture) = log_capture::capturing(|| {
        let _ = billing::Gateway.charge();
        let _ = billing::refund();
        let _ = persevere::Policy::new()
            .named("by_policy")
            .wait(Duration::ZERO)
            .sleeper(|_: Duration| {})
            .before_sleep(persevere::hook::log(persevere::hook::Level::Warn))
            .call(|| Err::<(), _>(billing::Declined));
    });
    let events = capture.0.lock().unwrap().clone();
    let lines: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e.target.as_str(),
                e.fields["function"].as_str(),
                e.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "hooks::billing",
                "hooks::billing::Gateway::charge",
                "Retrying hooks::billing::Gateway::charge in 1 seconds as it raised declined."
            ),
            (
                "hooks::billing",
                "hooks::billing::refund",
                "Retrying hooks::billing::refund in 1 seconds as it raised declined."
            ),
            // A policy has no caller's module: its lines come from the runtime's.
            (
                "persevere_runtime::hook::log",
                "by_policy",
                "Retrying by_policy in 0 seconds as it raised declined."
            ),
            (
                "persevere_runtime::hook::log",
                "by_policy",
                "Retrying by_policy in 0 seconds as it raised declined."
            ),
        ]
    );
}

#[retry(
    stop = attempts(3),
    wait = fixed(100us),
    sleep = sleeper.clone(),
    after = log(info),
    before_sleep = log(warn),
    on_finish = log(info),
)]
fn quick(sleeper: &RecordingSleeper) -> Result<(), Busy> {
    sleeper.advance(Duration::from_nanos(1_500));
    Err(Busy(1))
}

#[test]
fn every_log_line_writes_seconds_to_the_microsecond() {
    let sleeper = RecordingSleeper::new();
    let ((), capture) = log_capture::capturing(|| {
        assert_eq!(quick(&sleeper), Err(Busy(1)));
    });
    let lines: Vec<String> = capture.lines().into_iter().map(|(_, _, m)| m).collect();
    let name = "hooks::quick";
    // Attempts of 1.5 µs and waits of 100 µs: elapsed 1.5, 103 and 204.5 µs.
    assert_eq!(
        lines,
        [
            format!(
                "Finished call to '{name}' after 0.000002(s), this was the 1st time calling it."
            ),
            format!("Retrying {name} in 0.0001 seconds as it raised busy #1."),
            format!(
                "Finished call to '{name}' after 0.000103(s), this was the 2nd time calling it."
            ),
            format!("Retrying {name} in 0.0001 seconds as it raised busy #1."),
            format!(
                "Finished call to '{name}' after 0.000205(s), this was the 3rd time calling it."
            ),
            format!(
                "Call to '{name}' ended after 3 attempts (attempts), having slept 0.0002 seconds."
            ),
        ]
    );
}

/// A retried `Ok` value: `log(..)` says it returned a value it retries, for any return type;
/// `log(..).values()` names it by its `Debug` form, as tenacity's `before_sleep_log` does, through
/// the attribute and through `Policy` alike.
#[retry(stop = attempts(2), wait = 1s, sleep = RecordingSleeper::new(), retry_if_ok = |v: &u32| *v == 3, before_sleep = log(warn))]
fn returns_three() -> Result<u32, Busy> {
    Ok(3)
}

#[retry(stop = attempts(2), wait = 1s, sleep = RecordingSleeper::new(), retry_if_ok = |v: &u32| *v == 3, before_sleep = log(warn).values())]
fn returns_three_named() -> Result<u32, Busy> {
    Ok(3)
}

#[test]
fn a_retried_value_is_named_where_the_hook_can_show_it() {
    use persevere::Policy;
    use persevere::hook::{level, log};
    let ((), capture) = log_capture::capturing(|| {
        assert_eq!(returns_three(), Ok(3));
        assert_eq!(returns_three_named(), Ok(3));
        let policy = Policy::new()
            .named("hooks::by_policy")
            .stop(persevere::stop::attempts(2))
            .wait(persevere::wait::fixed(Duration::from_secs(1)))
            .sleeper(RecordingSleeper::new())
            .retry_if_ok(|v: &u32| *v == 3)
            .before_sleep(log(level::warn).values());
        assert_eq!(policy.call(|| Ok::<u32, Busy>(3)), Ok(3));
    });
    let lines: Vec<String> = capture
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|event| event.message.clone())
        .collect();
    assert_eq!(
        lines,
        [
            "Retrying hooks::returns_three in 1 seconds as it returned a value it retries.",
            "Retrying hooks::returns_three_named in 1 seconds as it returned 3.",
            "Retrying hooks::by_policy in 1 seconds as it returned 3.",
        ]
    );
}

/// A wait keeping more histories than a call's memory slots: the strategies past them grow from
/// the previous sleep, and the call says so once, at its first failure, through `Policy` and the
/// attribute alike. Two histories fit, and say nothing.
#[retry(
    stop = attempts(4),
    wait = chain(
        decorrelated_jitter(initial = 1ms, max = 1ms),
        decorrelated_jitter(initial = 2ms, max = 2ms),
        decorrelated_jitter(initial = 3ms, max = 3ms)
    ),
    sleep = sleeper.clone()
)]
fn three_histories(sleeper: &RecordingSleeper) -> Result<(), &'static str> {
    Err("down")
}

#[test]
fn a_wait_with_more_histories_than_a_call_keeps_says_so() {
    use persevere::Policy;
    use persevere::stop::attempts;
    use persevere::wait::{chain, decorrelated_jitter};

    let short = |capture: &log_capture::Capture| {
        capture
            .lines()
            .into_iter()
            .filter(|(_, level, line)| {
                *level == tracing::Level::WARN && line.contains("memory slots")
            })
            .collect::<Vec<_>>()
    };
    let jitter = |ms| {
        decorrelated_jitter()
            .initial(Duration::from_millis(ms))
            .max(Duration::from_millis(ms))
    };
    let sleeper = RecordingSleeper::new();
    let (_, capture) = log_capture::capturing(|| three_histories(&sleeper));
    let lines = short(&capture);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].2.contains("three_histories"), "{lines:?}");
    assert!(lines[0].2.contains("needs 3 memory slots"), "{lines:?}");

    let policy = Policy::new()
        .stop(attempts(4))
        .wait(chain((jitter(1), jitter(2), jitter(3))))
        .sleeper(RecordingSleeper::new());
    let (_, capture) = log_capture::capturing(|| policy.call(|| Err::<(), _>("down")));
    assert_eq!(short(&capture).len(), 1);

    // A call that ends without sleeping (an error not retried, or one attempt) says nothing.
    let unslept = Policy::new()
        .stop(attempts(1))
        .wait(chain((jitter(1), jitter(2), jitter(3))))
        .sleeper(RecordingSleeper::new());
    let (_, capture) = log_capture::capturing(|| unslept.call(|| Err::<(), _>("down")));
    assert!(short(&capture).is_empty());

    let two = Policy::new()
        .stop(attempts(4))
        .wait(chain((jitter(1), jitter(2))))
        .sleeper(RecordingSleeper::new());
    let (_, capture) = log_capture::capturing(|| two.call(|| Err::<(), _>("down")));
    assert!(short(&capture).is_empty());
}

/// `on_give_up` is handed the last outcome by value; its state holds none.
#[retry(
    stop = attempts(2),
    wait = 0s,
    on_give_up = |last, state| {
        assert!(state.error().is_none() && state.value().is_none());
        last.map_err(|e| format!("{e}, after {}", state.attempt()))
    }
)]
fn gives_up_with_its_last_outcome() -> Result<(), String> {
    Err("down".into())
}

#[test]
fn on_give_up_reads_the_outcome_from_its_argument() {
    assert_eq!(
        gives_up_with_its_last_outcome(),
        Err("down, after 2".into())
    );
}
