"""The four checks of exercise 01, written for pytest, for the speed comparison
in bench/edit-to-verdict.sh. It calls the handler as a plain function: no
context object, no environment, no log capture beyond capsys."""
import importlib.util
import os

HANDLER = os.environ["HANDLER_FILE"]


def load():
    spec = importlib.util.spec_from_file_location("handler", HANDLER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_greets_the_name_in_the_event():
    assert load().lambda_handler({"name": "Ada"}, None) == {"statusCode": 200, "body": "Hello, Ada!"}


def test_greets_the_world_when_the_event_has_no_name():
    assert load().lambda_handler({}, None) == {"statusCode": 200, "body": "Hello, world!"}


def test_logs_who_it_greets(capsys):
    load().lambda_handler({"name": "Grace"}, None)
    assert capsys.readouterr().out.splitlines() == ["Saying hello to Grace"]


def test_answers_each_event_on_a_warm_start_too():
    module = load()
    assert module.lambda_handler({"name": "Ada"}, None)["body"] == "Hello, Ada!"
    assert module.lambda_handler({"name": "Linus"}, None)["body"] == "Hello, Linus!"
