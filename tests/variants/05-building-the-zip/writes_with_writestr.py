"""Wrong: a good layout, but writestr with plain names records permissions 600, which Lambda cannot read."""

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
        for folder in (SOURCE, VENDOR):
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and shipped(relative):
                    archive.writestr(relative.as_posix(), path.read_bytes())
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
