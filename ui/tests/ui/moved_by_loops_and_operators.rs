use persevere::retry;
// A by-value argument consumed by a `for` loop or an operator: one error each, at the move,
// naming `clone(..)`.

fn send(_: &str) -> Result<(), String> {
    Ok(())
}

#[retry(stop = attempts(2))]
fn each(items: Vec<String>) -> Result<(), String> {
    for item in items {
        send(&item)?;
    }
    Ok(())
}

#[retry(stop = attempts(2))]
fn joined(base: String) -> Result<(), String> {
    let url = base + "/path";
    send(&url)
}

// Copy arguments and references are left alone.
#[retry(stop = attempts(2))]
fn copies(n: u32, items: &[String], range: std::ops::Range<u32>) -> Result<u32, String> {
    let mut total = n + 1;
    for item in items {
        send(item)?;
    }
    for i in range.clone() {
        total += i;
    }
    Ok(total + range.len() as u32)
}

fn main() {
    let _ = (each(Vec::new()), joined(String::new()), copies(1, &[], 0..2));
}
