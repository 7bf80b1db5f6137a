//! README.md is `docs/guide.md`, the crate's documentation (whose examples run as doctests),
//! without the setup lines rustdoc hides (`# struct Client;`), which GitHub and crates.io would
//! show. This test keeps the two in step; `PERSEVERE_WRITE_README=1 cargo test --test readme`
//! writes README.md from the guide.

use std::path::Path;

/// What README.md says above the guide, unseen where it is rendered.
const NOTICE: &str = "<!-- Written from docs/guide.md, the crate's documentation, by `PERSEVERE_WRITE_README=1 cargo test --test readme`: edit that file. -->\n";

/// Whether a fence's info string marks Rust for rustdoc: no language, or only rustdoc's own
/// attributes.
fn is_rust(info: &str) -> bool {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .all(|word| {
            matches!(
                word,
                "rust"
                    | "ignore"
                    | "should_panic"
                    | "no_run"
                    | "compile_fail"
                    | "test_harness"
                    | "standalone_crate"
            ) || word.starts_with("edition")
                || word.starts_with("ignore-")
        })
}

/// The guide as readers of README see it: in Rust code blocks, lines rustdoc hides are left out
/// and `##` shows as `#`.
fn without_hidden_lines(guide: &str) -> String {
    let mut out = String::from(NOTICE);
    let mut rust_block = None::<bool>;
    for line in guide.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            rust_block = match rust_block {
                None => Some(is_rust(info)),
                Some(_) => None,
            };
            out.push_str(line);
            continue;
        }
        if rust_block == Some(true) {
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
fn hidden_lines_are_left_out_of_rust_blocks_only() {
    let guide = "# Title\n```\n# use x;\nlet a = 1;\n#\n    ## not hidden\n#[derive(Debug)]\n```\n```toml\n# a comment\n```\n";
    let shown = without_hidden_lines(guide);
    assert_eq!(
        shown.strip_prefix(NOTICE).unwrap(),
        "# Title\n```\nlet a = 1;\n    # not hidden\n#[derive(Debug)]\n```\n```toml\n# a comment\n```\n"
    );
}
