// Live smoke test of the generated client against a running Hearth server:
// login -> GET /me -> refresh -> GET /me (new token) -> logout -> GET /me is 401.
//
// Env: HEARTH_BASE_URL (e.g. http://127.0.0.1:8080, without /api/v1),
//      HEARTH_TENANT, HEARTH_EMAIL, HEARTH_PASSWORD.
// Exits 0 when every step passes, 1 with a "FAIL: ..." line otherwise.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["Problem"];

const REQUEST_TIMEOUT_MS = 10_000;
const TOTAL_TIMEOUT_MS = 60_000;

class SmokeFailure extends Error {}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new SmokeFailure(`environment variable ${name} is not set`);
  }
  return value;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** Compact description of a failed response for error messages. */
function describe(response: Response, error: unknown): string {
  const body = error === undefined ? "(no body)" : JSON.stringify(error);
  return `HTTP ${response.status} ${response.headers.get("content-type") ?? ""} ${body}`;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "code" in value && "status" in value;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);

async function main(): Promise<void> {
  const baseUrl = requireEnv("HEARTH_BASE_URL").replace(/\/+$/, "");
  const tenant = requireEnv("HEARTH_TENANT");
  const email = requireEnv("HEARTH_EMAIL");
  const password = requireEnv("HEARTH_PASSWORD");

  // Paths in the spec are absolute (/api/v1/...), so the base URL is the server root.
  const client = createClient<paths>({ baseUrl });
  const step = (message: string) => console.log(`ok   ${message}`);

  // 1. Login.
  const login = await client.POST("/api/v1/auth/login", {
    body: { tenant, email, password },
    signal: timeout(),
  });
  check(login.data !== undefined, `login as ${email}@${tenant} failed: ${describe(login.response, login.error)}`);
  check(login.response.status === 200, `login returned HTTP ${login.response.status}, expected 200`);
  check(login.data.token_type === "Bearer", `login token_type is ${JSON.stringify(login.data.token_type)}, expected "Bearer"`);
  check(login.data.access_token.length > 0 && login.data.refresh_token.length > 0, "login returned an empty token");
  check(login.data.expires_in > 0, `login expires_in is ${login.data.expires_in}`);
  check(login.data.user.email === email, `login user.email is ${login.data.user.email}, expected ${email}`);
  step(`POST /api/v1/auth/login as ${email} (tenant ${tenant}); access token expires in ${login.data.expires_in}s`);

  // 2. GET /me with the first access token.
  const me1 = await client.GET("/api/v1/me", { headers: bearer(login.data.access_token), signal: timeout() });
  check(me1.data !== undefined, `GET /me with the login token failed: ${describe(me1.response, me1.error)}`);
  check(me1.data.email === email, `GET /me email is ${me1.data.email}, expected ${email}`);
  step(`GET /api/v1/me -> ${me1.data.email} (role ${me1.data.role})`);

  // 3. Refresh: a new pair; the old refresh token is spent.
  const refreshed = await client.POST("/api/v1/auth/refresh", {
    body: { refresh_token: login.data.refresh_token },
    signal: timeout(),
  });
  check(refreshed.data !== undefined, `POST /auth/refresh failed: ${describe(refreshed.response, refreshed.error)}`);
  check(refreshed.data.token_type === "Bearer", `refresh token_type is ${JSON.stringify(refreshed.data.token_type)}`);
  check(refreshed.data.access_token !== login.data.access_token, "refresh returned the same access token");
  check(refreshed.data.refresh_token !== login.data.refresh_token, "refresh returned the same refresh token");
  step("POST /api/v1/auth/refresh -> new token pair");

  // 4. GET /me with the refreshed access token.
  const me2 = await client.GET("/api/v1/me", { headers: bearer(refreshed.data.access_token), signal: timeout() });
  check(me2.data !== undefined, `GET /me with the refreshed token failed: ${describe(me2.response, me2.error)}`);
  check(me2.data.email === email, `GET /me (refreshed) email is ${me2.data.email}, expected ${email}`);
  check(me2.data.id === me1.data.id, `GET /me (refreshed) id ${me2.data.id} differs from ${me1.data.id}`);
  step(`GET /api/v1/me with the refreshed token -> ${me2.data.email}`);

  // 5. Logout.
  const logout = await client.POST("/api/v1/auth/logout", {
    headers: bearer(refreshed.data.access_token),
    signal: timeout(),
  });
  check(logout.response.status === 204, `POST /auth/logout: expected 204, got ${describe(logout.response, logout.error)}`);
  step("POST /api/v1/auth/logout -> 204");

  // 6. The logged-out access token is refused with a problem+json 401.
  const me3 = await client.GET("/api/v1/me", { headers: bearer(refreshed.data.access_token), signal: timeout() });
  check(me3.data === undefined, "GET /me with the logged-out token succeeded; expected 401");
  check(me3.response.status === 401, `GET /me with the logged-out token: expected 401, got ${describe(me3.response, me3.error)}`);
  const contentType = me3.response.headers.get("content-type") ?? "";
  check(contentType.startsWith("application/problem+json"), `401 content-type is "${contentType}", expected application/problem+json`);
  check(isProblem(me3.error) && me3.error.status === 401, `401 body is not a problem document: ${JSON.stringify(me3.error)}`);
  step(`GET /api/v1/me with the logged-out token -> 401 (${me3.error.code})`);

  // 7. The session's refresh token died with the logout.
  const afterLogout = await client.POST("/api/v1/auth/refresh", {
    body: { refresh_token: refreshed.data.refresh_token },
    signal: timeout(),
  });
  check(afterLogout.response.status === 401, `refresh after logout: expected 401, got ${describe(afterLogout.response, afterLogout.error)}`);
  step("POST /api/v1/auth/refresh with the logged-out session's refresh token -> 401");
}

const watchdog = setTimeout(() => {
  console.error(`FAIL: smoke test did not finish within ${TOTAL_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
  () => {
    console.log("PASS: TypeScript client smoke test (login, me, refresh, me, logout, 401)");
  },
  (err: unknown) => {
    if (err instanceof SmokeFailure) {
      console.error(`FAIL: ${err.message}`);
    } else if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
      console.error(`FAIL: a request took longer than ${REQUEST_TIMEOUT_MS / 1000}s (${err.message})`);
    } else if (err instanceof TypeError) {
      // fetch() rejects with TypeError when the server is unreachable.
      const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
      console.error(`FAIL: cannot reach ${process.env["HEARTH_BASE_URL"] ?? "the server"} (${err.message}${cause})`);
    } else {
      console.error("FAIL: unexpected error:", err);
    }
    process.exitCode = 1;
  },
);
