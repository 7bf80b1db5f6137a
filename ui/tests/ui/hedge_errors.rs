use persevere::retry;

// A blocking body cannot run twice at once.
#[retry(hedge = 50ms)]
fn blocking() -> Result<(), String> {
    Ok(())
}

struct Cache {
    hits: u32,
}

impl Cache {
    // Two attempts would change `self` together.
    #[retry(hedge = 50ms)]
    async fn refresh(&mut self) -> Result<(), String> {
        self.hits += 1;
        Ok(())
    }
}

// Nor may they share a `&mut` argument.
#[retry(hedge = after(50ms).max_in_flight(3))]
async fn fill(buffer: &mut Vec<u8>, key: &str) -> Result<(), String> {
    buffer.extend_from_slice(key.as_bytes());
    Ok(())
}

// The setting without the hedge it sets.
#[retry(hedge = max_in_flight(3))]
async fn setting_alone() -> Result<(), String> {
    Ok(())
}

// Hedged attempts overlap: there is no one attempt to read, nor turns to take.
#[retry(hedge = 50ms, attempt = this, clone(name))]
async fn greet(name: String) -> Result<String, String> {
    let _ = this;
    Ok(name)
}

// The same, named in a printing macro first.
#[retry(hedge = 50ms)]
async fn page_logged(mut offset: u32) -> Result<u32, String> {
    println!("{}", offset);
    offset += 10;
    Ok(offset)
}

// A `mut` argument the body changes: overlapping attempts would change it together.
#[retry(hedge = 50ms)]
async fn page(mut offset: u32) -> Result<u32, String> {
    offset += 10;
    Ok(offset)
}

// A field of a `mut` argument, and of a `mut self`, changed by the body.
#[derive(Clone, Copy)]
struct Page {
    offset: u32,
}

#[retry(hedge = 50ms)]
async fn page_field(mut page: Page) -> Result<u32, String> {
    page.offset += 10;
    Ok(page.offset)
}

impl Page {
    #[retry(hedge = 50ms)]
    async fn next(mut self) -> Result<u32, String> {
        self.offset += 10;
        Ok(self.offset)
    }
}

// A value that is neither a delay nor a hedge.
#[retry(hedge = "fast")]
async fn wrong_kind() -> Result<(), String> {
    Ok(())
}

fn main() {
    let _ = blocking();
    let _ = fill(&mut Vec::new(), "k");
    let _ = greet(String::new());
    let _ = wrong_kind();
    let _ = Cache { hits: 0 }.hits;
}

struct Client;

impl Client {
    // Consumed `self`: `clone(self)` is refused with `hedge`, so the advice is to borrow it or
    // move a copy.
    #[retry(hedge = 50ms)]
    async fn consume(self) -> Result<(), String> {
        drop(self);
        Ok(())
    }
}

fn deliver(_: String) -> Result<(), String> {
    Ok(())
}

// A moved argument: the advice is to borrow or copy it in the body, not `clone(..)`.
#[retry(hedge = 50ms)]
async fn send(msg: String) -> Result<(), String> {
    deliver(msg)
}

// Given alone to `vec!`: taken for the standard one's move under `hedge`, where rustc's own
// report would name the hedge's internals.
#[retry(hedge = 50ms)]
async fn batch(msg: String) -> Result<usize, String> {
    let batch = vec![msg];
    Ok(batch.len())
}
