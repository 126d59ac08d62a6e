// Drives Debian's chromium over the web edition, served on the loopback, and prints one JSON report:
//   axe:     axe-core's violations (every rule it runs) on each page, at each width, by day and in dark mode;
//   filters: how many proposals each filter of propositions/index.html leaves visible, and what the
//            status line says;
//   search:  the pages the search page lists for a word.
// Used by tests/test_web.py; puppeteer-core and @axe-core/puppeteer come from tools/ace (make test).
// argv: base URL, then a JSON object {pages: [...], widths: [...], filters: [[name, value], ...], word}.
const { launch, AxePuppeteer } = require("./chromium");

async function axe(page, base, plan) {
  const found = [];
  for (const name of plan.pages) {
    for (const width of plan.widths) {
      for (const scheme of ["light", "dark"]) {
        if (scheme === "dark" && width !== plan.widths[plan.widths.length - 1]) continue;
        await page.setViewport({ width, height: 900 });
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        await page.goto(base + name, { waitUntil: "load" });
        const results = await new AxePuppeteer(page).analyze();
        found.push({ page: name, width, scheme, passes: results.passes.length,
                     violations: results.violations.map((v) => ({ id: v.id, impact: v.impact,
                       nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })) });
      }
    }
  }
  return found;
}

async function visible(page) {
  return page.evaluate(() => ({
    items: Array.from(document.querySelectorAll(".proposal-item")).filter((i) => i.offsetParent !== null)
      .map((i) => i.querySelector(".item-number").textContent.trim()),
    status: document.getElementById("filtre-compte").textContent.trim(),
  }));
}

async function filters(page, base, plan) {
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(base + "propositions/index.html", { waitUntil: "load" });
  const found = [{ filter: null, ...(await visible(page)) }];
  for (const [name, value] of plan.filters) {
    await page.click("#filtre-tout");
    if (name === "phare") {
      await page.focus("#filtre-phare");
      await page.keyboard.press("Space");   // keyboard-usable
    } else {
      await page.select(`#filtre-${name}`, value);
    }
    found.push({ filter: [name, value], ...(await visible(page)) });
  }
  return found;
}

async function search(page, base, plan) {
  await page.goto(base + "recherche.html", { waitUntil: "load" });
  await page.type("#recherche-mots", plan.word);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#recherche-resultats a").length > 0
    || /Aucun/.test(document.getElementById("recherche-compte").textContent), { timeout: 20000 });
  return page.evaluate(() => Array.from(document.querySelectorAll("#recherche-resultats a")).map((a) => a.href));
}

(async () => {
  const [base, planText] = process.argv.slice(2);
  const plan = JSON.parse(planText);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    const report = { axe: await axe(page, base, plan), filters: await filters(page, base, plan),
                     search: await search(page, base, plan) };
    report.foreign = requests.filter((url) => !url.startsWith(base) && !url.startsWith("data:"));
    console.log(JSON.stringify(report));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
