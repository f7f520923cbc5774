// The class view's page in headless Chromium (tests/class.rs starts
// `lab class` and runs this with its addresses).
//
//   node tests/browser/class-view.mjs PAGE_URL CLASS_URL CODE
//
// 1. A learner posts progress; the page, already open, shows their row.
// 2. The learner posts again (the exercise now passed); the same page shows
//    it without a reload (a mark left on the window is still there).
// 3. An exercise title holding markup is shown as text: no element is made
//    from it and no script of it runs.
//
// It prints one JSON object on stdout: {failures: [...], checked: true};
// the exit code is 0 even when checks fail (the Rust test says what they are).

import puppeteer from "puppeteer-core";
import { chromium } from "./chromium.mjs";

const [pageUrl, classUrl, code] = process.argv.slice(2);
const failures = [];
const fail = (message) => failures.push(message);
const learner = "k3v9q2m7xw4tp8rbn5hd";
const hostileTitle = '<img src=x onerror="window.__injected = 1">';

async function post(status, attempts) {
  const body = {
    version: 1,
    learner,
    seat: "table 4",
    exercises: [
      { number: 1, id: "first-handler", title: "A first handler", status, attempts,
        firstAttempt: "2026-11-27T09:12:30Z", lastAttempt: "2026-11-27T09:20:02Z", hintsShown: 1 },
      { number: 2, id: "trust-and-permissions", title: hostileTitle, status: "not started", attempts: 0,
        firstAttempt: null, lastAttempt: null, hintsShown: 0 },
    ],
  };
  const response = await fetch(classUrl + "/progress", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Lab-Class-Code": code },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) fail("posting progress: " + response.status + " " + (await response.text()));
}

const cell = 'tr[data-seat="table 4"] td[data-exercise="1"]';
const statusOf = (page) => page.$eval(cell, (td) => td.dataset.status).catch(() => null);

const browser = await puppeteer.launch({
  executablePath: chromium(),
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let checked = false;
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => fail("a script error on the page: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      fail("console error: " + message.text());
    }
  });
  let loads = 0;
  page.on("load", () => { loads += 1; });
  await page.goto(pageUrl, { waitUntil: "load" });
  await page.waitForSelector("#status.live", { timeout: 10000 }).catch(() => fail("the page never said it is live"));
  const emptyShown = await page.$eval("#empty", (p) => !p.hidden);
  if (!emptyShown) fail("an empty class does not say nobody has joined");

  await post("failing", 1);
  await page.waitForSelector(cell + '[data-status="failing"]', { timeout: 10000 })
    .catch(() => fail("the learner's row never appeared"));
  const counts = await page.$eval(cell, (td) => td.textContent).catch(() => "");
  if (!/1 run, 1 hint/.test(counts)) fail("the cell does not give runs and hints: " + JSON.stringify(counts));
  await page.evaluate(() => { window.__stillHere = true; });

  await post("passed", 2);
  await page.waitForSelector(cell + '[data-status="passed"]', { timeout: 10000 })
    .catch(() => fail("the row did not change to passed"));
  const stillHere = await page.evaluate(() => window.__stillHere === true);
  if (!stillHere || loads !== 1) fail("the page reloaded (loads: " + loads + ") instead of updating in place");
  const passedCount = await page.$eval('tr[data-seat="table 4"] td.passed-count', (td) => td.textContent).catch(() => "");
  if (passedCount !== "1 of 2") fail("the passed count reads " + JSON.stringify(passedCount));

  const injected = await page.evaluate(() => window.__injected === 1 || document.querySelector("#class img") !== null);
  if (injected) fail("a title's markup became an element of the page");
  const title = await page.$eval("#class thead th:nth-child(5)", (th) => th.title).catch(() => "");
  if (title !== hostileTitle) fail("the hostile title is not kept as text: " + JSON.stringify(title));
  checked = true;
} catch (error) {
  fail("the check stopped: " + (error && error.stack ? error.stack : error));
} finally {
  await browser.close();
}
console.log(JSON.stringify({ failures, checked }));
