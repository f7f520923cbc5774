"""tinyslug's own tests, shipped inside the package as many libraries ship
theirs (pip installs them with the rest). Run them with

    python3 -m unittest tinyslug.tests.test_slugify

from the vendor/ folder. A deployment package has no use for them."""
