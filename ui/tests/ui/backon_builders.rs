// backon's builders as a wait: one error each, naming what to write here.
use persevere::retry;

#[derive(Debug)]
struct Flaky;

#[retry(wait = ExponentialBuilder::default().with_min_delay(std::time::Duration::from_millis(100)).with_max_times(3))]
fn exponential_builder() -> Result<u32, Flaky> { Ok(1) }

#[retry(wait = ConstantBuilder::default().with_jitter())]
async fn constant_builder() -> Result<u32, Flaky> { Ok(1) }

fn main() {}
