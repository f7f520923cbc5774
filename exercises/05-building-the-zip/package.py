"""Exercise 05: building the zip.

Lambda runs a Python function from a .zip file, its deployment package. It
unpacks the zip into the folder /var/task, puts that folder first on
sys.path and imports the module the handler string names. This function's
handler string is app.lambda_handler, so Lambda imports app from
/var/task/app.py: app.py must be at the TOP of the zip, not in a folder.

This folder holds:
  function/  the function's code: app.py, permalinks.py (which app imports),
             and test_app.py, unit tests you run on your machine;
  vendor/    its dependency, tinyslug, as `pip install --target vendor`
             leaves it: the package tinyslug/ (with the tests/ folder the
             library ships inside it) and its tinyslug-1.2.0.dist-info/.
             (tinyslug is this book's own tiny library, shipped ready here,
             so no network is needed.)

This script builds the zip; run it with `python3 package.py` from this folder.
As it is, it builds a zip Lambda cannot run. YOUR TASK: make it write
build/function.zip so that

1. the function's modules are at the top of the zip: app.py and
   permalinks.py, not function/app.py;
2. the dependency is at the top too, beside them: tinyslug/__init__.py and
   tinyslug/_ascii.py (its dist-info folder may come along or not);
3. nothing else is in it: no __pycache__ folders or .pyc files, no tests
   (function/test_app.py, tinyslug/tests/), nothing from the workshop (this
   script, the build/ folder, exercise.toml, events/);
4. every file in it may be read by everyone (permissions 644), as Lambda
   needs: archive.write keeps the permissions your files have on disk;
5. it is written to build/function.zip next to this script (make the folder
   if it is missing), replacing any older zip there.

Check your work with `cargo test -p exercise-05`. To see what a zip holds:
`python3 -m zipfile -l build/function.zip`. To run the function from it, as
the console's Test button would, from the root of the repository:

    cargo lab invoke exercises/05-building-the-zip/build/function.zip --handler-string app.lambda_handler --event exercises/05-building-the-zip/events/post.json
"""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "function"
VENDOR = HERE / "vendor"
ZIP_PATH = HERE / "build" / "function.zip"


def build():
    ZIP_PATH.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SOURCE.rglob("*")):
            if path.is_file():
                # The second argument is the file's name inside the zip.
                archive.write(path, path.relative_to(HERE))
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
