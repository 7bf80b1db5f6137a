use persevere::retry;

#[retry]
struct Client;

fn main() {}

unsafe extern "C" {
    #[retry]
    fn abs(input: i32) -> i32;
}
