"""Unit tests for the function, to run on your own machine before you build:

    cd exercises/05-building-the-zip
    python3 -m unittest discover -s function

They are for you, not for Lambda: keep them out of the zip."""

import sys
import unittest
from pathlib import Path

# The dependency lives in vendor/ until the zip puts it beside app.py.
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "vendor")]

import app  # noqa: E402


class PermalinkTest(unittest.TestCase):
    def test_a_plain_title(self):
        self.assertEqual(
            app.lambda_handler({"title": "Hello, Lambda!", "published": "2026-11-27"}, None),
            {"slug": "hello-lambda", "path": "/2026/11/27/hello-lambda"},
        )

    def test_accents_and_letters_of_their_own(self):
        event = {"title": "Crème brûlée & Straße: a recipe", "published": "2026-01-05"}
        self.assertEqual(
            app.lambda_handler(event, None)["path"],
            "/2026/01/05/creme-brulee-and-strasse-a-recipe",
        )

    def test_a_long_title_stops_at_a_whole_word(self):
        title = "Why every deployment package should be built by a script and never by hand"
        slug = app.lambda_handler({"title": title, "published": "2026-11-27"}, None)["slug"]
        self.assertEqual(slug, "why-every-deployment-package-should-be-built-by-a-script-and")


if __name__ == "__main__":
    unittest.main()
