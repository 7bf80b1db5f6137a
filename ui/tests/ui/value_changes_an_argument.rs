use persevere::retry;
// A value runs between attempts and reads the arguments through shared references: changing one
// is one error, at the place, saying what to write.

#[derive(Debug)]
struct ApiError;

#[retry(after = |_| *count += 1)]
fn counts_failures(count: &mut u32) -> Result<(), ApiError> {
    let _ = count;
    Ok(())
}

struct Client {
    sent: u32,
}

impl Client {
    #[retry(before = |_| self.sent += 1)]
    fn send(&mut self) -> Result<(), ApiError> {
        Ok(())
    }
}

// A name the value binds itself is its own: this compiles.
#[retry(after = |_| {
    let mut count = 0;
    count += 1;
    let _ = count;
})]
fn own_local(count: &mut u32) -> Result<(), ApiError> {
    let _ = count;
    Ok(())
}

fn main() {
    let _ = counts_failures(&mut 0);
    let _ = Client { sent: 0 }.send();
    let _ = own_local(&mut 0);
}

#[retry(retry_if = |outcome: &Result<(), ApiError>| outcome.is_err())]
fn condition_on_the_outcome() -> Result<(), ApiError> {
    Ok(())
}

#[retry(span = "true")]
fn span_quoted() -> Result<(), ApiError> {
    Ok(())
}
