#!/usr/bin/env bash
# The book's two downloads, written into a built site's downloads/ folder
# (the Pages workflow publishes them with the site and attaches them to its
# run; .ci/run makes them too, so this script is tested on every landing):
#
#   bash .ci/book-downloads.sh SITE
#
# - python-on-aws-lambda.pdf: the print page (the whole book on one page)
#   printed by headless Chromium, the Run buttons and panels left out by the
#   print styles (book/runner/runner.css);
# - python-on-aws-lambda.zip: the workshop at this commit (the exercises and
#   the harness, tools and book they need; `git archive` of HEAD), for
#   readers who do not use git: unzip, cd into it, `cargo test -p exercise-01`.
set -euo pipefail
site=$(realpath -m "${1:?usage: .ci/book-downloads.sh SITE (a folder cargo lab book --build wrote)}")
cd "$(dirname "$0")/.."
[ -f "$site/print.html" ] || { echo "$site has no print.html: build it first (cargo lab book --build $site)" >&2; exit 2; }
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
[ -n "$browser" ] || { echo "no chromium (apt-get install chromium), or set CHROMIUM" >&2; exit 2; }
mkdir -p "$site/downloads"

git archive --format=zip --prefix=python-on-aws-lambda/ HEAD -o "$site/downloads/python-on-aws-lambda.zip"

pdf="$site/downloads/python-on-aws-lambda.pdf"
rm -f "$pdf"
"$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$pdf" "file://$(cd "$site" && pwd)/print.html" 2>/dev/null
python3 - "$pdf" "$site/downloads/python-on-aws-lambda.zip" <<'PY'
import re, sys, zipfile
pdf = open(sys.argv[1], "rb").read()
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
if not pdf.startswith(b"%PDF") or pages < 100:
    sys.exit(f"the PDF is not the whole book ({pages} pages)")
names = zipfile.ZipFile(sys.argv[2]).namelist()
if "python-on-aws-lambda/exercises/01-first-handler/handler.py" not in names:
    sys.exit("the zip has no exercises")
print(f"downloads: the book as a PDF of {pages} pages ({len(pdf) / 1e6:.1f} MB), "
      f"the workshop as a zip of {len(names)} files")
PY
