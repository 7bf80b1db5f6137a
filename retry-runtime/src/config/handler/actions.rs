//! What a matched filter does with an outcome: its [`Action`], and what each action makes of
//! the call.

use std::fmt;

use crate::Ending;

/// What a response filter does with the outcomes it matches: the connector's `ResponseAction`,
/// written in capitals in a file.
///
/// | action | an error | an `Ok` value |
/// |---|---|---|
/// | `RETRY` | retried, after the handler's backoff, until its `max_retries` | retried the same way |
/// | `FAIL` | returned at once ([`Ending::NotRetryable`]) | returned at once, with [`Ending::Rejected`] |
/// | `IGNORE` | returned at once, with [`Ending::Ignored`] | returned at once, with [`Ending::Ignored`] |
/// | `SUCCESS` | returned at once, with [`Ending::Accepted`] | a success ([`Ending::Succeeded`]) |
///
/// No action changes what the call returns: an ignored or accepted error is still the error.
/// The endings that say otherwise (`Ignored`, `Accepted`, `Rejected`) reach `on_give_up`, which
/// may turn the outcome into what the program makes of it, and the call's
/// [`Report`](crate::Report).
///
/// ```
/// # use persevere_runtime as persevere;
/// use persevere::config::handler::Action;
///
/// assert_eq!(Action::Ignore.as_str(), "IGNORE");
/// assert_eq!(Action::ALL.len(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `RETRY`: try again.
    Retry,
    /// `FAIL`: the outcome is a failure; do not try again.
    Fail,
    /// `IGNORE`: the outcome is to be skipped; do not try again.
    Ignore,
    /// `SUCCESS`: the outcome is a success; do not try again.
    Success,
}

/// What an action makes of the call, for an error or an `Ok` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Retry the outcome.
    Retry,
    /// The outcome is final as the condition sees it: an error not retried, or a success.
    Return,
    /// End the call with this ending (through `on_give_up`), logging the reason.
    End(Ending, &'static str),
}

impl Action {
    /// Every action, in the order messages list them. See [`Action`] for an example.
    pub const ALL: [Action; 4] = [Action::Retry, Action::Fail, Action::Ignore, Action::Success];

    /// The action as a file spells it: `RETRY`, `FAIL`, `IGNORE` or `SUCCESS`. See [`Action`]
    /// for an example.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Retry => "RETRY",
            Action::Fail => "FAIL",
            Action::Ignore => "IGNORE",
            Action::Success => "SUCCESS",
        }
    }

    /// The action spelled `text`, exactly.
    pub(crate) fn named(text: &str) -> Option<Action> {
        Action::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
    }

    /// What this action makes of an outcome that `failed` (an error) or not (an `Ok` value).
    pub(crate) fn effect(self, failed: bool) -> Effect {
        match (self, failed) {
            (Action::Retry, _) => Effect::Retry,
            (Action::Fail, true) | (Action::Success, false) => Effect::Return,
            (Action::Fail, false) => Effect::End(
                Ending::Rejected,
                "an error handler's FAIL filter matched the value it returned",
            ),
            (Action::Ignore, _) => Effect::End(
                Ending::Ignored,
                "an error handler's IGNORE filter matched its outcome",
            ),
            (Action::Success, true) => Effect::End(
                Ending::Accepted,
                "an error handler's SUCCESS filter matched its error",
            ),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_capitals_name_an_action() {
        for action in Action::ALL {
            assert_eq!(Action::named(action.as_str()), Some(action));
        }
        assert_eq!(Action::named("retry"), None);
    }

    #[test]
    fn no_action_turns_an_error_into_a_success() {
        assert_eq!(Action::Fail.effect(true), Effect::Return);
        assert_eq!(Action::Success.effect(false), Effect::Return);
        for action in [Action::Ignore, Action::Success] {
            assert!(matches!(action.effect(true), Effect::End(ending, _) if ending.gave_up()));
        }
        assert!(matches!(
            Action::Fail.effect(false),
            Effect::End(Ending::Rejected, _)
        ));
    }
}
