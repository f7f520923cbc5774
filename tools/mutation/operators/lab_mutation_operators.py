"""cosmic-ray operators for the workshop's handlers, beside cosmic-ray's own.

cosmic-ray's core operators change operators, numbers, booleans and loops;
a Lambda handler is mostly strings (keys of the event and of the answer, log
lines) and calls (unquote_plus, json.loads, Decimal, print). Without these
three, exercise 01 has two mutants and exercise 06 three, and a handler that
forgets to decode the key is no mutant at all. mutmut has the first two kinds
(string and call mutations); these follow its choices.

- ReplaceString: a string literal, or the text part of an f-string, gets
  "XX" in front ("name" -> "XXname"); a docstring is left alone.
- UnwrapCall: a call of a plain name with one positional argument becomes
  the argument (unquote_plus(key) -> key, int(x) -> x, sorted(xs) -> xs).
- RemoveCallStatement: a call standing alone as a statement becomes None
  (print(...) -> None, table.put_item(...) -> None).
"""

import parso
from cosmic_ray.operators.operator import Example, Operator


def _is_docstring(node):
    statement = node.parent
    return statement is not None and statement.type == "simple_stmt" and statement.children[0] is node


class ReplaceString(Operator):
    """Put "XX" in front of a string's text."""

    def mutation_positions(self, node):
        if node.type == "string" and not _is_docstring(node):
            yield (node.start_pos, node.end_pos)
        elif node.type == "fstring_string":
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        if node.type == "fstring_string":
            node.value = "XX" + node.value
            return node
        value = node.value
        quote = min(i for i in (value.find("'"), value.find('"')) if i >= 0)
        width = 3 if value[quote : quote + 3] in ('"""', "'''") else 1
        node.value = value[: quote + width] + "XX" + value[quote + width :]
        return node

    @classmethod
    def examples(cls):
        return (
            Example('x = "name"', 'x = "XXname"'),
            Example("x = b''", "x = b'XX'"),
            Example('x = f"Hello, {name}!"', 'x = f"XXHello, {name}!"'),
        )


def _single_argument_call(node):
    """The argument of `name(argument)`, or None."""
    if node.type not in ("atom_expr", "power") or len(node.children) != 2:
        return None
    name, trailer = node.children
    if name.type != "name" or trailer.type != "trailer" or trailer.children[0] != "(":
        return None
    if len(trailer.children) != 3:
        return None  # no argument
    argument = trailer.children[1]
    if argument.type in ("arglist", "argument") or argument.type == "operator":
        return None  # several arguments, a keyword or *args
    return argument


class UnwrapCall(Operator):
    """Replace `f(x)` by `x`."""

    def mutation_positions(self, node):
        if _single_argument_call(node) is not None:
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        argument = _single_argument_call(node)
        argument.get_first_leaf().prefix = node.get_first_leaf().prefix
        return argument

    @classmethod
    def examples(cls):
        return (
            Example("key = unquote_plus(raw)", "key = raw"),
            Example("n = int(x) + 1", "n = x + 1"),
        )


class RemoveCallStatement(Operator):
    """Replace a call that stands alone as a statement by `None`."""

    def mutation_positions(self, node):
        if (
            node.type in ("atom_expr", "power")
            and node.parent is not None
            and node.parent.type == "simple_stmt"
            and node.children[-1].type == "trailer"
            and node.children[-1].children[0] == "("
        ):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        return parso.python.tree.Keyword("None", node.start_pos, node.get_first_leaf().prefix)

    @classmethod
    def examples(cls):
        return (Example("print('hi')\n", "None\n"),)


_OPERATORS = {op.__name__: op for op in (ReplaceString, UnwrapCall, RemoveCallStatement)}


class OperatorProvider:
    """The workshop's operators, named lab/ReplaceString and so on."""

    def __iter__(self):
        return iter(_OPERATORS)

    def __getitem__(self, name):
        return _OPERATORS[name]
