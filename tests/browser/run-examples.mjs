// The book's Run buttons in headless Chromium, over a served book
// (tests/browser.rs starts `lab book` and runs this with its address).
//
//   node tests/browser/run-examples.mjs URL CHAPTER_PAGE... [--cases FILE] [--shots DIR]
//
// 1. A page opened and read, with nothing pressed, loads no Pyodide and
//    starts no worker.
// 2. On every page given, each Run button is pressed in turn; what appears
//    must be the output the page shows under the block (the next plain json
//    block), compared as JSON without the error's requestId, the comparison
//    tests/book_code.rs makes with the harness.
// 3. Running a block again is a warm start; an edited block is a cold one;
//    a handler that never returns is ended at its timeout as Lambda ends it,
//    and the next run starts afresh.
// 4. An exercise panel invokes its starter and keeps the reader's edits
//    across a reload.
// 5. With --cases, each handler of FILE (a JSON list of {name, code,
//    event}) is invoked through the page's runner and its reply is printed
//    for tests/browser.rs to compare with `cargo lab invoke`'s.
//
// It prints one JSON object on stdout: {failures: [...], timings: {...},
// cases: {...}}; the exit code is 0 even when checks fail (the Rust test
// reads the failures and says what they are).

import puppeteer from "puppeteer-core";
import { chromium } from "./chromium.mjs";
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const base = args.shift();
let casesFile = null;
let shots = null;
const pages = [];
while (args.length) {
  const arg = args.shift();
  if (arg === "--cases") casesFile = args.shift();
  else if (arg === "--shots") shots = args.shift();
  else pages.push(arg);
}

const failures = [];
const timings = {};
const cases = {};
const fail = (message) => failures.push(message);

const browser = await puppeteer.launch({
  executablePath: chromium(),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

async function open(address) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 1400 });
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => fail(address + ": a script error on the page: " + error.message));
  await page.goto(address, { waitUntil: "load" });
  return { page, requests };
}

const runnerIsIdle = (page) => page.waitForFunction(() => !document.querySelector("button.lab-run:disabled"), { timeout: 60000 });

// Click the i-th button matching `selector` (a block's Run by default)
// and wait for its output, the <pre> after the button's bar.
async function run(page, index, selector = "button.lab-block-run") {
  const started = Date.now();
  await page.evaluate((i, sel) => document.querySelectorAll(sel)[i].click(), index, selector);
  await page.waitForFunction(
    (i, sel) => {
      const button = document.querySelectorAll(sel)[i];
      return !button.disabled && button.parentElement.nextElementSibling.dataset.state !== undefined;
    },
    { timeout: 60000 },
    index,
    selector,
  );
  const shown = await page.evaluate((i, sel) => {
    const output = document.querySelectorAll(sel)[i].parentElement.nextElementSibling;
    const state = output.dataset.state;
    output.removeAttribute("data-state");
    return { state, text: output.textContent, response: output.dataset.response };
  }, index, selector);
  shown.ms = Date.now() - started;
  return shown;
}

// For each Run button: the output the page shows for it (the text of the
// next plain json block after the handler, as tests/book_code.rs reads it).
const expectedOutputs = (page) =>
  page.evaluate(() => {
    const codes = Array.from(document.querySelectorAll("main pre > code"));
    return codes
      .map((code, index) => ({ code, index }))
      .filter(({ code }) => code.classList.contains("language-python") && code.classList.contains("invoke"))
      .map(({ index }) => {
        const next = codes.slice(index + 1).find((c) => c.classList.contains("language-json") && !c.classList.contains("event"));
        return next ? next.textContent : null;
      });
  });

function withoutRequestId(text) {
  const value = JSON.parse(text);
  if (value && typeof value === "object" && !Array.isArray(value)) delete value.requestId;
  return JSON.stringify(value);
}

try {
  // 1. Read, not run: no Python downloaded.
  {
    const first = pages[0] || "handlers/index.html";
    const { page, requests } = await open(base + first);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const buttons = await page.$$eval("button.lab-block-run", (b) => b.length);
    if (buttons === 0) fail(first + ": no Run buttons on the page");
    const python = requests.filter((url) => url.includes("/pyodide/") || url.includes("worker.mjs") || url.includes("runtime.json"));
    if (python.length) fail(first + ": a page nobody pressed Run on loaded " + python.join(", "));
    timings.read_page_requests = requests.length;
    await page.close();
  }

  // 2. Every Run button of the pages given.
  let firstRun = true;
  for (const address of pages) {
    const { page } = await open(base + address);
    const expected = await expectedOutputs(page);
    for (let i = 0; i < expected.length; i++) {
      const shown = await run(page, i);
      if (firstRun) {
        timings.first_run_ms = shown.ms;
        firstRun = false;
        if (shots) await page.screenshot({ path: path.join(shots, "run-cold.png"), fullPage: false });
      }
      if (shown.state === "failed") {
        fail(`${address} block ${i + 1}: the run failed: ${shown.text}`);
        continue;
      }
      if (expected[i] === null) {
        fail(`${address} block ${i + 1}: no json block after it shows its output`);
        continue;
      }
      let same = false;
      try {
        same = withoutRequestId(shown.response) === withoutRequestId(expected[i]);
      } catch (error) {
        fail(`${address} block ${i + 1}: not JSON: ${error.message}`);
        continue;
      }
      if (!same) fail(`${address} block ${i + 1}: the page shows\n${expected[i]}\nbut the browser gives\n${shown.response}`);
      for (const line of ["START RequestId: ", "END RequestId: ", "REPORT RequestId: "]) {
        if (!shown.text.includes(line)) fail(`${address} block ${i + 1}: no ${line.trim()} line in\n${shown.text}`);
      }
      if (!shown.text.includes("(cold start)")) fail(`${address} block ${i + 1}: a first run is not a cold start:\n${shown.text}`);
    }
    await page.close();
  }

  // 3. Warm, edited, timed out, and afresh.
  {
    const address = pages[0];
    const { page } = await open(base + address);
    const cold = await run(page, 0);
    const warm = await run(page, 0);
    timings.warm_run_ms = warm.ms;
    if (!/Init Duration/.test(cold.text)) fail("a cold start's REPORT has no Init Duration:\n" + cold.text);
    if (!warm.text.includes("(warm start)") || /Init Duration/.test(warm.text)) fail("a second run is not warm:\n" + warm.text);
    if (shots) await page.screenshot({ path: path.join(shots, "run-warm.png") });
    await page.evaluate(() => {
      document.querySelector("code.language-python.invoke").textContent =
        'import time\n\ndef lambda_handler(event, context):\n    print("working")\n    while True:\n        pass\n';
    });
    const stuck = await run(page, 0);
    timings.timeout_run_ms = stuck.ms;
    if (!stuck.text.includes("Task timed out after 3.00 seconds") || !stuck.text.includes("Sandbox.Timedout")) {
      fail("a handler that never returns is not timed out as Lambda does:\n" + stuck.text);
    }
    if (!stuck.text.includes("working")) fail("what the handler printed before its timeout is lost:\n" + stuck.text);
    if (!stuck.text.includes("Status: timeout")) fail("REPORT of a timeout has no Status: timeout:\n" + stuck.text);
    await page.evaluate(() => {
      document.querySelector("code.language-python.invoke").textContent =
        'def lambda_handler(event, context):\n    return {"again": True}\n';
    });
    const after = await run(page, 0);
    if (!after.text.includes("(cold start)") || !after.text.includes('"again": true')) {
      fail("after a timeout the next run is not a fresh cold start:\n" + after.text);
    }
    await page.close();
  }

  // 4. An exercise panel.
  {
    const { page } = await open(base + "introduction/first-handler.html");
    await page.waitForSelector("div.lab-exercise textarea.lab-panel-code", { timeout: 10000 }).catch(() => null);
    const panel = await page.$("div.lab-exercise textarea.lab-panel-code");
    if (!panel) {
      fail("introduction/first-handler.html: no exercise panel");
    } else {
      const shown = await run(page, 0, "button.lab-panel-run");
      if (!shown.text.includes("START RequestId: ") || shown.state === "failed") fail("the exercise panel's Invoke shows:\n" + shown.text);
      if (shots) {
        await page.evaluate(() => document.querySelector("div.lab-exercise").scrollIntoView());
        await page.screenshot({ path: path.join(shots, "exercise-panel.png") });
      }
      await page.evaluate(() => {
        const box = document.querySelector("textarea.lab-panel-code");
        box.value = "# my edit\n" + box.value;
        box.dispatchEvent(new Event("input"));
      });
      await page.reload({ waitUntil: "load" });
      await page.waitForSelector("div.lab-exercise textarea.lab-panel-code");
      const kept = await page.$eval("textarea.lab-panel-code", (box) => box.value);
      if (!kept.startsWith("# my edit\n")) fail("the reader's edit of the exercise handler is lost on reload");
    }
    await page.close();
  }

  // 5. Handlers compared with `cargo lab invoke` by the Rust test.
  if (casesFile) {
    const { page } = await open(base + pages[0]);
    for (const one of JSON.parse(fs.readFileSync(casesFile, "utf8"))) {
      const reply = await page.evaluate(
        (one) => window.labRunner.invoke({ name: one.name, code: one.code, event: one.event, timeout_ms: 3000, memory_mb: 128 }),
        one,
      );
      cases[one.name] = reply.reply || { failed: reply.failed };
    }
    await page.close();
  }
} catch (error) {
  fail("the browser test stopped: " + (error.stack || error));
} finally {
  await browser.close();
}

console.log(JSON.stringify({ failures, timings, cases }));
