"""Marshalling a handler's return value the way awslambdaric does with
simplejson: Decimal written as its own digits, namedtuples (and anything with
`_asdict()`) as objects, bytes inside structures decoded as UTF-8, NaN and
Infinity allowed, and non-ASCII escaped unless the runtime is python3.12 or
later; returned bytes go back raw."""

import decimal
import json
import math

from _lambda_faults import MARSHAL_ERROR, RuntimeFault

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


def _escape_unicode(text):
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " ":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _float_text(value):
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _call_asdict(value):
    """simplejson encodes any object with a callable `_asdict()` (namedtuples
    and look-alikes) as the dict it returns; a TypeError from the call means
    "not this kind of object"."""
    method = getattr(value, "_asdict", None)
    if not callable(method):
        return None
    try:
        result = method()
    except TypeError:
        return None
    if not isinstance(result, dict):
        raise TypeError("_asdict() must return a dict, not %s" % type(result).__name__)
    return result


class JsonWriter:
    """Encodes a handler's return value as simplejson does on Lambda:
    Decimal written as its own digits, namedtuples as objects, bytes inside
    structures decoded as UTF-8, NaN and Infinity allowed, and non-ASCII escaped
    unless the runtime is python3.12 or later."""

    def __init__(self, ensure_ascii):
        self.string = json.encoder.encode_basestring_ascii if ensure_ascii else _escape_unicode

    def encode(self, value):
        parts = []
        self._write(value, parts, set())
        return "".join(parts)

    def _key(self, key):
        if isinstance(key, str):
            return key
        if isinstance(key, bytes):
            return key.decode("utf-8")
        if isinstance(key, float):
            return _float_text(key)
        if key is True:
            return "true"
        if key is False:
            return "false"
        if key is None:
            return "null"
        if isinstance(key, int):
            return int.__repr__(key)
        raise TypeError(
            "keys must be str, int, float, bool or None, not %s" % key.__class__.__name__
        )

    def _write(self, value, parts, seen):
        if isinstance(value, str):
            parts.append(self.string(value))
        elif isinstance(value, bytes):
            parts.append(self.string(value.decode("utf-8")))
        elif value is None:
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif isinstance(value, int):
            parts.append(int.__repr__(int(value)))
        elif isinstance(value, float):
            parts.append(_float_text(value))
        else:
            as_dict = _call_asdict(value)
            if as_dict is not None:
                self._container(value, parts, seen, lambda: self._object(as_dict, parts, seen))
            elif isinstance(value, (list, tuple)):
                self._container(value, parts, seen, lambda: self._array(value, parts, seen))
            elif isinstance(value, dict):
                self._container(value, parts, seen, lambda: self._object(value, parts, seen))
            elif isinstance(value, decimal.Decimal):
                # awslambdaric's default(): NaN as a float NaN, anything else raw.
                parts.append("NaN" if value.is_nan() else str(value))
            else:
                if id(value) in seen:
                    raise ValueError("Circular reference detected")
                raise TypeError(
                    "Object of type %s is not JSON serializable" % value.__class__.__name__
                )

    def _container(self, value, parts, seen, write):
        marker = id(value)
        if marker in seen:
            raise ValueError("Circular reference detected")
        seen.add(marker)
        write()
        seen.discard(marker)

    def _array(self, items, parts, seen):
        parts.append("[")
        for index, item in enumerate(items):
            if index:
                parts.append(", ")
            self._write(item, parts, seen)
        parts.append("]")

    def _object(self, mapping, parts, seen):
        parts.append("{")
        first = True
        for key, item in mapping.items():
            if not first:
                parts.append(", ")
            first = False
            parts.append(self.string(self._key(key)))
            parts.append(": ")
            self._write(item, parts, seen)
        parts.append("}")


def marshal_response(response, writer):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return writer.encode(response).encode("utf-8"), "application/json"
    except Exception as error:
        raise RuntimeFault(MARSHAL_ERROR, "Unable to marshal response: %s" % error)


