// Where the browser the tests and the benchmark drive is: CHROMIUM, or the
// first of Debian's `chromium` (apt-get install chromium), `chromium-browser`
// or `google-chrome` on the PATH. puppeteer-core wants a path, not a name.
import fs from "node:fs";
import path from "node:path";

export function chromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return "chromium";
}
