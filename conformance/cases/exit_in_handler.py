import sys

print("init ran")


def handler(event, context):
    print("exiting now")
    sys.exit(3)
