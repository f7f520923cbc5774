// Run buttons for the book's Lambda handlers, in the reader's browser.
//
// Every Python block marked `python,invoke` on a page (mdBook renders it as
// <code class="language-python invoke">) gets a Run button. The first press
// on a page starts a Web Worker (worker.mjs) that loads Pyodide from this
// site (never from another) and the project's own runtime client; nothing
// of it is downloaded before that press. The block and its event
// (`json,event`) can be edited in place; Run then shows what
// `cargo lab invoke` shows: the response or the error payload, and the
// function's log from START to REPORT.
//
// Each block is one function with its own execution environment: the first
// run is a cold start (Init Duration in REPORT), later runs of the same code
// are warm, and changed code is a new deployment (cold again). When an
// invocation outlives its timeout the page ends the worker, as Lambda ends
// the environment, and writes the timeout as Lambda does; the next Run on
// the page starts afresh. The time limits and the log lines follow the
// harness's record.rs (see runner/platform.py).
//
// The same machinery drives the exercise panels (`<div class="lab-exercise"
// data-exercise="01-first-handler">`): the starter handler and the
// exercise's events, edited and kept in this browser's storage.
(function () {
  "use strict";

  const root = typeof path_to_root === "string" ? path_to_root : "";
  const urls = {
    pyodide: new URL(root + "pyodide/", document.baseURI).href,
    runtime: new URL(root + "runner/runtime.json", document.baseURI).href,
  };
  const DEFAULT_TIMEOUT_MS = 3000;
  const DEFAULT_MEMORY_MB = 128;

  // ---- the worker: one per page, started on the first Run -------------

  let worker = null;
  let current = null; // the invocation running: {resolve, phase, logs, timer, request}
  const queue = [];

  function startWorker() {
    worker = new Worker(new URL(root + "runner/worker.mjs", document.baseURI).href, { type: "module" });
    worker.onmessage = (event) => onWorkerMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ failed: "The browser could not start Python: " + (event.message || "the worker failed to load") });
    };
  }

  function invoke(request, onProgress) {
    return new Promise((resolve) => {
      queue.push({ request, resolve, onProgress });
      if (current === null) next();
    });
  }

  function next() {
    current = queue.shift() || null;
    if (current === null) return;
    current.logs = "";
    current.phase = null;
    if (worker === null) startWorker();
    worker.postMessage({ type: "invoke", urls, request: current.request });
  }

  function onWorkerMessage(message) {
    if (current === null) return;
    if (message.type === "loading") {
      current.onProgress(message.step + "…");
    } else if (message.type === "log") {
      current.logs += message.chunk;
    } else if (message.type === "phase") {
      current.onProgress(message.phase.phase === "invoke" ? "Running…" : "Importing the handler (init)…");
      current.phase = message.phase;
      current.logs = "";
      clearTimeout(current.timer);
      current.timer = setTimeout(() => ranOutOfTime(), message.phase.limit_ms);
    } else if (message.type === "reply") {
      finish({ reply: message.reply });
    } else if (message.type === "failed") {
      finish({ failed: message.message });
    }
  }

  function finish(outcome) {
    if (current === null) return;
    clearTimeout(current.timer);
    const done = current;
    current = null;
    done.resolve(outcome);
    next();
  }

  // The time is up: end the worker (the environment), then write what
  // Lambda writes. An init that ran out of its 10 s is tried once more in
  // the invoke phase, in a new worker, as Lambda tries it again.
  function ranOutOfTime() {
    const running = current;
    const phase = running.phase;
    worker.terminate();
    worker = null;
    const lines = phase.lines.concat(splitLogs(running.logs));
    const seconds = (running.request.timeout_ms / 1000).toFixed(2);
    const error = {
      errorMessage: "RequestId: " + phase.request_id + " Error: Task timed out after " + seconds + " seconds",
      errorType: "Sandbox.Timedout",
    };
    const memory = running.request.memory_mb;
    if (phase.phase === "init-init") {
      const initMs = phase.init_ms + phase.limit_ms;
      lines.push(initReport(initMs, "init"));
      running.request = Object.assign({}, running.request, { carried: { lines, init_ms: initMs } });
      running.logs = "";
      running.phase = null;
      startWorker();
      worker.postMessage({ type: "invoke", urls, request: running.request });
      return;
    }
    if (phase.phase === "init-invoke") {
      lines.push(initReport(phase.init_ms + phase.limit_ms, "invoke"));
      lines.push("START RequestId: " + phase.request_id + " Version: $LATEST");
      lines.push("END RequestId: " + phase.request_id);
      lines.push(report(phase.request_id, 0, null, memory, phase.memory_mb) + "\tStatus: error\tError Type: Sandbox.Timedout");
    } else {
      lines.push(new Date().toISOString() + " " + phase.request_id + " Task timed out after " + seconds + " seconds");
      lines.push("END RequestId: " + phase.request_id);
      lines.push(report(phase.request_id, phase.limit_ms, phase.init_ms, memory, phase.memory_mb) + "\tStatus: timeout");
    }
    finish({
      reply: { ok: false, body: JSON.stringify(error), lines, cold: phase.init_ms !== null, request_id: phase.request_id },
      ended: true,
    });
  }

  function initReport(initMs, phase) {
    return "INIT_REPORT Init Duration: " + initMs.toFixed(2) + " ms\tPhase: " + phase + "\tStatus: error\tError Type: Sandbox.Timedout";
  }

  function report(requestId, durationMs, initMs, memorySize, used) {
    const billed = Math.max(1, Math.ceil(durationMs + (initMs || 0)));
    let line = "REPORT RequestId: " + requestId + "\tDuration: " + durationMs.toFixed(2) + " ms\tBilled Duration: " +
      billed + " ms\tMemory Size: " + memorySize + " MB\tMax Memory Used: " + used + " MB";
    if (initMs !== null && initMs !== undefined) line += "\tInit Duration: " + initMs.toFixed(2) + " ms";
    return line;
  }

  function splitLogs(text) {
    if (!text) return [];
    return text.replace(/\n$/, "").split("\n");
  }

  // ---- what a run shows ----------------------------------------------

  // The runtime's JSON text laid out with two-space indents, every token
  // kept as written (12.50 stays 12.50, as `cargo lab invoke` shows it).
  function layout(text) {
    let out = "";
    let depth = 0;
    let i = 0;
    const pad = () => "\n" + "  ".repeat(depth);
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
        out += text.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === "{" || c === "[") {
        const close = c === "{" ? "}" : "]";
        let k = i + 1;
        while (k < text.length && /\s/.test(text[k])) k++;
        if (text[k] === close) {
          out += c + close;
          i = k + 1;
          continue;
        }
        depth++;
        out += c + pad();
      } else if (c === "}" || c === "]") {
        depth--;
        out += pad() + c;
      } else if (c === ",") {
        out += "," + pad();
      } else if (c === ":") {
        out += ": ";
      } else if (!/\s/.test(c)) {
        out += c;
      }
      i++;
    }
    return out;
  }

  function isJson(text) {
    try {
      JSON.parse(text);
      return true;
    } catch (_) {
      return false;
    }
  }

  function shownText(reply, round) {
    const start = reply.cold ? "cold start" : "warm start";
    let text = "=== Invocation " + round + " (" + start + ") ===\n";
    if (reply.ok) {
      text += "Response:\n" + (isJson(reply.body) ? layout(reply.body) : reply.body) + "\n";
      if (reply.content_type && reply.content_type !== "application/json") {
        text += "(content type: " + reply.content_type + ")\n";
      }
    } else {
      text += "Response (an error, so the caller sees FunctionError: Unhandled):\n" + layout(reply.body) + "\n";
    }
    text += "\nFunction logs:\n";
    // The runtime joins a traceback's lines with carriage returns; the
    // console shows them on several lines, as `cargo lab invoke` does.
    text += reply.lines.map((line) => line.replace(/\r/g, "\n")).join("\n");
    return text;
  }

  // ---- the page's blocks ---------------------------------------------

  // Each runnable block with its event: the nearest `json,event` block
  // before it, or one between it and its output (the next plain json
  // block), the rule tests/book_code.rs checks pages by.
  function runnableBlocks() {
    const codes = Array.from(document.querySelectorAll("main pre > code"));
    const found = [];
    let event = null;
    const used = new Set();
    codes.forEach((code, index) => {
      const classes = code.classList;
      if (classes.contains("language-json") && classes.contains("event")) {
        if (!used.has(code)) event = code;
        return;
      }
      if (!(classes.contains("language-python") && classes.contains("invoke"))) return;
      let own = event;
      for (const later of codes.slice(index + 1)) {
        if (!later.classList.contains("language-json")) continue;
        if (later.classList.contains("event")) {
          own = later;
          used.add(later);
          continue;
        }
        break;
      }
      found.push({ code, event: own });
      event = null;
    });
    return found;
  }

  function editable(code) {
    code.setAttribute("contenteditable", "plaintext-only");
    code.setAttribute("spellcheck", "false");
    code.classList.add("lab-editable");
    // Typing in a page must not turn mdBook's keyboard shortcuts (arrows
    // change page, s searches) on.
    code.addEventListener("keydown", (event) => event.stopPropagation());
  }

  // What a block holds: as laid out on screen (innerText turns the line
  // breaks an edit made into newlines), or its plain text when it is not
  // on screen (an example inside a closed hint).
  function textOf(code) {
    const text = code.innerText.trim() === "" ? code.textContent : code.innerText;
    return text.replace(/\u00a0/g, " ");
  }

  // Invoke what `request()` describes and show it in `output`, as a Run or
  // Invoke button does: progress while Python starts, then the invocation
  // as `cargo lab invoke` shows it (`round()` numbers it), or what failed
  // followed by `advice`.
  async function runInto(button, output, request, round, advice) {
    button.disabled = true;
    output.hidden = false;
    output.textContent = "Starting…";
    const started = performance.now();
    const outcome = await invoke(request(), (step) => (output.textContent = step));
    button.disabled = false;
    if (outcome.failed) {
      output.textContent = outcome.failed + advice;
      output.dataset.state = "failed";
      return;
    }
    output.textContent = shownText(outcome.reply, round());
    output.dataset.state = outcome.reply.ok ? "ok" : "error";
    output.dataset.response = outcome.reply.body;
    output.dataset.ms = String(Math.round(performance.now() - started));
  }

  function addRunButton(block, number) {
    const pre = block.code.parentElement;
    editable(block.code);
    if (block.event) editable(block.event);
    const bar = document.createElement("div");
    bar.className = "lab-run-bar";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lab-run lab-block-run";
    button.textContent = "▶ Run";
    button.title = "Invoke this handler in your browser, as Lambda would" +
      (block.event ? " (with the event shown above or below it)" : " (with the event {})");
    const note = document.createElement("span");
    note.className = "lab-run-note";
    note.textContent = "Edit the code" + (block.event ? " or the event" : "") + ", then run it again.";
    bar.append(button, note);
    const output = document.createElement("pre");
    output.className = "lab-run-output";
    output.hidden = true;
    pre.after(bar, output);
    let rounds = 0;
    button.addEventListener("click", () =>
      runInto(button, output, () => ({
        name: "block-" + number,
        code: textOf(block.code),
        event: block.event ? textOf(block.event) : "{}",
        timeout_ms: DEFAULT_TIMEOUT_MS,
        memory_mb: DEFAULT_MEMORY_MB,
      }), () => ++rounds, "\n\nRun it on your machine instead: cargo lab invoke FILE.py"),
    );
  }

  // ---- exercise panels -------------------------------------------------

  async function addExercisePanel(panel) {
    const slug = panel.dataset.exercise;
    let exercise;
    try {
      const response = await fetch(new URL(root + "runner/exercises/" + slug + ".json", document.baseURI).href);
      exercise = await response.json();
    } catch (_) {
      panel.textContent = "This exercise's files are not part of this build of the book.";
      return;
    }
    const key = "lab-exercise:" + slug;
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    const title = document.createElement("p");
    title.className = "lab-panel-title";
    title.textContent = "Try it here: " + exercise.handler_file + " (your edits stay in this browser)";
    const editor = document.createElement("textarea");
    editor.className = "lab-panel-code";
    editor.spellcheck = false;
    editor.value = saved ? saved.code : exercise.starter;
    editor.rows = Math.min(30, Math.max(8, editor.value.split("\n").length + 1));
    const pick = document.createElement("select");
    pick.className = "lab-panel-events";
    for (const [index, ev] of exercise.events.entries()) {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = ev.name;
      pick.append(option);
    }
    const eventBox = document.createElement("textarea");
    eventBox.className = "lab-panel-event";
    eventBox.spellcheck = false;
    eventBox.rows = 8;
    const showEvent = () => {
      const edited = saved && saved.events && saved.events[pick.value];
      eventBox.value = edited || exercise.events[Number(pick.value)].body;
    };
    pick.addEventListener("change", showEvent);
    showEvent();
    const save = () => {
      const state = JSON.parse(localStorage.getItem(key) || "{}");
      state.code = editor.value;
      state.events = state.events || {};
      state.events[pick.value] = eventBox.value;
      localStorage.setItem(key, JSON.stringify(state));
    };
    editor.addEventListener("input", save);
    eventBox.addEventListener("input", save);
    for (const box of [editor, eventBox]) box.addEventListener("keydown", (event) => event.stopPropagation());
    const bar = document.createElement("div");
    bar.className = "lab-run-bar";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lab-run lab-panel-run";
    button.textContent = "▶ Invoke";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "lab-restore";
    restore.textContent = "Start over";
    restore.title = "Put the starter handler and the events back (your edits are forgotten)";
    restore.addEventListener("click", () => {
      if (!confirm("Forget your edits in this browser and put the starter back?")) return;
      localStorage.removeItem(key);
      editor.value = exercise.starter;
      showEvent();
    });
    bar.append(button, restore);
    const output = document.createElement("pre");
    output.className = "lab-run-output";
    output.hidden = true;
    panel.replaceChildren(title, editor, pick, eventBox, bar, output);
    let rounds = 0;
    button.addEventListener("click", () =>
      runInto(button, output, () => ({
        name: "exercise-" + slug,
        function: exercise.function,
        code: editor.value,
        event: eventBox.value,
        timeout_ms: exercise.timeout_ms || DEFAULT_TIMEOUT_MS,
        memory_mb: exercise.memory_mb || DEFAULT_MEMORY_MB,
      }), () => ++rounds, ""),
    );
  }

  // For the browser tests (tests/browser/) and the curious: invoke a
  // handler as a Run button does, and get the reply it shows.
  window.labRunner = { invoke: (request) => invoke(request, () => {}), shownText };

  function setUp() {
    runnableBlocks().forEach((block, index) => addRunButton(block, index + 1));
    document.querySelectorAll("div.lab-exercise[data-exercise]").forEach((panel) => addExercisePanel(panel));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
