use persevere::retry;

trait Sender {
    #[retry]
    fn send(&self) -> Result<(), String>;
}

fn main() {}
