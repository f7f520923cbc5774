// Speed of the Run buttons (bench/browser-run.sh runs it): a page read
// with nothing pressed, the first Run in a browser with an empty cache,
// warm runs, and the first Run on another page once the browser has
// Pyodide cached. Prints one JSON object.
import puppeteer from "puppeteer-core";
import { chromium } from "./chromium.mjs";

const base = process.argv[2];
const rounds = Number(process.argv[3] || 10);

const browser = await puppeteer.launch({ executablePath: chromium(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function open(address) {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  let bytes = 0;
  cdp.on("Network.loadingFinished", (event) => (bytes += event.encodedDataLength));
  await page.goto(base + address, { waitUntil: "networkidle0" });
  return { page, bytes: () => bytes };
}

async function run(page) {
  const started = performance.now();
  await page.evaluate(() => document.querySelector("button.lab-block-run").click());
  await page.waitForFunction(() => {
    const button = document.querySelector("button.lab-block-run");
    return !button.disabled && button.parentElement.nextElementSibling.dataset.state !== undefined;
  }, { timeout: 60000 });
  const ms = performance.now() - started;
  await page.evaluate(() => document.querySelector("button.lab-block-run").parentElement.nextElementSibling.removeAttribute("data-state"));
  return ms;
}

const figures = {};
{
  const { page, bytes } = await open("handlers/index.html");
  figures.read_page_kb = Math.round(bytes() / 1024);
  figures.first_run_ms = Math.round(await run(page));
  const warm = [];
  for (let i = 0; i < rounds; i++) warm.push(await run(page));
  figures.warm_run_ms_median = Math.round(median(warm) * 10) / 10;
  await page.close();
}
{
  const { page } = await open("events/sources.html");
  figures.first_run_cached_ms = Math.round(await run(page));
  await page.close();
}
await browser.close();
console.log(JSON.stringify(figures));
