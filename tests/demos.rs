//! Each demo in `examples/`, run against its loopback server with sleeps skipped, asserting what
//! the server saw.

use std::time::Duration;

#[path = "../examples/kms.rs"]
mod kms;

#[test]
fn kms_retries_only_its_two_codes_with_its_backoff() {
    let _skip = persevere::testing::skip_sleeps();
    let report = kms::demo().expect("the demo's server starts");
    assert_eq!(
        report.requests,
        [
            "ENCRYPT secret -> ERR RequestLimitExceeded",
            "ENCRYPT secret -> ERR RequestLimitExceeded",
            "ENCRYPT secret -> ERR InternalError",
            "ENCRYPT secret -> OK terces",
            "ENCRYPT forbidden -> ERR AccessDenied",
        ]
    );
    // 2^n × 100 ms; none before giving up on `AccessDenied`.
    assert_eq!(report.waits, [100, 200, 400].map(Duration::from_millis));
    assert_eq!(
        report.outcomes,
        [
            Ok("terces".to_owned()),
            Err(kms::KmsError::Code("AccessDenied".into()))
        ]
    );
}
