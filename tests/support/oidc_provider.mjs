// A real, certified OpenID provider (npm's oidc-provider) for the tests, on 127.0.0.1 only.
//
//   node tests/support/oidc_provider.mjs CONFIG.json
//
// CONFIG: {"port": N, "clients": [{client_id, client_secret, redirect_uris,
//          post_logout_redirect_uris}], "accounts": {"login": {"claims": {...}, "acr": "..."}}}
//
// Accounts carry Entra ID's claims (tid, oid, groups, email) or ID-porten's (pid, and the
// assurance level as acr). The login form is this script's own: a user name is enough
// (the test accounts have no password). Test-only controls, loopback only:
//   POST /test/rotate        a new signing key replaces the old one in the JWKS
//   POST /test/tamper?kind=  the next ID token from /token comes out wrong in one way:
//                            issuer, expired, audience, nonce, none (unsigned), unknown_key,
//                            skewed (expired 20 s ago: within a leeway of a minute)
// It stops by itself when its standard input closes (the test process ended) or after an hour.

import { readFileSync } from "node:fs";
import http from "node:http";
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;
let keys = [];
let provider;
let tamper = null;

async function newKey(kid) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
}

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function findAccount(_ctx, id) {
  const account = accounts[id];
  if (!account) return undefined;
  return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
}

function build() {
  const made = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ["authorization_code"], response_types: ["code"], ...client })),
    jwks: { keys },
    findAccount,
    claims: {
      openid: ["sub", "tid", "oid", "groups", "roles", "pid"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    acrValues: ["idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high"],
    conformIdTokenClaims: false,
    cookies: { keys: ["only-for-tests-on-loopback"] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page("Sign out", `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
        },
        postLogoutSuccessSource: async (ctx) => { ctx.body = page("Signed out", "<p>Signed out.</p>"); },
      },
    },
    // First-party clients: the grant is given without a consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(" "));
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => { ctx.type = "html"; ctx.body = page("Error", `<pre>${escape(JSON.stringify(out))}</pre>`); },
  });
  made.use(async (ctx, next) => {
    await next();
    if (ctx.method === "POST" && ctx.path === "/token" && tamper && ctx.body?.id_token) {
      const kind = tamper;
      tamper = null;
      ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token, kind) };
    }
  });
  return made;
}

async function spoil(idToken, kind) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = keys.find((k) => k.kid === header.kid);
  if (kind === "issuer") claims.iss = "http://127.0.0.1:9/another-issuer";
  else if (kind === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  else if (kind === "skewed") Object.assign(claims, { iat: now - 600, exp: now - 20 });
  else if (kind === "audience") claims.aud = "another-client";
  else if (kind === "nonce") claims.nonce = "not-the-nonce-that-was-sent";
  else if (kind === "none") {
    const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
  } else if (kind === "unknown_key") key = await newKey("a-key-not-in-the-jwks");
  else throw new Error(`unknown tamper kind ${kind}`);
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .sign(await importJWK(key, "RS256"));
}

async function form(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, submitted) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  if (details.prompt.name !== "login") {
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  let error = "";
  if (submitted) {
    const login = (await form(req)).get("login") || "";
    if (accounts[login]) {
      const acr = accounts[login].acr;
      await provider.interactionFinished(req, res, { login: { accountId: login, ...(acr ? { acr } : {}) } },
        { mergeWithLastSubmission: false });
      return;
    }
    error = `<p role="alert">No such test user: ${escape(login)}</p>`;
  }
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(page("Test provider sign-in", `${error}<form method="post" action="/interaction/${escape(uid)}/login">
    <label for="login">User name</label> <input id="login" name="login" autocomplete="off">
    <button type="submit">Sign in</button></form>`));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (req.method === "POST" && url.pathname === "/test/rotate") {
      keys = [await newKey(`key-${Date.now()}`)];
      provider = build();
      res.end(JSON.stringify({ kid: keys[0].kid }));
      return;
    }
    if (req.method === "POST" && url.pathname === "/test/tamper") {
      tamper = url.searchParams.get("kind");
      res.end(JSON.stringify({ tamper }));
      return;
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (match) {
      await interaction(req, res, match[1], req.method === "POST" && Boolean(match[2]));
      return;
    }
    provider.callback()(req, res);
  } catch (error) {
    res.statusCode = 400;
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(page("Error", `<pre>${escape(error.message)}</pre>`));
  }
});

keys = [await newKey("key-first")];
provider = build();
server.listen(config.port, "127.0.0.1", () => { process.stdout.write(`listening ${issuer}\n`); });
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), 3600 * 1000).unref();
