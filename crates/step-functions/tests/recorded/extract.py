"""Extract Step Functions executions recorded against AWS from LocalStack's
parity tests into cases.json, the recorded suite `tests/recorded.rs` runs.

    python3 extract.py /path/to/localstack [commit]

reads, at that commit (git show, no checkout needed), every test module under
tests/aws/services/stepfunctions/v2/ with a *.snapshot.json: for each recorded
execution history, the test function that made it (parsed with ast, never
run), the machine it loaded (a json5 template), the Lambda functions it
created (their handler files are copied to handlers/), and how it put their
ARNs into the machine. The input, the events and the outcome come from the
snapshot itself. A case that cannot be rebuilt this way, or that uses what the
local runner does not model, is listed under "skipped" with the reason.
"""

import ast
import json
import os
import re
import subprocess
import sys

V2 = "tests/aws/services/stepfunctions/v2/"
HERE = os.path.dirname(os.path.abspath(__file__))
ARN = "arn:aws:lambda:us-east-1:111111111111:function:"


def show(repo, commit, path):
    return subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True, text=True, check=True).stdout


def files(repo, commit):
    out = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", commit, V2], capture_output=True, text=True, check=True)
    return out.stdout.split()


def json5(text):
    """The json5 LocalStack's templates use: comments and trailing commas."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        else:
            out.append(c)
            i += 1
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", "".join(out)))


def module_constants(repo, commit, module_path):
    """NAME -> path for `NAME: Final[str] = os.path.join(_THIS_FOLDER, "x")` in a module."""
    source = show(repo, commit, module_path)
    folder = os.path.dirname(module_path)
    constants = {}
    for node in ast.walk(ast.parse(source)):
        target = getattr(node, "target", None) or (node.targets[0] if isinstance(node, ast.Assign) else None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and len(value.args) == 2:
            arg = value.args[1]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                constants[target.id] = os.path.normpath(os.path.join(folder, arg.value))
    return constants


def imports(tree):
    """Alias -> module path for `from tests...x import Class as Alias` and `import ... lambda_functions`."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
            for name in node.names:
                aliases[name.asname or name.name] = node.module.replace(".", "/") + ".py"
                if name.name == "lambda_functions":
                    aliases[name.asname or name.name] = node.module.replace(".", "/") + "/lambda_functions.py"
    return aliases


def attr_path(node, aliases, constants):
    """The file an `Alias.NAME` expression names, or None."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
        return constants(aliases[node.value.id]).get(node.attr)
    return None


def template_parameters(function, case_id, aliases, constants):
    """{name: template file} for the parameters of a parametrized case that
    name its machine: a template path (`AT.BASE_X`, loaded by the test's own
    `load_sfn_template(template_path)`) or a loaded template
    (`AT.load_sfn_template(AT.BASE_X)`, the test's `template`), for a
    decorator that names its ids (`ids=[...]`)."""
    found = {}
    for name, element in parameter_nodes(function, case_id).items():
        if isinstance(element, ast.Call) and ast.unparse(element.func).endswith("load_sfn_template") and element.args:
            element = element.args[0]
        path = attr_path(element, aliases, constants)
        if path is not None:
            found[name] = path
    return found


STRING_CONSTANTS = {}


def string_constant(name):
    """The value of a template module's `NAME = <literal>` constant (read by
    `main` from every module under the templates folder), or None."""
    return STRING_CONSTANTS.get(name)


def read_string_constants(repo, commit):
    out = subprocess.run(
        ["git", "-C", repo, "ls-tree", "-r", "--name-only", commit, "tests/aws/services/stepfunctions/templates/"],
        capture_output=True, text=True, check=True,
    )
    for path in out.stdout.split():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(show(repo, commit, path))):
            target = getattr(node, "target", None) or (node.targets[0] if isinstance(node, ast.Assign) else None)
            value = getattr(node, "value", None)
            if isinstance(target, ast.Name) and isinstance(value, (ast.Constant, ast.List, ast.Dict)):
                try:
                    literal = ast.literal_eval(value)
                except ValueError:
                    continue
                if not isinstance(literal, str) or not literal.endswith((".json5", ".json", ".py")):
                    STRING_CONSTANTS.setdefault(target.id, literal)


def parameter_nodes(function, case_id):
    """{name: the value's expression} of the parameters of a parametrized case
    whose decorator names its ids (`ids=[...]`); {} otherwise."""
    match = re.search(r"\[(.*)\]$", case_id)
    if not match:
        return {}
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and "parametrize" in ast.unparse(decorator.func)):
            continue
        if len(decorator.args) < 2 or not isinstance(decorator.args[0], ast.Constant):
            continue
        names = [n.strip() for n in decorator.args[0].value.split(",")]
        ids = next((k.value for k in decorator.keywords if k.arg == "ids"), None)
        if not isinstance(decorator.args[1], ast.List):
            continue
        if ids is None:
            # `pytest.param(..., id="X")`, or pytest's own id for a plain value: the value itself.
            def auto_id(element):
                if isinstance(element, ast.Call) and ast.unparse(element.func).endswith("param"):
                    given = next((k.value for k in element.keywords if k.arg == "id"), None)
                    return given if given is not None else element
                if isinstance(element, ast.Constant) and len(names) == 1:
                    return ast.Constant(value=str(element.value))
                return element

            ids = ast.List(elts=[auto_id(e) for e in decorator.args[1].elts])
        if not isinstance(ids, ast.List):
            continue
        for id_node, element in zip(ids.elts, decorator.args[1].elts):
            if not (isinstance(id_node, ast.Constant) and id_node.value == match.group(1)):
                continue
            if isinstance(element, ast.Call) and ast.unparse(element.func).endswith("param"):
                element = element.args[0] if len(element.args) == 1 else ast.Tuple(elts=element.args)
            values = element.elts if len(names) > 1 and isinstance(element, ast.Tuple) else [element]
            return dict(zip(names, values))
    return {}


class Unresolved(Exception):
    """A value the extractor cannot compute without running the test."""


def rebuild(function, aliases, constants, case_id=""):
    """(template file, functions, machine edits) of a test function, or a
    reason it cannot be rebuilt. The edits are what the test's statements do
    to its template, in order, computed from literals, the case's parameter
    values, the template modules' string constants and the ARNs of the
    functions it creates: `("set", keys, value)` for
    `template[k1][k2] = value`, `("update", keys, value)` for
    `template[k1].update(value)`, `("replace", old, new)` for
    `definition = definition.replace(old, new)` on `json.dumps(template)`."""
    parameters = set()
    for decorator in function.decorator_list:
        if "parametrize" in ast.unparse(decorator) and isinstance(decorator, ast.Call) and decorator.args:
            first = decorator.args[0]
            parameters |= {p.strip() for p in first.value.split(",")} if isinstance(first, ast.Constant) else {"?"}
    by_parameter = template_parameters(function, case_id, aliases, constants) if parameters else {}
    values = parameter_values(function, case_id) if parameters else {}
    # Values that are not plain literals (`EJT.EXPRESSION`, `f"..."`) are
    # computed from their expressions when an edit reads them.
    nodes = parameter_nodes(function, case_id) if parameters else {}
    body = [n for statement in function.body for n in ast.walk(statement)]
    templates, lambdas, placeholders, arns = [], {}, {}, {}
    # The body only: a decorator's parameter values load templates of their own.
    for node in body:
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name == "create_and_test_on_inputs" and len(node.args) >= 5:
                # The intrinsic functions' helper loads its 5th argument.
                templates.append(attr_path(node.args[4], aliases, constants))
            elif name.endswith("load_sfn_template") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Name) and arg.id in by_parameter:
                    templates.append(by_parameter[arg.id])
                else:
                    templates.append(attr_path(arg, aliases, constants))
            elif name == "create_lambda_function":
                kw = {k.arg: k.value for k in node.keywords}
                if "func_name" in kw and "handler_file" in kw:
                    lambdas[ast.unparse(kw["func_name"])] = attr_path(kw["handler_file"], aliases, constants)
            elif name == "RegexTransformer" and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
                placeholders[ast.unparse(node.args[0])] = node.args[1].value
            elif name == "json.dumps" and node.args:
                # A parameter holding a loaded template, dumped as the definition.
                arg = node.args[0]
                if isinstance(arg, ast.Name) and arg.id == "template" and arg.id in by_parameter:
                    templates.append(by_parameter[arg.id])
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and "FunctionArn" in ast.unparse(node.value):
                arns[target.id] = ast.unparse(node.value)
    if len(templates) != 1 or templates[0] is None:
        return "the test builds its machine in code, not from one template"
    if None in lambdas.values():
        return "a Lambda handler the extractor cannot locate"
    # The function created by `create_N_res = create_lambda_function(func_name=V, ...)`.
    responses = {}
    for node in body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "create_lambda_function":
            kw = {k.arg: ast.unparse(k.value) for k in node.value.keywords}
            if isinstance(node.targets[0], ast.Name):
                responses[node.targets[0].id] = kw.get("func_name")
    functions = {}
    for variable, handler in lambdas.items():
        if variable not in placeholders:
            return "a Lambda function whose name the snapshot does not show"
        functions[placeholders[variable]] = handler

    # Parameter uses the interpreter accounts for; any other use of a
    # parameter may change the machine in ways it cannot follow.
    accounted = set()

    def arn_of(expression):
        text = ast.unparse(expression)
        response = next((r for r in responses if r in text), None) or next(
            (r for variable, expr in arns.items() if variable == text for r in responses if r in expr), None
        )
        if response is None or responses[response] not in placeholders:
            raise Unresolved(text)
        return ARN + placeholders[responses[response]]

    def value_of(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name) and node.id in values:
            accounted.add(id(node))
            return values[node.id]
        if isinstance(node, ast.Name) and node.id in nodes and node.id not in by_parameter:
            accounted.add(id(node))
            return value_of(nodes[node.id])
        if isinstance(node, ast.Name) and node.id in local and node.id not in arns:
            # A local variable the test computes from such values.
            try:
                return value_of(local[node.id])
            except Unresolved:
                pass
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            text = string_constant(node.attr)
            if text is None:
                raise Unresolved(ast.unparse(node))
            return text
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.format_spec is not None or part.conversion not in (-1, None):
                        raise Unresolved(ast.unparse(node))
                    parts.append(str(value_of(part.value)))
                else:
                    parts.append(str(value_of(part)))
            return "".join(parts)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "json.dumps" and len(node.args) == 1 and not node.keywords:
            return json.dumps(value_of(node.args[0]))
        if isinstance(node, ast.Dict) and None not in node.keys:
            return {value_of(k): value_of(v) for k, v in zip(node.keys, node.values)}
        if isinstance(node, (ast.List, ast.Tuple)):
            return [value_of(item) for item in node.elts]
        return arn_of(node)

    local = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id not in ("template", "definition", "exec_input"):
                local.setdefault(node.targets[0].id, node.value)
    def keys_of(node):
        """("template", [k1, k2]) for template[k1][k2], the keys computed."""
        slices = []
        while isinstance(node, ast.Subscript):
            slices.insert(0, node.slice)
            node = node.value
        root = node.id if isinstance(node, ast.Name) else None
        # Only the template's keys matter (and only they are computed).
        return root, [value_of(key) for key in slices] if root == "template" else []

    edits = []
    try:
        for node in body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                root, keys = keys_of(target) if isinstance(target, ast.Subscript) else (None, [])
                if root == "template" and keys:
                    edits.append(("set", keys, value_of(node.value)))
                elif ast.unparse(target) == "definition":
                    value = node.value
                    text = ast.unparse(value)
                    if text in ("json.dumps(template)", "json.dumps(definition)"):
                        continue
                    if not (isinstance(value, ast.Call) and ast.unparse(value.func) == "definition.replace" and len(value.args) == 2):
                        return "the test edits the machine's text in code"
                    edits.append(("replace", value_of(value.args[0]), value_of(value.args[1])))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
                root, keys = keys_of(node.func.value)
                if root == "template" and len(node.args) == 1:
                    edits.append(("update", keys, value_of(node.args[0])))
    except Unresolved as unresolved:
        return f"the test edits the machine in code ({unresolved})"
    if parameters:
        inputs = set(accounted)
        for node in body:
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "exec_input":
                inputs |= {id(n) for n in ast.walk(node.value)}
            if isinstance(node, ast.Call) and (
                ast.unparse(node.func).endswith("load_sfn_template") or ast.unparse(node.func) == "json.dumps"
            ):
                inputs |= {id(n) for n in node.args if isinstance(n, ast.Name) and n.id in by_parameter}
        used = [n for n in body if isinstance(n, ast.Name) and n.id in parameters and id(n) not in inputs]
        if "?" in parameters or used:
            return "parametrized: the machine depends on the parameter"
    return templates[0], functions, edits


def parameter_values(function, case_id):
    """{name: value} of the parameters of a parametrized case whose decorator
    names its ids (`ids=[...]`), read as literals; {} otherwise."""
    match = re.search(r"\[(.*)\]$", case_id)
    if not match:
        return {}
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and "parametrize" in ast.unparse(decorator.func)):
            continue
        if len(decorator.args) < 2 or not isinstance(decorator.args[0], ast.Constant):
            continue
        names = [n.strip() for n in decorator.args[0].value.split(",")]
        ids = next((k.value for k in decorator.keywords if k.arg == "ids"), None)
        if not isinstance(ids, ast.List) or not isinstance(decorator.args[1], ast.List):
            continue
        for id_node, element in zip(ids.elts, decorator.args[1].elts):
            if not (isinstance(id_node, ast.Constant) and id_node.value == match.group(1)):
                continue
            if isinstance(element, ast.Call) and ast.unparse(element.func).endswith("param"):
                element = element.args[0] if len(element.args) == 1 else ast.Tuple(elts=element.args)
            try:
                value = ast.literal_eval(element)
            except ValueError:
                return {}
            return dict(zip(names, value)) if len(names) > 1 else {names[0]: value}
    return {}


def input_from_parameters(function, parameters):
    """The execution input a test writes as `exec_input = json.dumps(LITERAL)`,
    its parameters put in, or None when it is not written that way."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "exec_input":
            call = node.value
            if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "json.dumps" and len(call.args) == 1):
                return None
            literal = (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Load, ast.UnaryOp, ast.USub)
            for part in ast.walk(call.args[0]):
                if not (isinstance(part, literal) or (isinstance(part, ast.Name) and part.id in parameters)):
                    return None
            # Only literals and the parameters' values: nothing of the test runs.
            return eval(compile(ast.Expression(call.args[0]), "exec_input", "eval"), {"__builtins__": {}}, parameters)
    return None


def snapshot_masks(function):
    """What the test's own transformers do to the recording: the values it
    masks (`JsonpathTransformer(jsonpath, replacement)`, as [jsonpath,
    replacement] pairs) and whether it reorders a Parallel state's events
    (`SfnNoneRecursiveParallelTransformer`)."""
    masks, parallel = [], False
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name == "SfnNoneRecursiveParallelTransformer":
            parallel = True
        elif name == "JsonpathTransformer":
            arguments = dict(zip(["jsonpath", "replacement"], node.args))
            arguments.update({k.arg: k.value for k in node.keywords})
            path, replacement = arguments.get("jsonpath"), arguments.get("replacement")
            if isinstance(path, ast.Constant) and isinstance(replacement, ast.Constant):
                masks.append([path.value, replacement.value])
    return masks, parallel


def default_function_timeout(repo, commit):
    """The Timeout LocalStack's `create_lambda_function` gives a function the
    test gives none: `LAMBDA_TIMEOUT_SEC` in localstack/utils/testutil.py."""
    source = show(repo, commit, "localstack-core/localstack/utils/testutil.py")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "LAMBDA_TIMEOUT_SEC":
            return ast.literal_eval(node.value)
    raise ValueError("LAMBDA_TIMEOUT_SEC not found in testutil.py")


def function_timeouts(function, placeholders):
    """{placeholder: seconds} for each function the test creates with `timeout=`."""
    timeouts = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "create_lambda_function":
            kw = {k.arg: k.value for k in node.keywords}
            name = ast.unparse(kw["func_name"]) if "func_name" in kw else None
            if name in placeholders and isinstance(kw.get("timeout"), ast.Constant):
                timeouts[placeholders[name]] = kw["timeout"].value
    return timeouts


def main():
    repo = sys.argv[1]
    commit = subprocess.run(["git", "-C", repo, "rev-parse", sys.argv[2] if len(sys.argv) > 2 else "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    cache = {}

    def constants(module):
        if module not in cache:
            try:
                cache[module] = module_constants(repo, commit, module)
            except subprocess.CalledProcessError:
                cache[module] = {}
        return cache[module]

    read_string_constants(repo, commit)
    cases, skipped, handlers = [], [], {}
    for snapshot_path in sorted(f for f in files(repo, commit) if f.endswith(".snapshot.json")):
        test_path = snapshot_path.replace(".snapshot.json", ".py")
        tree = ast.parse(show(repo, commit, test_path))
        aliases = imports(tree)
        tests = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name.startswith("test_")}
        for key, record in json.loads(show(repo, commit, snapshot_path)).items():
            content = record["recorded-content"]
            # One history per test, or one per input (`exec_hist_resp_N`, as
            # the intrinsic functions' `create_and_test_on_inputs` records them).
            recorded = [(key, content.get("get_execution_history"))]
            numbered = sorted((k for k in content if k.startswith("exec_hist_resp_")), key=lambda k: int(k.rsplit("_", 1)[1]))
            recorded += [(f"{key}#{k.rsplit('_', 1)[1]}", content[k]) for k in numbered]
            for case_id, history in recorded:
                if not history or "events" not in history:
                    continue
                name = key.split("::")[-1]
                function = tests.get(name.split("[")[0])
                result = rebuild(function, aliases, constants, key) if function else "no test function of that name"
                if isinstance(result, str):
                    skipped.append({"id": case_id, "reason": result})
                    continue
                template_path, functions, edits = result
                try:
                    definition = json5(show(repo, commit, template_path))
                except ValueError:
                    skipped.append({"id": case_id, "reason": "a template in a json5 form the extractor does not read"})
                    continue
                for edit in edits:
                    if edit[0] != "replace":
                        _, keys, value = edit
                        target = definition
                        for k in keys[:-1] if edit[0] == "set" else keys:
                            target = target[k]
                        if edit[0] == "set":
                            target[keys[-1]] = value
                        else:
                            target.update(value)
                replacements = [edit[1:] for edit in edits if edit[0] == "replace"]
                if replacements:
                    # The test replaces in `json.dumps(template)`'s text.
                    text = json.dumps(definition)
                    for old, new in replacements:
                        text = text.replace(old, new)
                    definition = json.loads(text)
                for placeholder, handler in functions.items():
                    handlers[os.path.basename(handler)] = show(repo, commit, handler)
                events = history["events"]
                case = {
                    "id": case_id,
                    "template": template_path,
                    "definition": definition,
                    "input": events[0]["executionStartedEventDetails"].get("input"),
                    "functions": {p: os.path.basename(h) for p, h in functions.items()},
                    "events": events,
                }
                # LocalStack masks timestamps in the recording ("date", "timestamp"):
                # an input the test wrote from its parameter is rebuilt from it.
                written = input_from_parameters(function, parameter_values(function, key))
                recorded = case["input"]
                if isinstance(recorded, str):
                    try:
                        recorded = json.loads(recorded)
                    except ValueError:
                        pass
                if written is not None and written != recorded:
                    case["input"] = written
                    case["input_from"] = "the test's parameter: LocalStack masked the recorded input"
                placeholders = {}
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and ast.unparse(node.func) == "RegexTransformer" and len(node.args) == 2:
                        if isinstance(node.args[1], ast.Constant):
                            placeholders[ast.unparse(node.args[0])] = node.args[1].value
                timeouts = function_timeouts(function, placeholders)
                if timeouts:
                    case["function_timeouts"] = timeouts
                masks, parallel = snapshot_masks(function)
                if masks:
                    case["masks"] = masks
                if parallel:
                    case["parallel_events_sorted"] = True
                cases.append(case)
    os.makedirs(os.path.join(HERE, "handlers"), exist_ok=True)
    for name, source in handlers.items():
        with open(os.path.join(HERE, "handlers", name), "w") as f:
            f.write(source)
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump({
            "source": "https://github.com/localstack/localstack",
            "commit": commit,
            # A function's Timeout when its case's `function_timeouts` does not name it.
            "function_timeout_seconds": default_function_timeout(repo, commit),
            "cases": cases,
            "not_rebuilt": skipped,
        }, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases, {len(skipped)} not rebuilt, {len(handlers)} handlers")


if __name__ == "__main__":
    main()
