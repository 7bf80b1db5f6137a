//! Compile errors: each bad input is rejected with a spanned, readable message, and the function
//! is still emitted so callers raise no second error. Snapshots are in `tests/ui/*.stderr`.

#[test]
fn compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
