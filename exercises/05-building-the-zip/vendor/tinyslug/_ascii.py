"""Characters that Unicode does not split into a plain letter and an accent
(NFKD leaves them whole, so they would vanish from a slug), spelled out in
ASCII the way they are usually transliterated."""

SPELLINGS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ð": "d",
    "đ": "d",
    "þ": "th",
    "ł": "l",
    "&": " and ",
    "@": " at ",
}


def spell_out(text):
    """`text` with each character of SPELLINGS replaced by its spelling."""
    return "".join(SPELLINGS.get(character, character) for character in text)
