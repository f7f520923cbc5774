// The Web Worker that runs a page's Lambda functions: Python compiled to
// WebAssembly (Pyodide, served by the site itself), the project's own
// runtime client (the harness's runtime/*.py, as the build copied them into
// runner/runtime.json) and the browser's platform layer (platform.py).
//
// One worker is one machine with its execution environments: the page ends
// it when an invocation runs out of time, as Lambda ends an environment, and
// starts a new one for the next Run (a cold start).
//
// Messages from the page: {type: "invoke", request}, where `request` is
// what Platform.invoke_json takes. Messages to the page: {type: "loading",
// step}, {type: "phase", phase} (an init or an invocation starts, with its
// time limit), {type: "log", chunk} (the function wrote something), and
// {type: "reply", reply} or {type: "failed", message}.

let platform = null;

async function start(urls) {
  const settings = await (await fetch(urls.runtime)).json();
  if (settings.missing) throw new Error(settings.missing);
  post({ type: "loading", step: "Starting Python (Pyodide " + settings.python + ") in this page" });
  const { loadPyodide } = await import(urls.pyodide + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: urls.pyodide, stdout: () => {}, stderr: () => {} });
  post({ type: "loading", step: "Loading the Lambda runtime client" });
  pyodide.globals.set("lab_settings", JSON.stringify(settings));
  pyodide.globals.set("lab_post_log", (chunk) => post({ type: "log", chunk }));
  pyodide.globals.set("lab_post_phase", (text) => post({ type: "phase", phase: JSON.parse(text) }));
  pyodide.globals.set("lab_heap_mb", () => Math.ceil(pyodide._module.HEAP8.length / 1048576));
  pyodide.runPython(`
import json, sys, types

def _lab_load(name, file, source):
    # As the harness loads them (python.rs): from source, under a file name
    # that marks their frames as the runtime's own.
    module = types.ModuleType(name)
    module.__file__ = file
    sys.modules[name] = module
    exec(compile(source, file, "exec"), module.__dict__)
    return module

_lab = json.loads(lab_settings)
for _name, _source in _lab["modules"]:
    _lab_load("_lambda_" + _name, "<lambda-harness>/runtime/%s.py" % _name, _source)
_lab_platform = _lab_load("_lambda_platform", "<lambda-harness>/runtime/platform.py", _lab["platform"])
sys.modules["_lambda_sandbox"].base_modules.add("_lambda_platform")
_lab_platform.runtime_sources_registered(_lab["modules"])
lab_platform = _lab_platform.Platform(_lab, lab_post_log, lab_post_phase, lab_heap_mb)
`);
  return pyodide.globals.get("lab_platform");
}

function post(message) {
  self.postMessage(message);
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type !== "invoke") return;
  try {
    if (platform === null) platform = await start(message.urls);
    const reply = platform.invoke_json(JSON.stringify(message.request));
    post({ type: "reply", reply: JSON.parse(reply) });
  } catch (error) {
    post({ type: "failed", message: String(error && error.message ? error.message : error) });
  }
};
