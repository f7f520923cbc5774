"""Wrong: everything is at the top, but the __pycache__ folders are shipped too."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZIP_PATH = HERE / "build" / "function.zip"


def build():
    ZIP_PATH.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in (HERE / "function", HERE / "vendor"):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("test_"):
                    archive.write(path, path.relative_to(folder).as_posix())
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
