//! `retry_error_codes`: the error codes the default condition retries.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::condition::CodeSet;

/// The error codes to retry (the SDK's `retry_error_codes`), empty by default. A set of
/// strings, built once from any list of them and shared by every call that uses it: looking a
/// code up allocates nothing.
///
/// ```
/// # use persevere_runtime as persevere;
/// use std::collections::HashSet;
/// use persevere::settings::RetryErrorCodes;
///
/// // The SDK's `{"AccessDenied"}`, from a `HashSet<String>`, an array, a `Vec`, a slice…
/// let from_set = RetryErrorCodes::new(HashSet::from(["AccessDenied".to_string()]));
/// let from_array = RetryErrorCodes::new(["AccessDenied"]);
/// assert_eq!(from_set, from_array);
/// assert!(from_set.contains("AccessDenied"));
/// assert!(!from_set.contains("InvalidParameter"));
/// assert!(RetryErrorCodes::none().is_empty());
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RetryErrorCodes {
    /// `None` when empty: the default costs no allocation.
    codes: Option<Arc<BTreeSet<String>>>,
}

impl RetryErrorCodes {
    /// No codes: the default.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// assert!(RetryErrorCodes::none().is_empty());
    /// assert_eq!(RetryErrorCodes::none(), RetryErrorCodes::new(Vec::<String>::new()));
    /// ```
    pub const fn none() -> Self {
        RetryErrorCodes { codes: None }
    }

    /// The codes in `codes`: an array, a slice, a `Vec`, a `HashSet` or a `BTreeSet` of `&str`
    /// or `String`, owned or borrowed, or any iterator of strings. Repeated codes count once.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// let from_config = "AccessDenied, Throttling, AccessDenied";
    /// let codes = RetryErrorCodes::new(from_config.split(',').map(str::trim));
    /// assert_eq!(codes.len(), 2);
    /// ```
    pub fn new<I>(codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let codes: BTreeSet<String> = codes
            .into_iter()
            .map(|code| code.as_ref().to_owned())
            .collect();
        RetryErrorCodes {
            codes: (!codes.is_empty()).then(|| Arc::new(codes)),
        }
    }

    /// Whether `code` is one of them.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// let codes = RetryErrorCodes::new(["AccessDenied"]);
    /// assert!(codes.contains("AccessDenied"));
    /// assert!(!codes.contains("accessdenied")); // codes are matched exactly
    /// ```
    pub fn contains(&self, code: &str) -> bool {
        self.codes
            .as_ref()
            .is_some_and(|codes| codes.contains(code))
    }

    /// Whether there are none.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// assert!(RetryErrorCodes::new([""; 0]).is_empty());
    /// assert!(!RetryErrorCodes::new(["AccessDenied"]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.codes.is_none()
    }

    /// How many there are.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// assert_eq!(RetryErrorCodes::new(["A", "B", "A"]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.codes.as_ref().map_or(0, |codes| codes.len())
    }

    /// The codes, in order.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use persevere::settings::RetryErrorCodes;
    ///
    /// let codes = RetryErrorCodes::new(["Throttling", "AccessDenied"]);
    /// assert_eq!(codes.iter().collect::<Vec<_>>(), ["AccessDenied", "Throttling"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.codes
            .iter()
            .flat_map(|codes| codes.iter().map(String::as_str))
    }
}

/// `error_codes(settings.retry_error_codes.clone())` retries them, as any set of codes.
impl CodeSet for RetryErrorCodes {
    fn has(&self, code: &str) -> bool {
        self.contains(code)
    }
}

impl fmt::Debug for RetryErrorCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}
