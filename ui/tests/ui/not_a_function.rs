use persevere::retry;

#[retry]
struct Client;

fn main() {}
