//! `#[retry]` on every ordinary function shape. Each function fails a set number of times, then
//! succeeds; the assertions check the result and the number of attempts.

use std::cell::Cell;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU32, Ordering};

use persevere::retry;

#[derive(Debug, Clone, PartialEq)]
struct Flaky(&'static str);

/// Fails while `calls` is below `failures`, counting each call.
fn attempt(calls: &Cell<u32>, failures: u32) -> Result<u32, Flaky> {
    calls.set(calls.get() + 1);
    if calls.get() <= failures {
        Err(Flaky("down"))
    } else {
        Ok(calls.get())
    }
}

#[retry(wait = fixed(0s))]
fn free_sync(calls: &Cell<u32>) -> Result<u32, Flaky> {
    attempt(calls, 2)
}

#[retry(wait = fixed(0s))]
async fn free_async(calls: &Cell<u32>) -> Result<u32, Flaky> {
    attempt(calls, 2)
}

#[test]
fn sync_and_async_free_functions() {
    let calls = Cell::new(0);
    assert_eq!(free_sync(&calls), Ok(3));
    let calls = Cell::new(0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    assert_eq!(runtime.block_on(free_async(&calls)), Ok(3));
}

struct Client {
    calls: Cell<u32>,
    failures: u32,
    max_tries: u32,
    sent: Vec<String>,
}

impl Client {
    fn new(failures: u32, max_tries: u32) -> Self {
        Client {
            calls: Cell::new(0),
            failures,
            max_tries,
            sent: Vec::new(),
        }
    }

    #[retry(stop = attempts(self.max_tries), wait = fixed(0s))]
    fn by_ref(&self) -> Result<u32, Flaky> {
        attempt(&self.calls, self.failures)
    }

    #[retry(stop = attempts(self.max_tries), wait = fixed(0s))]
    fn by_mut(&mut self, text: &str) -> Result<usize, Flaky> {
        self.sent.push(text.to_owned());
        attempt(&self.calls, self.failures).map(|_| self.sent.len())
    }

    #[retry(stop = attempts(self.max_tries), wait = fixed(0s))]
    async fn async_by_mut(&mut self, text: &str) -> Result<usize, Flaky> {
        self.sent.push(text.to_owned());
        attempt(&self.calls, self.failures).map(|_| self.sent.len())
    }

    #[retry(wait = fixed(0s))]
    fn associated(calls: &Cell<u32>) -> Result<Self, Flaky> {
        attempt(calls, 1).map(|_| Client::new(0, 1))
    }
}

#[test]
fn methods_see_self_in_body_and_attribute() {
    let client = Client::new(2, 5);
    assert_eq!(client.by_ref(), Ok(3));

    // `max_tries` read from `self` stops after 2 attempts.
    let client = Client::new(9, 2);
    assert_eq!(client.by_ref(), Err(Flaky("down")));
    assert_eq!(client.calls.get(), 2);

    let mut client = Client::new(1, 3);
    assert_eq!(client.by_mut("hi"), Ok(2));
    assert_eq!(client.sent, ["hi", "hi"]);

    let calls = Cell::new(0);
    assert!(Client::associated(&calls).is_ok());
    assert_eq!(calls.get(), 2);
}

#[tokio::test]
async fn async_mut_self() {
    let mut client = Client::new(2, 4);
    assert_eq!(client.async_by_mut("x").await, Ok(3));
    assert_eq!(client.calls.get(), 3);
}

#[retry(wait = fixed(0s))]
fn generic<T, const N: usize>(items: [T; N], calls: &Cell<u32>) -> Result<usize, Flaky>
where
    T: Clone + Debug,
{
    attempt(calls, 1).map(|_| items.len() + N)
}

#[retry(wait = fixed(0s))]
fn impl_trait_arg(text: impl AsRef<str>, calls: &Cell<u32>) -> Result<usize, Flaky> {
    attempt(calls, 1).map(|_| text.as_ref().len())
}

#[retry(wait = fixed(0s))]
fn with_lifetimes<'a, 'b: 'a>(
    first: &'a str,
    _second: &'b str,
    calls: &Cell<u32>,
) -> Result<&'a str, Flaky> {
    attempt(calls, 1).map(|_| first)
}

#[test]
fn generics_const_generics_impl_trait_and_lifetimes() {
    let calls = Cell::new(0);
    assert_eq!(generic([1, 2, 3], &calls), Ok(6));
    let calls = Cell::new(0);
    assert_eq!(impl_trait_arg("four", &calls), Ok(4));
    let calls = Cell::new(0);
    assert_eq!(with_lifetimes("a", "b", &calls), Ok("a"));
    assert_eq!(calls.get(), 2);
}

trait Sender {
    async fn send(&self, calls: &Cell<u32>) -> Result<u32, Flaky>;
    fn send_sync(&self, calls: &Cell<u32>) -> Result<u32, Flaky>;

    /// A default method body can retry too.
    #[retry(wait = fixed(0s))]
    fn send_default(&self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        attempt(calls, 1)
    }
}

struct Mailer;

impl Sender for Mailer {
    #[retry(wait = fixed(0s))]
    async fn send(&self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        attempt(calls, 2)
    }

    #[retry(wait = fixed(0s))]
    fn send_sync(&self, calls: &Cell<u32>) -> Result<u32, Flaky> {
        attempt(calls, 2)
    }
}

#[tokio::test]
async fn trait_impls_and_default_bodies() {
    let calls = Cell::new(0);
    assert_eq!(Mailer.send(&calls).await, Ok(3));
    let calls = Cell::new(0);
    assert_eq!(Mailer.send_sync(&calls), Ok(3));
    let calls = Cell::new(0);
    assert_eq!(Mailer.send_default(&calls), Ok(2));
}

mod visibility {
    use super::*;

    /// Documented, public, must-use, and still retried.
    #[allow(clippy::double_must_use)] // as clippy reads it without `#[retry]`
    #[must_use]
    #[retry(wait = fixed(0s))]
    #[inline]
    pub fn kept(calls: &Cell<u32>) -> Result<u32, Flaky> {
        attempt(calls, 1)
    }
}

#[test]
fn visibility_docs_and_other_attributes_are_kept() {
    let calls = Cell::new(0);
    assert_eq!(visibility::kept(&calls), Ok(2));
}

#[retry(stop = attempts(3), wait = fixed(0s))]
fn early_return_and_question_mark(
    calls: &Cell<u32>,
    input: &str,
) -> Result<u32, std::num::ParseIntError> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        // `return` ends this attempt only.
        return "not a number".parse::<u32>();
    }
    let value: u32 = input.parse()?;
    Ok(value + calls.get())
}

#[test]
fn return_and_question_mark_end_one_attempt() {
    let calls = Cell::new(0);
    assert_eq!(early_return_and_question_mark(&calls, "40"), Ok(42));
    let calls = Cell::new(0);
    assert!(early_return_and_question_mark(&calls, "x").is_err());
    assert_eq!(calls.get(), 3);
}

#[retry(stop = attempts(2), wait = fixed(0s))]
fn boxed_error(calls: &Cell<u32>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        // Coerces to the declared `Box<dyn Error>` as in an un-annotated function.
        return Err(Box::new(std::io::Error::other("reset")));
    }
    let _: u8 = "300".parse()?;
    Ok(())
}

#[retry(stop = attempts(2), wait = fixed(0s))]
fn io_alias(calls: &Cell<u32>) -> std::io::Result<u32> {
    calls.set(calls.get() + 1);
    Err(std::io::Error::other("down"))
}

#[retry(stop = attempts(2), wait = fixed(0s))]
fn anyhow_alias(calls: &Cell<u32>) -> anyhow::Result<u32> {
    calls.set(calls.get() + 1);
    anyhow::ensure!(calls.get() > 1, "first call fails");
    Ok(calls.get())
}

type Outcome = Result<u8, Flaky>;

#[retry(stop = attempts(2), wait = fixed(0s))]
fn local_alias(calls: &Cell<u32>) -> Outcome {
    attempt(calls, 1).map(|n| n as u8)
}

#[test]
fn result_aliases_and_boxed_errors() {
    let calls = Cell::new(0);
    assert_eq!(
        boxed_error(&calls).unwrap_err().to_string(),
        "number too large to fit in target type"
    );
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(io_alias(&calls).unwrap_err().to_string(), "down");
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert_eq!(anyhow_alias(&calls).unwrap(), 2);
    let calls = Cell::new(0);
    assert_eq!(local_alias(&calls), Ok(2));
}

#[derive(Clone, Debug, PartialEq)]
struct Message(String);

#[retry(stop = attempts(3), wait = fixed(0s), clone(message))]
fn consumes(message: Message, calls: &Cell<u32>) -> Result<String, Flaky> {
    let owned: String = message.0; // moves the attempt's own clone
    attempt(calls, 2).map(|_| owned)
}

#[retry(stop = attempts(3), wait = fixed(0s), clone(message))]
async fn consumes_async(mut message: Message, calls: &Cell<u32>) -> Result<String, Flaky> {
    message.0.push('!'); // each attempt starts from a fresh clone
    attempt(calls, 2).map(|_| message.0)
}

#[derive(Clone)]
struct Request {
    body: String,
}

impl Request {
    #[retry(stop = attempts(2), wait = fixed(0s), clone(self))]
    fn send(self, calls: &Cell<u32>) -> Result<String, Flaky> {
        let body = self.body; // consumes the clone
        attempt(calls, 1).map(|_| format!("{body} ({})", calls.get()))
    }
}

#[tokio::test]
async fn clone_lets_a_body_consume_its_arguments() {
    let calls = Cell::new(0);
    assert_eq!(consumes(Message("hi".into()), &calls), Ok("hi".into()));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(
        consumes_async(Message("hi".into()), &calls).await,
        Ok("hi!".into())
    );
    let calls = Cell::new(0);
    assert_eq!(
        Request {
            body: "ping".into()
        }
        .send(&calls),
        Ok("ping (2)".into())
    );
}

/// A future that is `Send` without the attribute is `Send` with it.
#[retry(wait = fixed(1ms))]
async fn send_future(counter: &AtomicU32) -> Result<u32, String> {
    let seen = counter.fetch_add(1, Ordering::SeqCst);
    tokio::task::yield_now().await;
    if seen < 1 {
        Err("again".into())
    } else {
        Ok(seen)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_futures_stay_send() {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    // `tokio::spawn` demands `Send`: this would not compile otherwise.
    let handle = tokio::spawn(send_future(&COUNTER));
    assert_eq!(handle.await.unwrap(), Ok(1));
}

#[retry]
fn bare(calls: &Cell<u32>) -> Result<(), Flaky> {
    calls.set(calls.get() + 1);
    Err(Flaky("always"))
}

#[test]
fn bare_attribute_is_finite() {
    let calls = Cell::new(0);
    let _skip = persevere::testing::skip_sleeps();
    assert_eq!(bare(&calls), Err(Flaky("always")));
    assert_eq!(calls.get(), 3, "a bare #[retry] makes 3 attempts");
}

/// A one-expression body draws no `unused_braces` warning (CI denies warnings).
#[retry(wait = fixed(0s))]
async fn one_expression() -> Result<u8, Flaky> {
    Ok(1)
}

/// Inner attributes stay at the top of the body.
#[retry(wait = fixed(0s))]
fn with_inner_attribute(calls: &Cell<u32>) -> Result<u32, Flaky> {
    #![allow(clippy::needless_return)]
    return attempt(calls, 1);
}

#[tokio::test]
async fn one_expression_bodies_and_inner_attributes() {
    assert_eq!(one_expression().await, Ok(1));
    let calls = Cell::new(0);
    assert_eq!(with_inner_attribute(&calls), Ok(2));
}

trait Store {
    type Error;
    fn load(&self, calls: &Cell<u32>) -> Result<u32, Self::Error>;
}

struct Disk;

impl Store for Disk {
    type Error = Flaky;

    /// The return type names an associated type, which the expansion writes out inside the body.
    #[retry(wait = fixed(0s))]
    fn load(&self, calls: &Cell<u32>) -> Result<u32, Self::Error> {
        attempt(calls, 1)
    }
}

/// # Safety
/// `pointer` must be valid for reads.
#[retry(wait = fixed(0s))]
unsafe fn read_through(pointer: *const u32, calls: &Cell<u32>) -> Result<u32, Flaky> {
    attempt(calls, 1)?;
    // SAFETY: the caller promises `pointer` is valid for reads.
    Ok(unsafe { *pointer })
}

#[test]
fn associated_types_and_unsafe_functions() {
    let calls = Cell::new(0);
    assert_eq!(Disk.load(&calls), Ok(2));
    let value = 7;
    let calls = Cell::new(0);
    // SAFETY: `value` lives for the whole call.
    assert_eq!(unsafe { read_through(&value, &calls) }, Ok(7));
    assert_eq!(calls.get(), 2);
}
