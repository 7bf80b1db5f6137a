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

fn main() {
    let _ = (table(), io_result());
    let _ = count();
    nothing();
    let _ = pair();
}
