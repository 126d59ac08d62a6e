// Runs axe-core on a page in Debian's chromium at each width given, and prints one JSON line per width:
// {"width": 390, "violations": [...], "header": x, "body": x} — the violations axe finds (rule id, impact,
// the elements), and the left edge of the header's text and of the body's text (they align on a desktop).
// Usage: node tests/axe_page.js URL 390 1280. Used by tests/test_presskit.py; @axe-core/puppeteer and
// puppeteer-core come from tools/ace (pinned there, installed by make test).
const { launch, AxePuppeteer } = require("./chromium");

(async () => {
  const [url, ...widths] = process.argv.slice(2);
  const browser = await launch();
  try {
    for (const width of widths.map(Number)) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      await page.goto(url, { waitUntil: "load" });
      const results = await new AxePuppeteer(page).analyze();
      const edges = await page.evaluate(() => ({
        header: document.querySelector("header h1").getBoundingClientRect().left,
        body: document.querySelector("main > *").getBoundingClientRect().left,
      }));
      const violations = results.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
      }));
      console.log(JSON.stringify({ width, violations, ...edges }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
