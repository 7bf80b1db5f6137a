//! An error handler as read from a file: its handlers in order, each with its filters,
//! `max_retries` and backoff strategies, and the decision they make for one outcome.

use std::sync::Arc;

use crate::config::handler::actions::Action;
use crate::config::handler::backoff::Backoff;
use crate::config::handler::filters::{ResponseFilter, default_action};
use crate::config::handler::response::Seen;

/// The connector's error handler, read from configuration: one handler, or a composite of
/// several tried in order (see the [module documentation](crate::config::handler) for the
/// format). Every value is checked while the file is read, so a handler that deserializes is
/// ready: [`errors`](Self::errors) and [`outcomes`](Self::outcomes) give its condition, wait,
/// stop and whole policy.
///
/// [`Default`] is the connector's default handler: 5xx and 429 retried up to 5 times, with
/// exponential backoff (10 s, 20 s, 40 s, …), any other error failing at once.
///
/// Cloning one is cheap (the handlers are shared).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::handler::{Action, ErrorHandler};
///
/// let yaml = r#"
/// type: "CompositeErrorHandler"
/// error_handlers:
///   - response_filters:
///       - predicate: "{{ 'code' in response }}"
///         action: RETRY
///     backoff_strategies:
///       - type: "ConstantBackoffStrategy"
///         backoff_time_in_seconds: 5
///   - response_filters:
///       - http_codes: [ 403 ]
///         action: RETRY
///     backoff_strategies:
///       - type: "ExponentialBackoffStrategy"
/// "#;
/// let handler: ErrorHandler = serde_norway::from_str(yaml)?;
/// assert!(handler.is_composite());
/// assert_eq!(handler.handlers().len(), 2);
/// assert_eq!(handler.handlers()[1].response_filters()[0].http_codes(), [403]);
/// assert_eq!(handler.handlers()[1].max_retries(), 5);
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorHandler {
    pub(crate) handlers: Arc<[Handler]>,
    pub(crate) composite: bool,
}

/// One handler: its filters, in order, its `max_retries`, and its backoff strategies, tried
/// in order.
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::handler::ErrorHandler;
///
/// let handler: ErrorHandler = serde_norway::from_str("
/// response_filters:
///   - http_codes: [404]
///     action: IGNORE
/// max_retries: 7
/// ")?;
/// let only = &handler.handlers()[0];
/// assert_eq!(only.response_filters().len(), 1);
/// assert_eq!(only.max_retries(), 7);
/// assert!(only.backoff_strategies().is_empty()); // the default exponential
/// # Ok::<(), serde_norway::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Handler {
    pub(crate) filters: Vec<ResponseFilter>,
    pub(crate) max_retries: u32,
    pub(crate) backoff: Vec<Backoff>,
}

/// The connector's default `max_retries`.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 5;

impl Default for Handler {
    /// No filters, 5 retries, the default exponential backoff.
    fn default() -> Self {
        Handler {
            filters: Vec::new(),
            max_retries: DEFAULT_MAX_RETRIES,
            backoff: Vec::new(),
        }
    }
}

impl Handler {
    /// Its `response_filters`, in order (none: only the default applies).
    ///
    /// See [`Handler`] for an example.
    pub fn response_filters(&self) -> &[ResponseFilter] {
        &self.filters
    }

    /// Its `max_retries`: how many retries the call may have made when it retries an outcome
    /// this handler decides; 5 when not given.
    ///
    /// See [`Handler`] for an example.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Its `backoff_strategies`, in order (none: the default exponential).
    ///
    /// See [`Handler`] for an example.
    pub fn backoff_strategies(&self) -> &[Backoff] {
        &self.backoff
    }
}

impl Default for ErrorHandler {
    /// The connector's default handler: 5xx and 429 retried up to 5 times with exponential
    /// backoff, other errors failing at once.
    fn default() -> Self {
        ErrorHandler {
            handlers: Arc::new([Handler::default()]),
            composite: false,
        }
    }
}

/// What a handler decides for one outcome: the action, and which handler (and filter) decided.
/// Made by [`ErrorHandler::decide`], whose page has an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision {
    /// What to do with the outcome.
    pub action: Action,
    /// The handler whose settings (`max_retries`, backoff) apply: the one whose filter matched,
    /// or the first when none did.
    pub handler: usize,
    /// The filter that matched (its index in that handler's filters); `None` when none did and
    /// the default decided.
    pub filter: Option<usize>,
}

impl ErrorHandler {
    /// The handlers, in the order they are tried: one for a single handler, several for a
    /// composite (nested composites flattened, in order).
    ///
    /// See [`ErrorHandler`] for an example.
    pub fn handlers(&self) -> &[Handler] {
        &self.handlers
    }

    /// Whether the file described a `CompositeErrorHandler`.
    ///
    /// See [`ErrorHandler`] for an example.
    pub fn is_composite(&self) -> bool {
        self.composite
    }

    /// What the handler decides for `seen`: the first filter that matches, handler after
    /// handler; when none does, the default (429 and 5xx retried, other errors and an `Ok` 4xx
    /// failing, other values succeeding), with the first handler's `max_retries` and backoff. A lone handler
    /// so retries 5xx and 429 with its own settings besides what its filters say, as the
    /// connector's `http_codes: [404], action: RETRY` "also" retries 404.
    ///
    /// ```
    /// # use persevere_runtime as persevere;
    /// use http::Response;
    /// use persevere::config::handler::{Action, ErrorHandler, Seen};
    ///
    /// let handler: ErrorHandler = serde_norway::from_str("
    /// response_filters:
    ///   - http_codes: [404]
    ///     action: IGNORE
    /// ")?;
    /// let answer = |status: u16| {
    ///     let response = Response::builder().status(status).body("").unwrap();
    ///     let decision = handler.decide(&Seen::new(&response, true));
    ///     (decision.action, decision.filter)
    /// };
    /// assert_eq!(answer(404), (Action::Ignore, Some(0)));
    /// assert_eq!(answer(503), (Action::Retry, None));
    /// assert_eq!(answer(400), (Action::Fail, None));
    /// # Ok::<(), serde_norway::Error>(())
    /// ```
    pub fn decide(&self, seen: &Seen<'_>) -> Decision {
        for (index, handler) in self.handlers.iter().enumerate() {
            if let Some(filter) = handler.filters.iter().position(|f| f.matches(seen)) {
                return Decision {
                    action: handler.filters[filter].action,
                    handler: index,
                    filter: Some(filter),
                };
            }
        }
        Decision {
            action: default_action(seen),
            handler: 0,
            filter: None,
        }
    }

    /// The handler whose settings apply to `decision` (the first, should the index be out of
    /// range: a decision made by another handler).
    pub(crate) fn settings(&self, decision: &Decision) -> &Handler {
        self.handlers
            .get(decision.handler)
            .or_else(|| self.handlers.first())
            .unwrap_or(&FALLBACK)
    }
}

/// The settings of a handler with no handlers at all, which reading never makes.
static FALLBACK: Handler = Handler {
    filters: Vec::new(),
    max_retries: DEFAULT_MAX_RETRIES,
    backoff: Vec::new(),
};
