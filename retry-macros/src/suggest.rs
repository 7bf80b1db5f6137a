//! "Did you mean" hints for misspelt names.

/// The candidate closest to `typed`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // `warning` for `warn`, `exponent` for `exponential`: one is the start of the other.
    let prefixed = candidates.iter().find(|candidate| {
        let (short, long) = if candidate.len() < typed.len() {
            (**candidate, typed)
        } else {
            (typed, **candidate)
        };
        short.len() >= 3 && long.starts_with(short)
    });
    if let Some(candidate) = prefixed {
        return Some(candidate);
    }
    candidates
        .iter()
        .map(|candidate| (distance(typed, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// "unknown key `stp`; did you mean `stop`?", or, with no likely typo, the names expected.
pub(crate) fn unknown(what: &str, typed: &str, candidates: &[&str]) -> String {
    match closest(typed, candidates) {
        Some(found) => format!("unknown {what} `{typed}`; did you mean `{found}`?"),
        None => format!("unknown {what} `{typed}`; expected {}", one_of(candidates)),
    }
}

/// A list of names as `` `a`, `b` or `c` ``.
pub(crate) fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_but_not_strangers() {
        assert_eq!(closest("stp", &["stop", "wait"]), Some("stop"));
        assert_eq!(
            closest("exponentail", &["exponential", "fixed"]),
            Some("exponential")
        );
        assert_eq!(closest("banana", &["stop", "wait"]), None);
        assert_eq!(closest("warning", &["debug", "warn"]), Some("warn"));
        assert_eq!(
            closest("exponent", &["fixed", "exponential"]),
            Some("exponential")
        );
    }

    #[test]
    fn names_the_unknown() {
        assert_eq!(
            unknown("key", "stp", &["stop", "wait"]),
            "unknown key `stp`; did you mean `stop`?"
        );
        assert_eq!(
            unknown("key", "zzz", &["stop", "wait"]),
            "unknown key `zzz`; expected `stop` or `wait`"
        );
    }

    #[test]
    fn lists_names() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
