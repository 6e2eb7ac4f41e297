// Browser checks for Hearth with Debian's chromium driven by playwright-core:
//   (a) Swagger UI at $HEARTH_BASE_URL/docs/ renders the operations; screenshot
//       saved to <repo>/target/browser/docs.png;
//   (b) a page served from http://localhost:$ALLOWED_ORIGIN_PORT (in the API's
//       CORS allow list) can log in and read /me with fetch;
//   (c) the same page served from http://localhost:$REFUSED_ORIGIN_PORT (not in
//       the allow list) is blocked by the browser: fetch rejects with TypeError.
// Env: HEARTH_BASE_URL, HEARTH_TENANT, HEARTH_EMAIL, HEARTH_PASSWORD,
//      ALLOWED_ORIGIN_PORT, REFUSED_ORIGIN_PORT; optional CHROMIUM_PATH
//      (default /usr/bin/chromium).
// Prints "ok ..." per passed check and "FAIL: ..." on the first failure (exit 1).
import { accessSync, constants as fsConstants, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TOTAL_TIMEOUT_MS = 110_000; // hard stop, under the 2 minute budget
const STEP_TIMEOUT_MS = 20_000; // any single wait in the browser
const NAV_TIMEOUT_MS = 30_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const screenshotDir = path.join(repoRoot, "target", "browser");
const screenshotPath = path.join(screenshotDir, "docs.png");

class CheckFailure extends Error {}
const fail = (message) => {
  throw new CheckFailure(message);
};
const ok = (message) => console.log(`ok   ${message}`);
const info = (message) => console.log(`     ${message}`);

function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") fail(`environment variable ${name} is not set`);
  return value;
}

function port(name) {
  const raw = env(name);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`${name}=${raw} is not a TCP port`);
  return n;
}

// ---------------------------------------------------------------- test page
// The page served from the two extra origins. Credentials are not in the HTML:
// the test calls window.hearthCheck(...) through page.evaluate, so the fetches
// are made by the page's own script, from the page's origin.
const TEST_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Hearth CORS check</title></head>
<body>
<h1>Hearth CORS check</h1>
<pre id="out">idle</pre>
<script>
  const out = document.getElementById("out");
  function errorInfo(err) {
    return { name: err && err.name, message: String(err && err.message), isTypeError: err instanceof TypeError };
  }
  // Logs in and reads /me on the API with fetch. Never throws: returns what happened.
  window.hearthCheck = async function (apiBase, tenant, email, password) {
    const result = { origin: location.origin, step: "login" };
    out.textContent = "running";
    try {
      const login = await fetch(apiBase + "/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ tenant, email, password }),
      });
      result.loginStatus = login.status;
      result.loginRequestId = login.headers.get("x-request-id");
      const body = await login.json();
      if (!login.ok) { result.loginBody = body; out.textContent = JSON.stringify(result); return result; }
      result.step = "me";
      const me = await fetch(apiBase + "/api/v1/me", {
        headers: { "Authorization": "Bearer " + body.access_token, "Accept": "application/json" },
      });
      result.meStatus = me.status;
      const meBody = await me.json();
      result.meEmail = meBody.email;
      result.step = "done";
    } catch (err) {
      result.error = errorInfo(err);
    }
    // A simple (non-preflighted) GET as well, to check the response itself is
    // withheld from other origins, not only preflighted requests.
    try {
      const spec = await fetch(apiBase + "/api/v1/openapi.json");
      result.simpleGetStatus = spec.status;
    } catch (err) {
      result.simpleGetError = errorInfo(err);
    }
    out.textContent = JSON.stringify(result, null, 2);
    return result;
  };
</script>
</body>
</html>
`;

function startPageServer(listenPort) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      if (req.method === "GET" && (req.url === "/" || req.url === "/index.html")) {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
        res.end(TEST_PAGE);
      } else if (req.url === "/favicon.ico") {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("not found\n");
      }
    });
    server.once("error", (err) =>
      reject(new CheckFailure(`cannot serve the test page on 127.0.0.1:${listenPort}: ${err.message}`)),
    );
    server.listen(listenPort, "127.0.0.1", () => resolve(server));
  });
}

// Raw CORS response headers seen by a non-browser client, for failure messages.
async function corsHeaders(url, origin, preflight) {
  try {
    const res = await fetch(url, {
      method: preflight ? "OPTIONS" : "GET",
      headers: preflight
        ? { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" }
        : { Origin: origin },
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return `HTTP ${res.status}, access-control-allow-origin: ${res.headers.get("access-control-allow-origin") ?? "(absent)"}`;
  } catch (err) {
    return `request failed: ${err.message}`;
  }
}

// ---------------------------------------------------------------- checks
async function checkDocs(context, baseUrl) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"}`);
    });
  });

  // /docs redirects to /docs/.
  const redirect = await fetch(`${baseUrl}/docs`, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
  const location = redirect.headers.get("location") ?? "";
  if (redirect.status < 300 || redirect.status > 399 || !/\/docs\/$/.test(location)) {
    fail(`GET /docs: expected a redirect to /docs/, got HTTP ${redirect.status} location "${location}"`);
  }
  ok(`GET /docs -> ${redirect.status} ${location}`);

  const url = `${baseUrl}/docs/`;
  const response = await page.goto(url, { waitUntil: "domcontentloaded", timeout: NAV_TIMEOUT_MS });
  if (!response || response.status() !== 200) fail(`GET ${url}: HTTP ${response?.status() ?? "(no response)"}`);
  const csp = response.headers()["content-security-policy"];
  info(`/docs/ Content-Security-Policy: ${csp ?? "(none)"}`);

  const details = () => (problems.length ? `\n  page problems:\n    ${problems.join("\n    ")}` : "");
  try {
    await page.waitForFunction(() => document.querySelectorAll(".opblock").length >= 10, null, {
      timeout: STEP_TIMEOUT_MS,
    });
  } catch {
    const count = await page.locator(".opblock").count();
    const err = await page.locator(".swagger-ui .errors-wrapper, .swagger-ui .loading-container").allInnerTexts();
    fail(`Swagger UI rendered ${count} operations (.opblock) within ${STEP_TIMEOUT_MS / 1000}s, expected at least 10` +
      (err.length ? `; Swagger UI says: ${err.join(" | ").slice(0, 500)}` : "") + details());
  }
  const operations = await page.locator(".opblock").count();
  const title = (await page.locator(".swagger-ui .info .title").first().innerText({ timeout: STEP_TIMEOUT_MS })).trim();
  if (!title.startsWith("Hearth API")) fail(`Swagger UI title is "${title}", expected "Hearth API"` + details());
  const tags = await page.locator(".opblock-tag-section").count();
  ok(`Swagger UI at ${url} rendered "${title.replace(/\s+/g, " ")}" with ${operations} operations in ${tags} tags`);

  // Let late requests (fonts, images) settle before the screenshot.
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: screenshotPath, fullPage: true, timeout: STEP_TIMEOUT_MS });
  ok(`screenshot saved to ${path.relative(repoRoot, screenshotPath)}`);

  const violations = await page.evaluate(() => window.__cspViolations);
  for (const v of violations) info(`warning: CSP violation on /docs/: ${v}`);
  for (const p of problems) info(`warning: /docs/ ${p}`);
  await page.close();
}

async function runPage(context, origin, api, creds) {
  const page = await context.newPage();
  const consoleLines = [];
  page.on("console", (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
  const response = await page.goto(`${origin}/`, { waitUntil: "load", timeout: NAV_TIMEOUT_MS });
  if (!response || response.status() !== 200) fail(`cannot load the test page from ${origin}`);
  const result = await page.evaluate(
    ([apiBase, tenant, email, password]) => window.hearthCheck(apiBase, tenant, email, password),
    [api, creds.tenant, creds.email, creds.password],
  );
  await page.close();
  return { result, consoleLines };
}

async function checkAllowedOrigin(context, origin, api, creds) {
  const { result, consoleLines } = await runPage(context, origin, api, creds);
  const explain = async () =>
    `\n  page result: ${JSON.stringify(result)}` +
    `\n  preflight from ${origin}: ${await corsHeaders(`${api}/api/v1/auth/login`, origin, true)}` +
    (consoleLines.length ? `\n  browser console:\n    ${consoleLines.join("\n    ")}` : "");
  if (result.error) {
    fail(`fetch from allowed origin ${origin} to ${api} rejected (${result.error.name}: ${result.error.message}); ` +
      `is the server running with HEARTH_HTTP__CORS_ORIGINS=${origin}?` + (await explain()));
  }
  if (result.loginStatus !== 200) fail(`login from ${origin}: HTTP ${result.loginStatus}` + (await explain()));
  if (result.meStatus !== 200) fail(`GET /me from ${origin}: HTTP ${result.meStatus}` + (await explain()));
  if (result.meEmail !== creds.email) fail(`GET /me from ${origin}: email ${result.meEmail}, expected ${creds.email}`);
  if (!result.loginRequestId) fail(`x-request-id is not readable from ${origin} (Access-Control-Expose-Headers)` + (await explain()));
  if (result.simpleGetStatus !== 200) fail(`GET /api/v1/openapi.json from ${origin}: ${JSON.stringify(result)}`);
  ok(`page on allowed origin ${origin}: fetch login -> 200, /me -> 200 ${result.meEmail}, x-request-id readable`);
}

async function checkRefusedOrigin(context, origin, api, creds) {
  const { result, consoleLines } = await runPage(context, origin, api, creds);
  const corsLog = consoleLines.filter((l) => /CORS|Access-Control|blocked/i.test(l));
  const explain = async () =>
    `\n  page result: ${JSON.stringify(result)}` +
    `\n  preflight from ${origin}: ${await corsHeaders(`${api}/api/v1/auth/login`, origin, true)}` +
    `\n  simple GET from ${origin}: ${await corsHeaders(`${api}/api/v1/openapi.json`, origin, false)}`;
  if (!result.error) {
    fail(`fetch from refused origin ${origin} was NOT blocked: login HTTP ${result.loginStatus}` +
      ` (is ${origin} in HEARTH_HTTP__CORS_ORIGINS, or does the API allow any origin?)` + (await explain()));
  }
  if (!result.error.isTypeError || result.step !== "login") {
    fail(`fetch from refused origin ${origin}: expected the login fetch to reject with TypeError, got ` +
      `${result.error.name}: ${result.error.message} at step ${result.step}` + (await explain()));
  }
  if (!result.simpleGetError?.isTypeError) {
    fail(`simple GET /api/v1/openapi.json from refused origin ${origin} was not blocked` + (await explain()));
  }
  ok(`page on refused origin ${origin}: login fetch rejected (TypeError: ${result.error.message}), simple GET rejected too`);
  for (const line of corsLog.slice(0, 2)) info(`browser: ${line.slice(0, 200)}`);
}

// ---------------------------------------------------------------- main
async function main() {
  const baseUrl = env("HEARTH_BASE_URL").replace(/\/+$/, "");
  const creds = { tenant: env("HEARTH_TENANT"), email: env("HEARTH_EMAIL"), password: env("HEARTH_PASSWORD") };
  const allowedPort = port("ALLOWED_ORIGIN_PORT");
  const refusedPort = port("REFUSED_ORIGIN_PORT");
  if (allowedPort === refusedPort) fail("ALLOWED_ORIGIN_PORT and REFUSED_ORIGIN_PORT must differ");
  const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  try {
    accessSync(chromiumPath, fsConstants.X_OK);
  } catch {
    fail(`${chromiumPath} is missing or not executable; install Debian's chromium: apt-get update && apt-get install -y chromium`);
  }

  // Is the API up at all? Gives a clearer message than a browser timeout.
  try {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    if (!res.ok) fail(`GET ${baseUrl}/api/v1/openapi.json: HTTP ${res.status}`);
  } catch (err) {
    if (err instanceof CheckFailure) throw err;
    fail(`cannot reach the API at ${baseUrl}: ${err.cause?.message ?? err.message}`);
  }

  const { chromium } = await import("playwright-core");
  const servers = [];
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "hearth-browser-profile-"));
  let context;
  try {
    servers.push(await startPageServer(allowedPort), await startPageServer(refusedPort));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
      viewport: { width: 1280, height: 900 },
      timeout: 30_000,
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    info(`chromium ${context.browser()?.version() ?? ""} at ${chromiumPath}`.trim());

    await checkDocs(context, baseUrl);
    await checkAllowedOrigin(context, `http://localhost:${allowedPort}`, baseUrl, creds);
    await checkRefusedOrigin(context, `http://localhost:${refusedPort}`, baseUrl, creds);
  } finally {
    await context?.close().catch(() => {});
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r()))));
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`FAIL: browser checks did not finish within ${TOTAL_TIMEOUT_MS / 1000}s`);
  process.exit(1); // playwright kills the browser it launched on exit
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
  () => {
    console.log("PASS: browser checks (Swagger UI renders, CORS allows the listed origin and blocks others)");
    process.exit(0);
  },
  (err) => {
    if (err instanceof CheckFailure) console.error(`FAIL: ${err.message}`);
    else console.error(`FAIL: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
