// The three mailed links' pages in headless Chromium, as the people they
// are mailed to use them: each page is opened from the link in the mail,
// checked with axe-core (no violation of any rule it runs), completed with
// the keyboard and mouse, and its effect checked through the API.
//
//   node pages.mjs BASE_URL MAIL_DIR
//
// Run by .ci/pages-check, which starts the server and installs Chromium.

import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [base, mailDir] = process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const suffix = Math.random().toString(16).slice(2, 10);
const person = {
  username: `pages${suffix}`,
  email: `pages.${suffix}@example.org`,
  password: "Lighthouse-Meadow-42!",
};
const employer = `employer.${suffix}@example.org`;

function fail(message) {
  console.error(`pages: FAILED: ${message}`);
  process.exit(1);
}

async function api(method, path, body, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function expectApi(method, path, body, token, status) {
  const reply = await api(method, path, body, token);
  if (reply.status !== status) fail(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.json)}`);
  return reply.json;
}

/** A mail as written (quoted-printable), decoded as a mail reader shows it. */
function quotedPrintable(mail) {
  const bytes = mail
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** The link in the newest mail to `to` whose subject has `subject`. */
async function mailedLink(to, subject) {
  for (let i = 0; i < 100; i++) {
    const found = readdirSync(mailDir)
      .filter((name) => name.endsWith(".eml"))
      .sort()
      .reverse()
      .map((name) => quotedPrintable(readFileSync(join(mailDir, name), "utf8")))
      .find((mail) => mail.includes(to) && mail.includes(subject));
    const link = found?.match(/https?:\/\/\S+token=[A-Za-z0-9_-]+/);
    if (link) return link[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`no mail to ${to} about ${subject}`);
}

let checked = 0;
/** axe-core over the page as shown: every rule it runs, no violation. */
async function accessible(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  if (result.violations.length > 0) {
    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    fail(`${what}: axe-core found ${found.length} violation(s):\n  ${found.join("\n  ")}`);
  }
  checked++;
}

/** The same address on the server under test (mails carry KECS_PUBLIC_URL). */
function onServer(link) {
  const url = new URL(link);
  return `${base}${url.pathname}${url.search}`;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage();
  const blocked = [];
  page.on("console", (message) => {
    // A 4xx page is meant (a used link); what the policy refused is not.
    if (message.type() === "error" && /Content Security Policy|Refused to/.test(message.text())) {
      blocked.push(message.text());
    }
  });

  // 1. Confirm the email address.
  await expectApi("POST", "/api/v1/accounts", {
    username: person.username, email: person.email, password: person.password,
    password_confirmation: person.password, first_name: "Page", last_name: "Reader",
    date_of_birth: "1986-02-03", ssn: `7${suffix.replace(/[^0-9]/g, "1").padEnd(8, "2").slice(0, 8)}`,
  }, null, 201);
  await page.goto(onServer(await mailedLink(person.email, "Confirm")));
  if ((await page.title()).indexOf("Confirm your email address") !== 0) fail(`confirm page title: ${await page.title()}`);
  await accessible(page, "the confirmation page");
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.getByRole("heading", { name: "Your email address is confirmed" }).waitFor();
  await accessible(page, "the confirmed page");
  let session = await expectApi("POST", "/api/v1/auth/login", { username: person.username, password: person.password }, null, 200);
  if (session.account.email_confirmed !== true) fail("the email is not confirmed through the API");
  await page.goBack();
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.getByRole("alert").waitFor();
  if (!(await page.getByRole("alert").innerText()).includes("already used")) fail("a used link is not said to be used");
  await accessible(page, "the used-link page");

  // 2. Choose a new password.
  await expectApi("POST", "/api/v1/auth/forgot-password", { username: person.username }, null, 202);
  await page.goto(onServer(await mailedLink(person.email, "Reset your password")));
  await accessible(page, "the password page");
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("New password again").fill("short");
  await page.getByRole("button", { name: "Change my password" }).click();
  await page.locator(".field-error").first().waitFor();
  await accessible(page, "the password page with its errors");
  const newPassword = "Harbour-Lantern-Meadow-73!";
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change my password" }).click();
  await page.getByRole("heading", { name: "Your password is changed" }).waitFor();
  await accessible(page, "the changed-password page");
  session = await expectApi("POST", "/api/v1/auth/login", { username: person.username, password: newPassword }, null, 200);
  const token = session.access_token;

  // 3. The employer's part of an application.
  await expectApi("PUT", "/api/v1/me/profile", {
    email: person.email, phone: "(502) 555-0142",
    mailing_address: { line1: "275 E Main St", city: "Frankfort", state: "KY", postal_code: "40621" },
  }, token, 200);
  const application = await expectApi("POST", "/api/v1/applications", {
    request_types: ["new_level_1"], answers: { first_time_applicant: true, conducts_online_training: false },
  }, token, 201);
  const path = `/api/v1/applications/${application.id}/elements`;
  await expectApi("PUT", `${path}/experience`, {
    ece_experience_years: 4, employer: { name: "Bluegrass Learning Center", email: employer },
  }, token, 200);
  await expectApi("POST", `${path}/experience_verification/invitation`, {}, token, 202);
  await page.goto(onServer(await mailedLink(employer, "asks you to complete")));
  await accessible(page, "the third party's form");
  await page.getByRole("radio", { name: "Yes" }).check();
  await page.getByLabel("Years of experience the employer confirms").fill("4");
  await page.getByRole("button", { name: "Submit to the cabinet" }).click();
  await page.locator(".field-error").first().waitFor();
  await accessible(page, "the third party's form with its errors");
  await page.getByLabel("Who verifies, as they sign").fill("Robin Director");
  await page.getByRole("button", { name: "Submit to the cabinet" }).click();
  await page.getByRole("heading", { name: "Thank you" }).waitFor();
  await accessible(page, "the third party's thank-you page");
  const element = await expectApi("GET", `${path}/experience_verification`, undefined, token, 200);
  if (element.status !== "complete" || element.data.verifier_name !== "Robin Director" || element.data.ece_experience_years !== 4) {
    fail(`the employer's element through the API: ${JSON.stringify(element)}`);
  }

  // Nothing the pages load was refused by their Content-Security-Policy.
  if (blocked.length > 0) fail(`the Content-Security-Policy refused: ${blocked.join("; ")}`);
  console.log(`pages: ok (three mailed links completed in Chromium ${browser.version()}; axe-core ${JSON.parse(readFileSync(createRequire(import.meta.url).resolve("axe-core/package.json"), "utf8")).version} found no violation on ${checked} pages)`);
} finally {
  await browser.close();
}
