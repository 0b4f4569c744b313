// Staff search over HTTP for the node suites: signing in and counting the hits of a query.
import assert from 'node:assert/strict';

function cookiesOf(response) {
  const jar = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return jar;
}

const header = (jar) => Object.entries(jar).map(([name, value]) => `${name}=${value}`).join('; ');

// Signs in at `base` (the form's CSRF token, then the POST); returns the Cookie header to send.
export async function signIn(base, login, password) {
  const form = await fetch(`${base}/login`);
  const page = await form.text();
  assert.equal(form.status, 200, 'the sign-in form');
  const jar = cookiesOf(form);
  const token = /name="csrf_token" value="([^"]+)"/.exec(page)[1];
  const answer = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: header(jar) },
    body: new URLSearchParams({ csrf_token: token, login, password }).toString(),
  });
  await answer.text();
  assert.equal(answer.status, 303, 'signed in');
  return header({ ...jar, ...cookiesOf(answer) });
}

// The number of hits the staff search page (/staff/search) lists for `query`.
export async function staffSearchHits(base, cookie, query) {
  const response = await fetch(`${base}/staff/search?q=${encodeURIComponent(query)}`,
                               { headers: { Cookie: cookie }, redirect: 'manual' });
  const page = await response.text();
  assert.equal(response.status, 200, `staff search for ${query}`);
  return page.split('class="snippet"').length - 1;
}
