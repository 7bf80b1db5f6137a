//! README.md is `docs/guide.md`, the crate's documentation (whose examples run as doctests),
//! without the setup lines rustdoc hides (`# struct Client;`), which GitHub and crates.io would
//! show. This test keeps the two in step; `PERSEVERE_WRITE_README=1 cargo test --test readme`
//! writes README.md from the guide.

use std::path::Path;

/// What README.md says above the guide, unseen where it is rendered.
const NOTICE: &str = "<!-- Written from docs/guide.md, the crate's documentation, by `PERSEVERE_WRITE_README=1 cargo test --test readme`: edit that file. -->\n";

/// Whether a fence's info string marks Rust for rustdoc: no language, `rust`, or rustdoc's own
/// attributes before any other word (as rustdoc reads it: `rust,foo` is Rust, `foo,no_run` is
/// not).
fn is_rust(info: &str) -> bool {
    let (mut rust, mut other) = (false, false);
    for word in info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|word| !word.is_empty())
    {
        let attribute = matches!(
            word,
            "ignore"
                | "should_panic"
                | "no_run"
                | "compile_fail"
                | "test_harness"
                | "standalone_crate"
        ) || word.starts_with("edition")
            || word.starts_with("ignore-")
            || (word.len() == 5
                && word.starts_with('E')
                && word[1..].bytes().all(|b| b.is_ascii_digit()));
        if word == "rust" {
            rust = true;
        } else if attribute {
            rust |= !other;
        } else {
            other = true;
        }
    }
    !other || rust
}

/// A fence line's character and length (three or more backticks or tildes), and its info string.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == mark).count();
    (length >= 3).then(|| (mark, length, trimmed[length..].trim()))
}

/// The guide as readers of README see it: in Rust code blocks, lines rustdoc hides are left out
/// and `##` shows as `#`.
fn without_hidden_lines(guide: &str) -> String {
    let mut out = String::from(NOTICE);
    // The open block's fence, and whether it holds Rust.
    let mut open: Option<(char, usize, bool)> = None;
    for line in guide.split_inclusive('\n') {
        let trimmed = line.trim();
        match (open, fence(line)) {
            (None, Some((mark, length, info))) => {
                open = Some((mark, length, is_rust(info)));
                out.push_str(line);
                continue;
            }
            // A closing fence: the same character, at least as long, nothing after it.
            (Some((mark, length, _)), Some((closing, count, info)))
                if closing == mark && count >= length && info.is_empty() =>
            {
                open = None;
                out.push_str(line);
                continue;
            }
            _ => {}
        }
        if let Some((_, _, true)) = open {
            if trimmed == "#" || trimmed.starts_with("# ") {
                continue;
            }
            if trimmed.starts_with("##") {
                out.push_str(&line.replacen("##", "#", 1));
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

#[test]
fn readme_is_the_guide_without_hidden_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/guide.md")).unwrap();
    let expected = without_hidden_lines(&guide);
    let readme_path = root.join("README.md");
    if std::env::var_os("PERSEVERE_WRITE_README").is_some() {
        std::fs::write(&readme_path, &expected).unwrap();
    }
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    assert!(
        readme == expected,
        "README.md is not docs/guide.md without its hidden lines: edit docs/guide.md, then run `PERSEVERE_WRITE_README=1 cargo test --test readme`"
    );
}

#[test]
fn fences_are_read_as_rustdoc_reads_them() {
    assert!(is_rust(""));
    assert!(is_rust("rust"));
    assert!(is_rust("no_run"));
    assert!(is_rust("compile_fail,E0277"));
    assert!(is_rust("rust,foo"));
    assert!(is_rust("edition2021"));
    assert!(!is_rust("toml"));
    assert!(!is_rust("text,no_run"));
    let guide = "~~~\n# hidden\n```\nshown\n~~~\n````rust\n# hidden\n```\n# hidden\n````\n";
    let shown = without_hidden_lines(guide);
    assert_eq!(
        shown.strip_prefix(NOTICE).unwrap(),
        "~~~\n```\nshown\n~~~\n````rust\n```\n````\n"
    );
}

#[test]
fn hidden_lines_are_left_out_of_rust_blocks_only() {
    let guide = "# Title\n```\n# use x;\nlet a = 1;\n#\n    ## not hidden\n#[derive(Debug)]\n```\n```toml\n# a comment\n```\n";
    let shown = without_hidden_lines(guide);
    assert_eq!(
        shown.strip_prefix(NOTICE).unwrap(),
        "# Title\n```\nlet a = 1;\n    # not hidden\n#[derive(Debug)]\n```\n```toml\n# a comment\n```\n"
    );
}
