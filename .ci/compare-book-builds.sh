#!/usr/bin/env bash
# The book built two ways must give the same site:
#   1. `cargo lab book --build`, mdBook and mdbook-admonish as libraries
#      (the versions in Cargo.lock), the way the Pages workflow builds it;
#   2. a stock `mdbook build`, spawning `mdbook-admonish`, both installed at
#      the same versions with `cargo install --locked`.
# Both build a copy of the working tree (tracked and untracked files, not
# ignored ones), so a local `book/build` is in neither.
#
# The binaries are cached in .ci/mdbook-pinned/ (gitignored), keyed by
# version: the first run installs them (minutes, see docs/benchmarks.md),
# later runs take seconds. PINNED_MDBOOK_ROOT=DIR uses another cache
# (not MDBOOK_*: mdBook reads those as book.toml settings).
#
# What is ignored in the comparison, and why: the order of the keys of the
# JSON objects in searchindex.js, which is compared as parsed JSON. `lab` is
# one binary, and another crate of the workspace (deployment-package) turns
# on serde_json's `preserve_order`, so its index keeps insertion order where
# the stock binary sorts the keys; the browser reads the same index either
# way. Every other file must be byte for byte the same. (Stock mdbook-admonish
# also prints a warning that it was built against mdBook 0.4.51; a message,
# not output.)
#
# Usage: .ci/compare-book-builds.sh      exit 0 when the trees are the same,
#                                        1 with a diff when they are not.
set -euo pipefail
cd "$(dirname "$0")/.."

version_of() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}
MDBOOK_VERSION=$(version_of mdbook)
ADMONISH_VERSION=$(version_of mdbook-admonish)
PINNED=${PINNED_MDBOOK_ROOT:-$PWD/.ci/mdbook-pinned}

install_pinned() { # crate version binary
  if [ "$("$PINNED/bin/$3" --version 2>/dev/null | awk '{print $2}' | tr -d v)" != "$2" ]; then
    echo "== installing $1 $2 into $PINNED (once; cached there)"
    local started=$SECONDS
    cargo install --quiet --locked "$1" --version "$2" --root "$PINNED"
    echo "   took $((SECONDS - started)) s"
  fi
}
install_pinned mdbook "$MDBOOK_VERSION" mdbook
install_pinned mdbook-admonish "$ADMONISH_VERSION" mdbook-admonish

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tree"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf - | tar -xf - -C "$work/tree"

echo "== cargo lab book --build (mdbook $MDBOOK_VERSION, mdbook-admonish $ADMONISH_VERSION as libraries)"
cargo build --quiet --bin lab
lab=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/lab
# The fetched Pyodide comes along (else the build would fetch it again).
if [ -d .lab/pyodide ]; then mkdir -p "$work/tree/.lab" && cp -r .lab/pyodide "$work/tree/.lab/"; fi
(cd "$work/tree" && "$lab" book --build "$work/lab")
# What `lab` adds for the Run buttons and a stock build cannot:
# Pyodide, the runtime client and the exercises' files (src/book_runner.rs).
rm -rf "$work/lab/pyodide" "$work/lab/runner/runtime.json" "$work/lab/runner/exercises"

echo "== stock mdbook build ($("$PINNED/bin/mdbook" --version), $("$PINNED/bin/mdbook-admonish" --version))"
(cd "$work/tree" && PATH="$PINNED/bin:$PATH" "$PINNED/bin/mdbook" build -d "$work/stock" 2>&1 | sed 's/^/   /')

echo "== comparing $(find "$work/lab" -type f | wc -l) files"
diff -rq "$work/lab" "$work/stock" >"$work/differ" || true
# searchindex.js: the same JSON, whatever the order of its keys.
if grep -qx "Files $work/lab/searchindex.js and $work/stock/searchindex.js differ" "$work/differ" &&
  python3 - "$work/lab/searchindex.js" "$work/stock/searchindex.js" <<'PY'
import json, re, sys
def index(path):
    text = open(path, encoding="utf-8").read()
    start = text.index("JSON.parse('") + len("JSON.parse('")
    end = text.rindex("'));")
    # mdBook writes the JSON as a JS string, with \\ for \ and \' for '.
    return text[:start], json.loads(re.sub(r"\\(.)", r"\1", text[start:end])), text[end:]
(lab_head, lab, lab_tail), (stock_head, stock, stock_tail) = index(sys.argv[1]), index(sys.argv[2])
if (lab_head, lab, lab_tail) == (stock_head, stock, stock_tail):
    sys.exit(0)
# Say in a few lines where the two indexes differ.
for part in sorted(set(lab) | set(stock)):
    if lab.get(part) != stock.get(part):
        print(f"   searchindex.js: {part!r} differs", file=sys.stderr)
docs = lambda i: i["index"]["documentStore"]["docs"]
bodies = [k for k in docs(lab) if docs(lab)[k] != docs(stock).get(k)]
urls = [lab["doc_urls"][int(k)] for k in bodies[:5]]
print(f"   searchindex.js: the text of {len(bodies)} sections differs, e.g. {urls}", file=sys.stderr)
sys.exit(1)
PY
then
  grep -vx "Files $work/lab/searchindex.js and $work/stock/searchindex.js differ" "$work/differ" >"$work/rest" || true
  mv "$work/rest" "$work/differ"
  echo "   searchindex.js: the same index (keys in another order)"
fi
if [ ! -s "$work/differ" ]; then
  echo "The same site both ways."
  exit 0
fi
echo "The two builds differ:" >&2
sed "s#$work/##g" "$work/differ" >&2
# The first lines of each difference, each cut to 160 characters (the search
# index is one line of several megabytes).
grep '^Files ' "$work/differ" | awk '{print $2}' | while read -r file; do
  relative=${file#"$work/lab/"}
  echo "--- $relative (< cargo lab book, > stock mdbook)" >&2
  diff "$work/lab/$relative" "$work/stock/$relative" | head -8 | cut -c1-160 >&2 || true
done
exit 1
