#!/usr/bin/env bash
# Builds the packaged crates as crates.io would serve them: unpacks the `.crate` files made by
# `cargo package` of the three published crates, points each at the others' unpacked copies (none is published
# yet), and builds the facade's tests and the runtime's and macros' own
# unit tests from them. Run after `cargo package` of the three published crates.
#
# The runtime's and the macros' doctests and integration tests use the `persevere` facade,
# which depends on them: a cycle crates.io cannot resolve before the first release, so cargo
# strips those path-only dev-dependencies from their packages, and they are not built here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages="${root}/target/package"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

for crate in persevere persevere-runtime persevere-macros; do
    tar xzf "${packages}/${crate}-0.1.0.crate" -C "${work}"
done
patch='
[patch.crates-io]
persevere-runtime = { path = "../persevere-runtime-0.1.0" }
persevere-macros = { path = "../persevere-macros-0.1.0" }
'
for crate in persevere persevere-runtime persevere-macros; do
    printf '%s\n[workspace]\n' "${patch}" >> "${work}/${crate}-0.1.0/Cargo.toml"
done
export CARGO_TARGET_DIR="${root}/target/packaged"
(cd "${work}/persevere-0.1.0" && cargo test --quiet --all-targets --no-run)
(cd "${work}/persevere-runtime-0.1.0" && cargo test --quiet --lib --all-features)
(cd "${work}/persevere-macros-0.1.0" && cargo test --quiet --lib)
echo "packaged crates: the facade's tests build; the runtime's and macros' unit tests pass"
