#!/usr/bin/env bash
# Builds the packaged crates as crates.io would serve them: unpacks the `.crate` files made by
# `cargo package` of the three published crates, points each at the others' unpacked copies (none is published
# yet), and from them builds the facade's tests and runs its doctests, and runs the runtime's and
# the macros' own tests and doctests. Run after `cargo package` of the three published crates.
#
# No crate has a dev-dependency on another that depends on it, so nothing is stripped from a
# package: the runtime's examples name it `persevere` (a hidden alias line) and reach the
# attribute through its default `attribute` feature, and the attribute's examples live on the
# facade's page.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages="${root}/target/package"
work="$(mktemp -d)"
export CARGO_TARGET_DIR="${root}/target/packaged"
# The unpacked crates and their build are needed only here; CI's later builds get the disk back.
trap 'rm -rf "${work}" "${CARGO_TARGET_DIR}"' EXIT

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
(cd "${work}/persevere-0.1.0" && cargo test --quiet --all-features --all-targets --no-run)
(cd "${work}/persevere-0.1.0" && cargo test --quiet --all-features --doc)
(cd "${work}/persevere-runtime-0.1.0" && cargo test --quiet --all-features)
(cd "${work}/persevere-macros-0.1.0" && cargo test --quiet)
echo "packaged crates: the facade's tests build and its doctests pass; the runtime's and the macros' tests and doctests pass"
