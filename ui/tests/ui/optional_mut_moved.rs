// An optional `&mut` that is not reborrowed for each attempt: bound `mut` (the body may point it
// elsewhere), or under `hedge`. One error each, at the move, saying what to write.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

struct Tx;

fn run(_: Option<&mut Tx>) -> Result<u32, Flaky> {
    Ok(1)
}

async fn run_async(_: Option<&mut Tx>) -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(stop = attempts(3))]
fn rebound(mut tx: Option<&mut Tx>, skip: bool) -> Result<u32, Flaky> {
    if skip {
        tx = None;
    }
    run(tx)
}

trait Sink {}

fn drain(_: Option<&mut dyn Sink>) -> Result<u32, Flaky> {
    Ok(1)
}

#[retry(stop = attempts(3))]
fn rebound_object(mut sink: Option<&mut dyn Sink>, skip: bool) -> Result<u32, Flaky> {
    if skip {
        sink = None;
    }
    drain(sink)
}

#[retry(stop = attempts(3), hedge = 50ms)]
async fn hedged(tx: Option<&mut Tx>) -> Result<u32, Flaky> {
    run_async(tx).await
}

fn main() {}
