print("before the failing import")
import nonexistent_package_xyz  # noqa: E402,F401


def handler(event, context):
    return "unreachable"
