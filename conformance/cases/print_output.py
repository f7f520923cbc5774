import logging
import sys

print("printed at import")
logging.getLogger().warning("warning at import, before any request")


def handler(event, context):
    print("line one")
    print("no newline", end="")
    print(" continued", end="")
    print(" done")
    print("multi\nline\nprint")
    print("carriage\rreturn")
    print("")
    print("tabs\tand unicode caf\u00e9 \U0001F600")
    sys.stderr.write("to stderr\n")
    sys.stdout.write("partial line at the end")
    return "ok"
