// A `Pin<&mut Self>` passed on by value: each attempt would need it again, and a pin of a `&mut`
// is reborrowed with `.as_mut()`, not cloned.
use std::pin::Pin;

use persevere::retry;

struct Buffer(Vec<u8>);

fn length(buffer: Pin<&mut Buffer>) -> Result<usize, String> {
    Ok(buffer.get_mut().0.len())
}

impl Buffer {
    #[retry]
    fn measured(self: Pin<&mut Self>) -> Result<usize, String> {
        length(self)
    }
}

fn main() {}
