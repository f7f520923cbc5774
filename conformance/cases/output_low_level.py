import sys


# Writes through Python's stdout objects reach the log. (Writes straight to
# file descriptor 1, by os.write, C code or a child process, do reach the log
# on Lambda but not in the harness, which shares its process with the tests:
# see "What differs from Lambda" in the README.)
def handler(event, context):
    print("text via print")
    sys.stdout.buffer.write(b"bytes via sys.stdout.buffer\n")
    sys.stdout.buffer.flush()
    sys.stdout.write("partial ")
    sys.stdout.write("line\n")
    print("after the writes")
    return {"stdout_encoding": sys.stdout.encoding, "isatty": sys.stdout.isatty()}
