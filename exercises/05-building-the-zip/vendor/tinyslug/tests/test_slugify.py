"""Unit tests of tinyslug.slugify."""

import unittest

from tinyslug import slugify


class SlugifyTest(unittest.TestCase):
    def test_words_are_lower_case_and_joined(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_letters_are_spelled_in_ascii(self):
        self.assertEqual(slugify("Crème brûlée & Straße"), "creme-brulee-and-strasse")

    def test_max_length_keeps_whole_words(self):
        self.assertEqual(slugify("one two three", max_length=8), "one-two")


if __name__ == "__main__":
    unittest.main()
