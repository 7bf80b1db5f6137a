// `name` holds a string: a function's path is told to be quoted, and an argument that the name
// is the function's, the same for every call. One error each.
use persevere::retry;

struct Db;

impl Db {
    fn connect() -> Result<(), String> {
        Ok(())
    }

    #[retry(name = self)]
    fn by_self(&self) -> Result<(), String> {
        Ok(())
    }
}

#[retry(name = Db::connect)]
fn name_as_a_path() -> Result<(), String> {
    Db::connect()
}

#[retry(name = label)]
fn name_from_an_argument(label: &'static str) -> Result<usize, String> {
    Ok(label.len())
}

const NAMES: [&str; 2] = ["a", "b"];

#[retry(name = NAMES[at])]
fn name_indexed_by_an_argument(at: usize) -> Result<usize, String> {
    Ok(at)
}

fn main() {}
