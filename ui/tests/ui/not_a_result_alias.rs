use persevere::retry;

type Count = u32;

#[retry]
fn count() -> Count {
    1
}

fn main() {
    let _ = count();
}
