use persevere::retry;
// Key-level mistakes told with the user's own names.

#[retry(clone = msg)]
fn clone_as_a_key_value(msg: String) -> Result<(), String> { drop(msg); Ok(()) }

#[retry(clone("msg"))]
fn clone_of_a_string(msg: String) -> Result<(), String> { drop(msg); Ok(()) }

#[retry(attempt = "n")]
fn attempt_quoted() -> Result<(), String> { Ok(()) }

#[retry(crate = "persevere")]
fn crate_quoted() -> Result<(), String> { Ok(()) }

#[retry(span)]
fn span_without_value() -> Result<(), String> { Ok(()) }

#[retry(wait = fixed(500MS))]
fn unit_in_capitals() -> Result<(), String> { Ok(()) }


fn is_timeout(_: &String) -> bool { true }
fn is_busy(_: &String) -> bool { true }

#[retry(retry_if = is_timeout, retry_if = is_busy)]
fn two_conditions() -> Result<(), String> { Ok(()) }

#[retry(clone(a), clone(b))]
fn two_clones(a: String, b: String) -> Result<(), String> { drop((a, b)); Ok(()) }

fn main() {}

#[retry(clone(buf))]
fn clone_of_a_mut_reference(buf: &mut Vec<u8>) -> Result<(), String> { buf.push(1); Ok(()) }
