//! An SDK's retry settings from configuration (`persevere::config::SettingsConfig`): the SDK's
//! own names and values load from TOML, YAML and JSON, as the process-wide default and as one
//! call's options; every bad value is an error placed at it, naming the setting and what to
//! write.

use std::time::Duration;

use persevere::config::{BackoffName, ConditionName, SettingsConfig};
use persevere::settings::{BackoffStrategy, RetryCondition, RetryOptions, RetrySettings};

#[derive(Debug)]
struct ApiError;

/// The SDK chapter's example, its values as written.
const SEED_TOML: &str = r#"
auto_retry = true
num_max_retries = 4
min_retry_delay_ms = 200
max_retry_delay_ms = 6000
backoff_strategy = "ExponentialWithRandomJitterBackoffStrategy"
retry_condition = "DefaultRetryCondition"
retry_error_codes = ["AccessDenied"]
"#;

const SEED_YAML: &str = "
auto_retry: true
num_max_retries: 4
min_retry_delay_ms: 200
max_retry_delay_ms: 6000
backoff_strategy: ExponentialWithRandomJitterBackoffStrategy
retry_condition: DefaultRetryCondition
retry_error_codes: [AccessDenied]
";

const SEED_JSON: &str = r#"{
  "auto_retry": true,
  "num_max_retries": 4,
  "min_retry_delay_ms": 200,
  "max_retry_delay_ms": 6000,
  "backoff_strategy": "ExponentialWithRandomJitterBackoffStrategy",
  "retry_condition": "DefaultRetryCondition",
  "retry_error_codes": ["AccessDenied"]
}"#;

fn seed_config() -> SettingsConfig {
    let mut config = SettingsConfig::default();
    config.auto_retry = Some(true);
    config.num_max_retries = Some(4);
    config.min_retry_delay_ms = Some(200);
    config.max_retry_delay_ms = Some(6000);
    config.backoff_strategy = Some(BackoffName::ExponentialWithRandomJitterBackoffStrategy);
    config.retry_condition = Some(ConditionName::DefaultRetryCondition);
    config.retry_error_codes = Some(vec!["AccessDenied".to_owned()]);
    config
}

#[test]
fn the_seeds_settings_load_from_every_format() {
    let from_toml: SettingsConfig = toml::from_str(SEED_TOML).unwrap();
    let from_yaml: SettingsConfig = serde_norway::from_str(SEED_YAML).unwrap();
    let from_json: SettingsConfig = serde_json::from_str(SEED_JSON).unwrap();
    assert_eq!(from_toml, seed_config());
    assert_eq!(from_yaml, seed_config());
    assert_eq!(from_json, seed_config());

    let settings: RetrySettings<ApiError> = from_toml.settings();
    let expected = RetrySettings::<ApiError>::new()
        .auto_retry(true)
        .num_max_retries(4)
        .min_retry_delay(Duration::from_millis(200))
        .max_retry_delay(Duration::from_millis(6000))
        .backoff_strategy(BackoffStrategy::ExponentialWithRandomJitter)
        .retry_condition(RetryCondition::Default)
        .retry_error_codes(["AccessDenied"]);
    assert_eq!(settings, expected);
}

#[test]
fn each_strategy_loads_by_its_sdk_name() {
    for (name, strategy) in [
        ("NoBackoffStrategy", BackoffStrategy::NoBackoff),
        ("ExponentialBackoffStrategy", BackoffStrategy::Exponential),
        (
            "ExponentialWithRandomJitterBackoffStrategy",
            BackoffStrategy::ExponentialWithRandomJitter,
        ),
    ] {
        let config: SettingsConfig =
            toml::from_str(&format!("backoff_strategy = \"{name}\"")).unwrap();
        let settings: RetrySettings<ApiError> = config.settings();
        assert_eq!(settings.backoff_strategy, strategy);
    }
}

#[test]
fn settings_left_out_keep_their_value() {
    // Over the SDK's defaults.
    let config: SettingsConfig = toml::from_str("num_max_retries = 1").unwrap();
    let settings: RetrySettings<ApiError> = config.settings();
    assert_eq!(settings, RetrySettings::new().num_max_retries(1));

    // As one call's options: only what is written overrides.
    let options: RetryOptions<ApiError> = config.options();
    assert_eq!(options, RetryOptions::new().num_max_retries(1));
    let global = RetrySettings::<ApiError>::new()
        .num_max_retries(4)
        .retry_error_codes(["AccessDenied"]);
    let call = global.overridden_by(&options);
    assert_eq!(call, global.clone().num_max_retries(1));

    // An empty list of codes overrides too: no codes for this call.
    let config: SettingsConfig = serde_json::from_str(r#"{"retry_error_codes": []}"#).unwrap();
    assert!(
        global
            .overridden_by(&config.options())
            .retry_error_codes
            .is_empty()
    );

    // An empty document is the defaults.
    for config in [
        toml::from_str::<SettingsConfig>("").unwrap(),
        serde_json::from_str::<SettingsConfig>("{}").unwrap(),
        serde_norway::from_str::<SettingsConfig>("").unwrap(),
        serde_norway::from_str::<SettingsConfig>("# nothing set\n").unwrap(),
    ] {
        assert_eq!(config, SettingsConfig::default());
        assert_eq!(config.settings::<ApiError>(), RetrySettings::new());
        assert!(config.options::<ApiError>().is_empty());
    }
}

#[test]
fn the_settings_sit_in_a_configuration_of_the_programs_own() {
    #[derive(serde::Deserialize)]
    struct App {
        #[allow(dead_code)]
        endpoint: String,
        retries: SettingsConfig,
    }
    let app: App = toml::from_str(
        "endpoint = \"https://example.test\"\n\n[retries]\nnum_max_retries = 2\nbackoff_strategy = \"NoBackoffStrategy\"\n",
    )
    .unwrap();
    assert_eq!(app.retries.num_max_retries, Some(2));
    let error = toml::from_str::<App>("endpoint = \"x\"\n[retries]\nnum_max_retries = true\n")
        .err()
        .unwrap();
    assert!(error.to_string().contains("line 3, column 19"), "{error}");
}

#[test]
fn written_back_it_reads_the_same() {
    let written = toml::to_string(&seed_config()).unwrap();
    assert_eq!(
        toml::from_str::<SettingsConfig>(&written).unwrap(),
        seed_config()
    );
    let written = serde_json::to_string(&seed_config()).unwrap();
    assert_eq!(
        serde_json::from_str::<SettingsConfig>(&written).unwrap(),
        seed_config()
    );
    assert_eq!(
        serde_json::to_string(&SettingsConfig::default()).unwrap(),
        "{}"
    );
}

/// The line, and the first and last columns (1-based), of `needle`, which occurs once in `text`.
fn place(text: &str, needle: &str) -> (usize, usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "{needle:?} in {text:?}");
    let start = text.find(needle).unwrap();
    let line = text[..start].matches('\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |newline| newline + 1);
    let first = text[line_start..start].chars().count() + 1;
    (line, first, first + needle.chars().count() - 1)
}

/// A bad value for each setting, in TOML with the value at fault on a line of its own after
/// another setting, and the message.
const REFUSALS: &[(&str, &str, &str)] = &[
    (
        "auto_retry = \"yes\"",
        "\"yes\"",
        "`auto_retry` is the string \"yes\"; write `true` or `false`",
    ),
    (
        "num_max_retries = -1",
        "-1",
        "`num_max_retries` is -1; write a whole number of retries after the first attempt, from 0 to 4294967295",
    ),
    (
        "num_max_retries = 4294967296",
        "4294967296",
        "`num_max_retries` is 4294967296; write a whole number of retries after the first attempt, from 0 to 4294967295",
    ),
    (
        "num_max_retries = 4.0",
        "4.0",
        "`num_max_retries` is 4.0; write a whole number of retries after the first attempt, from 0 to 4294967295",
    ),
    (
        "num_max_retries = \"4\"",
        "\"4\"",
        "`num_max_retries` is the string \"4\"; write a whole number of retries after the first attempt, from 0 to 4294967295",
    ),
    (
        "min_retry_delay_ms = \"200ms\"",
        "\"200ms\"",
        "`min_retry_delay_ms` is the string \"200ms\"; write a whole number of milliseconds, from 0 to 18446744073709551615, such as 200",
    ),
    (
        "max_retry_delay_ms = -5",
        "-5",
        "`max_retry_delay_ms` is -5; write a whole number of milliseconds, from 0 to 18446744073709551615, such as 200",
    ),
    (
        "backoff_strategy = \"Exponential\"",
        "\"Exponential\"",
        "`backoff_strategy` is the string \"Exponential\"; write `NoBackoffStrategy`, `ExponentialBackoffStrategy` or `ExponentialWithRandomJitterBackoffStrategy`",
    ),
    (
        "backoff_strategy = \"exponentialbackoffstrategy\"",
        "\"exponentialbackoffstrategy\"",
        "`backoff_strategy` is the string \"exponentialbackoffstrategy\"; write `NoBackoffStrategy`, `ExponentialBackoffStrategy` or `ExponentialWithRandomJitterBackoffStrategy`; did you mean `ExponentialBackoffStrategy`?",
    ),
    (
        "backoff_strategy = 7",
        "7",
        "`backoff_strategy` is 7; write `NoBackoffStrategy`, `ExponentialBackoffStrategy` or `ExponentialWithRandomJitterBackoffStrategy`",
    ),
    (
        "retry_condition = \"CustomRetryCondition\"",
        "\"CustomRetryCondition\"",
        "`retry_condition` is the string \"CustomRetryCondition\"; write `DefaultRetryCondition` (a condition of your own is code: `RetryCondition::custom`)",
    ),
    (
        "retry_error_codes = \"AccessDenied\"",
        "\"AccessDenied\"",
        "`retry_error_codes` is the string \"AccessDenied\"; write a list of error codes, such as [\"AccessDenied\"]",
    ),
    (
        "retry_error_codes = [\"AccessDenied\", 403]",
        "403",
        "`retry_error_codes` lists 403; codes are names in strings, such as \"AccessDenied\"",
    ),
    (
        "retry_error_codes = [\"AccessDenied\", \" \"]",
        "\" \"",
        "`retry_error_codes` lists an empty code; codes are names such as \"AccessDenied\"",
    ),
    (
        "num_max_retires = 4",
        "num_max_retires",
        "unknown setting `num_max_retires`: the retry settings are `auto_retry`, `num_max_retries`, `min_retry_delay_ms`, `max_retry_delay_ms`, `backoff_strategy`, `retry_condition` or `retry_error_codes`; did you mean `num_max_retries`?",
    ),
];

#[test]
fn every_bad_value_is_an_error_at_it_naming_the_setting() {
    for (line, needle, message) in REFUSALS {
        // After another setting, so the value is not on the first line.
        let before = if line.starts_with("max_retry_delay_ms = 100") {
            "min_retry_delay_ms = 200"
        } else if line.starts_with("num_max_retries") {
            "auto_retry = true"
        } else {
            "num_max_retries = 2"
        };
        let text = format!("{before}\n{line}\n");
        let error = toml::from_str::<SettingsConfig>(&text).unwrap_err();
        assert_eq!(error.message(), *message, "{line}");
        assert_eq!(&text[error.span().expect("a span")], *needle, "{line}");
        let (line_number, column, _) = place(&text, needle);
        assert!(
            error
                .to_string()
                .contains(&format!("at line {line_number}, column {column}")),
            "{error}"
        );
    }
}

#[test]
fn a_min_above_the_max_is_placed_at_one_of_them_and_names_both() {
    let message = "`min_retry_delay_ms` (200) is above `max_retry_delay_ms` (100), so every delay would be 100 ms; raise `max_retry_delay_ms` or lower `min_retry_delay_ms`";
    let text = "num_max_retries = 2\nmin_retry_delay_ms = 200\nmax_retry_delay_ms = 100\n";
    let error = toml::from_str::<SettingsConfig>(text).unwrap_err();
    assert_eq!(error.message(), message);
    let at = &text[error.span().unwrap()];
    assert!(at == "200" || at == "100", "{at}");
    // Equal bounds are fine: every delay is that long.
    let config: SettingsConfig =
        toml::from_str("min_retry_delay_ms = 100\nmax_retry_delay_ms = 100").unwrap();
    assert_eq!(
        config.settings::<ApiError>().max_retry_delay,
        Duration::from_millis(100)
    );
}

#[test]
fn yaml_and_json_place_their_errors_too() {
    // YAML: at the value's first character.
    let text = "num_max_retries: 4\nbackoff_strategy: Exponential\n";
    let error = serde_norway::from_str::<SettingsConfig>(text).unwrap_err();
    let location = error.location().unwrap();
    assert_eq!((location.line(), location.column()), (2, 19), "{error}");
    assert!(
        error
            .to_string()
            .contains("`backoff_strategy` is the string \"Exponential\"")
    );

    // JSON: just past the value.
    let text = "{\n  \"num_max_retries\": 4,\n  \"auto_retry\": \"yes\"\n}";
    let error = serde_json::from_str::<SettingsConfig>(text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`auto_retry` is the string \"yes\"; write `true` or `false` at line 3 column 21"
    );

    // A min above the max, at whichever is read second.
    let text = "{\"max_retry_delay_ms\": 100,\n \"min_retry_delay_ms\": 200}";
    let error = serde_json::from_str::<SettingsConfig>(text).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`min_retry_delay_ms` (200) is above `max_retry_delay_ms` (100)"),
        "{error}"
    );
    assert_eq!((error.line(), error.column()), (2, 26));
}

#[test]
fn null_twice_and_a_document_that_is_not_a_table_are_errors() {
    let error = serde_json::from_str::<SettingsConfig>(r#"{"auto_retry": null}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`auto_retry` is null; write `true` or `false`, or leave the setting out")
    );
    let error = serde_norway::from_str::<SettingsConfig>("retry_error_codes:\n").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`retry_error_codes` is null; write a list of error codes"),
        "{error}"
    );
    let error =
        serde_json::from_str::<SettingsConfig>(r#"{"auto_retry": true, "auto_retry": false}"#)
            .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("`auto_retry` is given twice; keep one"),
        "{error}"
    );
    for (text, found) in [("null", "null"), ("[]", "a list"), ("3", "3")] {
        let error = serde_json::from_str::<SettingsConfig>(text).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "the settings are {found}; write a table with any of the settings `auto_retry`"
            )),
            "{error}"
        );
    }
}
