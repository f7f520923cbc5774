def handler(event, context):
    return {
        "line_sep": "a\u2028b\u2029c",
        "controls": "\x00\x01\x08\x0b\x0c\x1f\x7f",
        "escapes": "tab\tnewline\ncr\rbackspace\bformfeed\f",
        "quotes": 'double " single \' back \\ slash /',
        "nbsp": "\u00a0",
    }
