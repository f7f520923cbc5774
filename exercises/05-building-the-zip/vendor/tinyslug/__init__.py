"""tinyslug: turn any title into a URL slug.

    >>> slugify("Hello, World!")
    'hello-world'
    >>> slugify("Crème brûlée & Straße")
    'creme-brulee-and-strasse'

Pure Python, standard library only: the same files work on every machine
and every operating system, Lambda's included, which is what makes a
library like this one safe to copy into a deployment package as it is."""

import re
import unicodedata

from ._ascii import spell_out

__version__ = "1.2.0"
__all__ = ["slugify"]

_NOT_LETTERS_OR_DIGITS = re.compile(r"[^a-z0-9]+")


def slugify(text, separator="-", max_length=None):
    """The lower-case ASCII words of `text`, joined by `separator`. With
    `max_length`, as many whole words as fit in that many characters (a
    first word longer than that is cut)."""
    plain = spell_out(str(text).lower())
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")
    words = [word for word in _NOT_LETTERS_OR_DIGITS.split(plain) if word]
    if max_length is None:
        return separator.join(words)
    slug = ""
    for word in words:
        longer = word if not slug else slug + separator + word
        if len(longer) > max_length:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:max_length]
    return slug
