use persevere::budget::RetryBudget;
use persevere::condition::ErrorCode;
use persevere::settings::{GlobalSettings, ServiceError};
use persevere::{retry, DynPolicy, Policy};

#[derive(Debug)]
struct PlainError;

// An error the SDK's default condition cannot read.
static PLAIN: GlobalSettings<PlainError> = GlobalSettings::new();

#[retry(settings = PLAIN)]
fn plain() -> Result<(), PlainError> {
    Err(PlainError)
}

#[derive(Debug)]
struct ApiError;
impl ErrorCode for ApiError {
    fn error_code(&self) -> Option<&str> {
        None
    }
}
impl ServiceError for ApiError {
    fn is_network_error(&self) -> bool {
        false
    }
    fn is_throttled(&self) -> bool {
        false
    }
}

// Not settings at all.
#[retry(settings = 3)]
fn not_settings() -> Result<(), ApiError> {
    Err(ApiError)
}

// A budget the boxed policy could outlive.
fn local_budget() -> DynPolicy<(), ApiError> {
    let budget = RetryBudget::new();
    Policy::new().budget(&budget).boxed()
}

fn main() {
    let _ = plain();
    let _ = not_settings();
    let _ = local_budget();
}
