#!/usr/bin/env bash
# What `#[retry]` costs the compiler, next to backon's closure API and to no retrying at all.
#
# Generates three library crates of 100 async functions each, `async fn f{i}(x: u32) ->
# Result<u32, String>` with a trivial body:
#
#   persevere  annotated with #[persevere::retry(stop = attempts(3), wait = exponential(max = 1s))]
#   backon     the same policy through backon's closure API: (|| async { .. }).retry(..).await
#   plain      undecorated
#
# Each crate also has one sync function polling every future once, so that every function's
# future is code-generated in release builds too. The crates depend on this repository's
# persevere by path and share one CARGO_TARGET_DIR, so dependencies build once. For each crate
# and profile (debug, release), the script builds the dependencies, then touches the crate's
# lib.rs and times `cargo build` of the crate alone, RUNS times (median printed). Incremental
# compilation is off (CARGO_INCREMENTAL=0), so each timed build compiles the whole crate.
#
# Then it times a cold debug build, dependencies included, of an empty crate depending on
# persevere (default features) and of one depending on backon (default features), each in a
# fresh target directory.
#
# Works offline from the registry cache: the generated crates start from this repository's
# Cargo.lock, so they use the versions already fetched for it. If the cache lacks something,
# one online fetch fills it.
#
# Usage: scripts/compile_time.sh          (RUNS=9 scripts/compile_time.sh for more runs; default 5)
# Work files: target/compile-time/ (WORK=dir to put them elsewhere).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
work=${WORK:-$repo/target/compile-time}
runs=${RUNS:-5}
functions=100

export CARGO_INCREMENTAL=0
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

rm -rf "$work/crates"
mkdir -p "$work/crates"

# ---- generating the crates ----------------------------------------------------------------

# new_crate NAME DEPENDENCY-LINES...: a library crate, its own workspace, seeded with the
# repository's lockfile.
new_crate() {
    local name=$1
    shift
    local dir="$work/crates/$name"
    mkdir -p "$dir/src"
    {
        printf '[package]\nname = "ct_%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n' "$name"
        printf '[dependencies]\n'
        local line
        for line in "$@"; do printf '%s\n' "$line"; done
        # Its own workspace: not a member of the repository's, though it lives under target/.
        printf '\n[workspace]\n'
    } >"$dir/Cargo.toml"
    cp "$repo/Cargo.lock" "$dir/Cargo.lock"
}

body() {
    printf '    if x == u32::MAX {\n        Err(String::from("overflow"))\n    } else {\n        Ok(x + %d)\n    }\n' "$1"
}

# The sync function that polls every future once (a retried one would need tokio's timer only
# if it failed, which it does not).
poller() {
    printf '\npub fn run(x: u32) -> u32 {\n'
    printf '    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());\n'
    printf '    let mut total = 0u32;\n'
    local i
    for ((i = 0; i < functions; i++)); do
        printf '    if let std::task::Poll::Ready(Ok(v)) = std::pin::pin!(f%d(x)).as_mut().poll(&mut cx) {\n        total = total.wrapping_add(v);\n    }\n' "$i"
    done
    printf '    total\n}\n'
}

generate() {
    local persevere_dep="persevere = { path = \"$repo\" }"

    new_crate persevere "$persevere_dep"
    {
        printf 'use std::future::Future;\n\n'
        for ((i = 0; i < functions; i++)); do
            printf '#[persevere::retry(stop = attempts(3), wait = exponential(max = 1s))]\n'
            printf 'pub async fn f%d(x: u32) -> Result<u32, String> {\n' "$i"
            body "$i"
            printf '}\n\n'
        done
        poller
    } >"$work/crates/persevere/src/lib.rs"

    new_crate backon 'backon = "1"'
    {
        printf 'use std::future::Future;\nuse std::time::Duration;\n\n'
        printf 'use backon::{ExponentialBuilder, Retryable};\n\n'
        printf '/// Three attempts, waits of 1 s · 2^(n−1) capped at 1 s: exponential(max = 1s).\n'
        printf 'fn policy() -> ExponentialBuilder {\n'
        printf '    ExponentialBuilder::default()\n'
        printf '        .with_min_delay(Duration::from_secs(1))\n'
        printf '        .with_max_delay(Duration::from_secs(1))\n'
        printf '        .with_max_times(2)\n}\n\n'
        for ((i = 0; i < functions; i++)); do
            printf 'pub async fn f%d(x: u32) -> Result<u32, String> {\n' "$i"
            printf '    (|| async move {\n'
            body "$i" | sed 's/^/        /'
            printf '    })\n    .retry(policy())\n    .await\n}\n\n'
        done
        poller
    } >"$work/crates/backon/src/lib.rs"

    new_crate plain
    {
        printf 'use std::future::Future;\n\n'
        for ((i = 0; i < functions; i++)); do
            printf 'pub async fn f%d(x: u32) -> Result<u32, String> {\n' "$i"
            body "$i"
            printf '}\n\n'
        done
        poller
    } >"$work/crates/plain/src/lib.rs"

    # Empty crates for the cold builds.
    new_crate cold_persevere "$persevere_dep"
    : >"$work/crates/cold_persevere/src/lib.rs"
    new_crate cold_backon 'backon = "1"'
    : >"$work/crates/cold_backon/src/lib.rs"
}

# ---- measuring ----------------------------------------------------------------------------

# cargo_in CRATE ARGS...: cargo for that crate's manifest, offline, quiet.
cargo_in() {
    local crate=$1
    shift
    cargo "$@" --offline --quiet --manifest-path "$work/crates/$crate/Cargo.toml"
}

# fetch CRATE: resolve and fetch from the cache, or fetch online once if the cache lacks something.
fetch() {
    local manifest="$work/crates/$1/Cargo.toml"
    if ! cargo fetch --offline --quiet --manifest-path "$manifest" 2>/dev/null; then
        echo "fetching $1's dependencies online..." >&2
        cargo fetch --quiet --manifest-path "$manifest"
    fi
}

# seconds COMMAND...: the wall time of the command, in seconds.
seconds() {
    local start=$EPOCHREALTIME
    "$@"
    local end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# crate_build CRATE PROFILE-ARGS...: the median time of rebuilding the crate alone.
crate_build() {
    local crate=$1
    shift
    local times=() run
    for ((run = 0; run < runs; run++)); do
        touch "$work/crates/$crate/src/lib.rs"
        times+=("$(seconds cargo_in "$crate" build "$@")")
    done
    median "${times[@]}"
}

started=$EPOCHREALTIME
generate
for crate in persevere backon plain cold_persevere cold_backon; do
    fetch "$crate"
done

echo "rustc: $(rustc --version); cores: $(nproc); runs per cell: $runs (median)" >&2

export CARGO_TARGET_DIR="$work/target"
echo "building the dependencies (debug and release)..." >&2
for crate in persevere backon plain; do
    cargo_in "$crate" build
    cargo_in "$crate" build --release
done

declare -A debug release
for crate in persevere backon plain; do
    echo "timing $crate..." >&2
    debug[$crate]=$(crate_build "$crate")
    release[$crate]=$(crate_build "$crate" --release)
done

echo "cold debug builds, dependencies included..." >&2
declare -A cold
for crate in persevere backon; do
    export CARGO_TARGET_DIR="$work/cold-$crate"
    rm -rf "$CARGO_TARGET_DIR"
    cold[$crate]=$(seconds cargo_in "cold_$crate" build)
done

echo
echo "Rebuilding one crate of $functions async fns (seconds, median of $runs, CARGO_INCREMENTAL=0):"
echo
# per_fn CRATE PROFILE: milliseconds per function over the undecorated crate.
per_fn() {
    local -n times=$2
    awk -v t="${times[$1]}" -v p="${times[plain]}" -v n="$functions" 'BEGIN { printf "%.1f", (t - p) * 1000 / n }'
}
row() {
    printf '| %-34s | %7s | %7s | %13s | %15s |\n' "$1" "${debug[$2]}" "${release[$2]}" \
        "$(per_fn "$2" debug)" "$(per_fn "$2" release)"
}
printf '| %-34s | %7s | %7s | %13s | %15s |\n' "crate" "debug" "release" "ms/fn, debug" "ms/fn, release"
printf '|%s|---------|---------|---------------|-----------------|\n' "$(printf -- '-%.0s' {1..36})"
row "#[persevere::retry(..)] on each" persevere
row "backon closure API in each" backon
row "undecorated" plain
echo
echo "(ms/fn: the extra time per function over the undecorated crate)"
echo
echo "Cold debug build of the library and its dependencies (seconds, fresh target directory):"
echo
printf '| %-40s | %7s |\n' "library" "debug"
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" "---------"
printf '| %-40s | %7s |\n' "persevere (default features)" "${cold[persevere]}"
printf '| %-40s | %7s |\n' "backon (default features)" "${cold[backon]}"
echo
awk -v s="$started" -v e="$EPOCHREALTIME" 'BEGIN { printf "(the script took %.0f s)\n", e - s }'
