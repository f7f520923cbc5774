"""Wrong: leaves out files named test_*, but ships the tests/ folder that
tinyslug keeps inside its package (tinyslug/tests/__init__.py)."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "function"
VENDOR = HERE / "vendor"
ZIP_PATH = HERE / "build" / "function.zip"


def shipped(relative):
    """Whether a file, by its path inside its folder, belongs in the package."""
    if "__pycache__" in relative.parts or relative.suffix == ".pyc":
        return False  # caches from a local run: Lambda compiles what it imports
    if relative.name.startswith("test_"):
        return False  # tests run here, before the build, never on Lambda
    return True


def add_contents(archive, folder):
    """Add every file under `folder`, named by its path INSIDE the folder, so
    that function/app.py lands at the top of the zip as app.py."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and shipped(relative):
            # as_posix: names in a zip use "/" on every system.
            archive.write(path, relative.as_posix())


def build():
    ZIP_PATH.parent.mkdir(parents=True, exist_ok=True)
    # Mode "w" starts a new zip, replacing the old one rather than adding to it.
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        add_contents(archive, SOURCE)
        add_contents(archive, VENDOR)
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
