use persevere::retry;

#[retry]
fn count() -> u32 {
    1
}

#[retry]
fn nothing() {}

#[retry]
fn pair() -> (u32, u32) {
    (1, 2)
}

// A path into the standard library names its item: only its `Result`s are results.
#[retry]
fn table() -> std::collections::HashMap<u32, u32> {
    Default::default()
}

#[retry]
fn io_result() -> std::io::Result<u32> {
    Ok(1)
}

// A type of the user's, with generics or a path: one error, where the runtime's types say it.
struct Page<T>(T);

#[retry]
fn paged() -> Page<u8> {
    Page(1)
}

mod types {
    pub type Count = u32;
}

#[retry]
fn counted() -> types::Count {
    1
}

// A hand-boxed future: one error, which says to write an `async fn`.
use std::future::Future;
use std::pin::Pin;

#[retry]
fn boxed() -> Pin<Box<dyn Future<Output = Result<u32, String>> + Send>> {
    Box::pin(async { Ok(1) })
}

fn main() {
    let _ = boxed();
    let _ = (paged(), counted());
    let _ = (table(), io_result());
    let _ = count();
    nothing();
    let _ = pair();
}
