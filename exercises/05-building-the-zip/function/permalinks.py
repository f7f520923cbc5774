"""Permanent links for blog posts: /YEAR/MONTH/DAY/the-title-as-a-slug."""

import datetime

import tinyslug

# Long titles make long links: the slug stops at a whole word within this.
MAX_SLUG_LENGTH = 60


def permalink(title, published):
    day = datetime.date.fromisoformat(published)
    slug = tinyslug.slugify(title, max_length=MAX_SLUG_LENGTH)
    return {"slug": slug, "path": f"/{day:%Y/%m/%d}/{slug}"}
