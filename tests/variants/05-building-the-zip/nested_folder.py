"""Wrong: the function's files keep their folder, function/app.py, so Lambda cannot import app."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "function"
VENDOR = HERE / "vendor"
ZIP_PATH = HERE / "build" / "function.zip"


def shipped(relative):
    if "__pycache__" in relative.parts or relative.suffix == ".pyc":
        return False
    return not relative.name.startswith("test_")


def build():
    ZIP_PATH.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SOURCE.rglob("*")):
            if path.is_file() and shipped(path.relative_to(SOURCE)):
                archive.write(path, path.relative_to(HERE).as_posix())
        for path in sorted(VENDOR.rglob("*")):
            if path.is_file() and shipped(path.relative_to(VENDOR)):
                archive.write(path, path.relative_to(VENDOR).as_posix())
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
