"""Wrong: a good zip, written to function.zip beside the script instead of build/function.zip."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "function"
VENDOR = HERE / "vendor"
ZIP_PATH = HERE / "function.zip"


def shipped(relative):
    if "__pycache__" in relative.parts or relative.suffix == ".pyc":
        return False
    return not relative.name.startswith("test_")


def build():
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in (SOURCE, VENDOR):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and shipped(path.relative_to(folder)):
                    archive.write(path, path.relative_to(folder).as_posix())
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
