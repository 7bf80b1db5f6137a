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

fn main() {
    let _ = count();
    nothing();
    let _ = pair();
}
