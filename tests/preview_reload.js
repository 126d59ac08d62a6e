// Opens the live preview in Debian's chromium and waits, without reloading it by hand, for a text
// to appear: prints « ready » once the page shows argv[3], then « seen » when it shows argv[4].
// Used by tests/test_preview.py; puppeteer-core comes from tools/ace (installed by make test).
const { launch } = require("./chromium");

async function shows(page, text, seconds) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    try {
      // Spaces compared as spaces: the typography stage sets no-break ones where French wants them.
      const found = await page.evaluate((t) => !!document.body
        && document.body.innerText.replace(/\s+/g, " ").includes(t.replace(/\s+/g, " ")), text);
      if (found) return;
    } catch (navigating) {
      // the page is reloading itself: ask again once it is back
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the preview never showed « ${text} »`);
}

(async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(process.argv[2]);
    await shows(page, process.argv[3], 30);
    console.log("ready");
    await shows(page, process.argv[4], 30);
    console.log("seen");
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(String(error)); process.exit(1); });
