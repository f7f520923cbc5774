"""Wrong: every file of the exercise folder goes in: the script, exercise.toml, events/."""

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZIP_PATH = HERE / "build" / "function.zip"


def build():
    ZIP_PATH.parent.mkdir(parents=True, exist_ok=True)
    names = set()
    with zipfile.ZipFile(ZIP_PATH, "w", zipfile.ZIP_DEFLATED) as archive:
        # The function and its dependency at the top, as they should be...
        for folder in (HERE / "function", HERE / "vendor"):
            for path in sorted(folder.rglob("*")):
                relative = path.relative_to(folder)
                if path.is_file() and "__pycache__" not in relative.parts and not path.name.startswith("test_"):
                    archive.write(path, relative.as_posix())
        # ...and then everything else at the top of the exercise folder too.
        for path in sorted(HERE.iterdir()):
            if path.is_file():
                archive.write(path, path.name)
        for path in sorted((HERE / "events").rglob("*")):
            archive.write(path, path.relative_to(HERE).as_posix())
    return ZIP_PATH


if __name__ == "__main__":
    print(f"built {build()}")
