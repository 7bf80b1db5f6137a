//! "Did you mean" hints for misspelt names.

/// `beforeSleep` as `before_sleep`; a name already in snake case is unchanged.
pub(crate) fn snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        } else {
            snake.push(c);
        }
    }
    snake
}

/// The candidate closest to `typed`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // `before_sleep` for `beforeSleep`: an exact match once in snake case beats any other rule.
    let snake = snake_case(typed);
    if let Some(exact) = candidates.iter().find(|candidate| **candidate == snake) {
        return Some(exact);
    }
    // `total_timeout` for `timeout_total`: the same words in another order.
    let mut words: Vec<&str> = snake.split('_').collect();
    words.sort_unstable();
    if words.len() > 1
        && let Some(reordered) = candidates.iter().find(|candidate| {
            let mut theirs: Vec<&str> = candidate.split('_').collect();
            theirs.sort_unstable();
            theirs == words
        })
    {
        return Some(reordered);
    }
    let typed = snake.as_str();
    // A typo first (`before_slep` is one edit from `before_sleep`, though it starts `before`).
    let near = candidates
        .iter()
        .map(|candidate| (distance(typed, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    if near.is_some() {
        return near;
    }
    // `warning` for `warn`, `exponent` for `exponential`: one is the start of the other.
    candidates
        .iter()
        .filter(|candidate| {
            let (short, long) = if candidate.len() < typed.len() {
                (**candidate, typed)
            } else {
                (typed, **candidate)
            };
            short.len() >= 3 && long.starts_with(short)
        })
        // The longest such, the nearest in length: `before_sleeps` is `before_sleep`, and
        // `retry` is `retry_if` rather than `retry_if_ok`.
        .max_by_key(|candidate| {
            (
                candidate.len().min(typed.len()),
                std::cmp::Reverse(candidate.len().abs_diff(typed.len())),
            )
        })
        .copied()
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

/// Edit distance over characters, a swap of two neighbours counting as one edit (`wiat` is one
/// from `wait`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: the distance between a[..i] and b[..j].
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = rows[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(rows[i - 1][j] + 1).min(rows[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
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
        assert_eq!(closest("wiat", &["stop", "wait"]), Some("wait"));
        let keys = crate::config::KEYS;
        for (typed, meant) in [
            ("before_slep", "before_sleep"),
            ("before_sleeep", "before_sleep"),
            ("before_sleeps", "before_sleep"),
            ("retry_if_okay", "retry_if_ok"),
            ("retry_if_k", "retry_if_ok"),
            ("timeout_total", "total_timeout"),
            ("befor", "before"),
        ] {
            assert_eq!(closest(typed, keys), Some(meant), "{typed}");
        }
        assert_eq!(
            closest("beforeSleep", &["before", "before_sleep"]),
            Some("before_sleep")
        );
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
