// Debian's chromium driven by puppeteer-core, as every browser test launches it (tests/axe_page.js,
// preview_reload.js, web_browser.js): headless, no sandbox (the tests run as root in CI), nothing
// fetched in the background. puppeteer-core and @axe-core/puppeteer come from tools/ace (pinned there,
// installed by make test); CHROMIUM names another browser binary.
const path = require("path");
const modules = path.join(__dirname, "..", "tools", "ace", "node_modules");
const puppeteer = require(path.join(modules, "puppeteer-core"));

function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--no-first-run"],
  });
}

// axe-core's runner for a puppeteer page.
const { AxePuppeteer } = require(path.join(modules, "@axe-core", "puppeteer"));

module.exports = { launch, AxePuppeteer };
