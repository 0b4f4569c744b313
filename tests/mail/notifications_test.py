#!/usr/bin/python3
"""Issue 22 (1) and (2) against the real binary: mail through a local SMTP relay, and the feeds.

A resident leaves an address on the public form (Japanese) or through the API (English), the
result is published by staff over HTTP, and `serve --smtp-url` hands each mail to an aiosmtpd
relay this test starts itself: the message arrives with the link to the resident's answer, in the
resident's language, and its link deletes the address once. A relay that is down: the mail waits
and goes when it is up. kill -9 between enqueue and send: sent after the restart. No relay
configured: nothing is sent. Then the Atom feeds are parsed (RFC 4287 elements, tag: ids that do
not change, RFC 3339 times) and the pages link to them.

Runs on SQLite, and on PostgreSQL when CIVICDESK_TEST_POSTGRES_URL is set.
    /usr/bin/python3 tests/mail/notifications_test.py   (Debian's, with python3-aiosmtpd;
                                                        CIVICDESK_BINARY: the civicdesk binary)
"""
import datetime
import email
import email.policy
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

BINARY = os.environ.get(
    "CIVICDESK_BINARY",
    os.path.join(os.path.dirname(__file__), "..", "..", "build", "civicdesk"))
PASSWORD = "correct horse battery staple"
POSTGRES = os.environ.get("CIVICDESK_TEST_POSTGRES_URL", "")
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def japan_date(days=0):
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9, days=days)
    return now.strftime("%Y-%m-%d")


def cli(db, *args, stdin=""):
    return subprocess.run([BINARY, *args, "--db", db], input=stdin, capture_output=True,
                          text=True, check=True).stdout


class Relay:
    """An SMTP relay on 127.0.0.1 that keeps what it receives. With `secure` (a directory), it
    offers STARTTLS with a certificate made there (cert.pem) and takes mail only after
    STARTTLS and AUTH as relay-user / relay-password."""

    def __init__(self, port, secure=None):
        self.port = port
        self.messages = []
        self.logins = []
        relay = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                relay.messages.append((envelope.rcpt_tos, envelope.content))
                return "250 OK"

        options = {}
        if secure:
            cert, key = os.path.join(secure, "cert.pem"), os.path.join(secure, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                            key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                            "-addext", "subjectAltName=IP:127.0.0.1"],
                           check=True, capture_output=True)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)

            def authenticate(server, session, envelope, mechanism, auth_data):
                relay.logins.append((mechanism, auth_data.login))
                ok = auth_data.login == b"relay-user" and auth_data.password == b"relay-password"
                return AuthResult(success=ok)

            options = {"tls_context": context, "require_starttls": True,
                       "authenticator": authenticate, "auth_required": True,
                       "auth_require_tls": True}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port, **options)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def wait_for(self, count, seconds=40):
        deadline = time.time() + seconds
        while time.time() < deadline and len(self.messages) < count:
            time.sleep(0.2)
        return [email.message_from_bytes(content, policy=email.policy.default)
                for _, content in self.messages]


class Site:
    """`civicdesk serve` on a free port."""

    def __init__(self, db, *args):
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [BINARY, "serve", "--db", db, "--port", str(self.port), "--submit-limit", "0",
             "--public-url", self.base, *args],
            stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(400):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not start: " + self.output())

    def output(self):
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)
        self.log.close()


class Browser:
    """Cookies kept between requests; never follows redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Browser.NoRedirect())

    def request(self, method, path, data=None, headers=None):
        body = None if data is None else (
            data if isinstance(data, bytes) else urllib.parse.urlencode(data).encode())
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, fields)


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def submit_on_form(site, consultation, text, address, language="ja"):
    """The public form, as a resident sends it: form → confirm → send; the receipt."""
    browser = Browser(site.base)
    status, page, _ = browser.get(f"/consultations/{consultation}?lang={language}")
    assert status == 200, page
    token = re.search(r'name="form_token" value="([0-9a-f]{64})"', page).group(1)
    fields = {"csrf_token": csrf(page), "form_token": token, "text": text,
              "notify_email": address}
    status, confirm, _ = browser.post(f"/consultations/{consultation}/opinions/confirm", fields)
    assert status == 200, confirm
    fields["csrf_token"] = csrf(confirm)
    status, _, headers = browser.post(f"/consultations/{consultation}/opinions", fields)
    assert status == 303, status
    return headers["Location"].rsplit("/", 1)[1]


def submit_on_api(site, consultation, body):
    import json
    return Browser(site.base).request(
        "POST", f"/api/v1/consultations/{consultation}/opinions", json.dumps(body).encode(),
        {"Content-Type": "application/json"})


def publish(site, consultation):
    """A publisher answers, approves and publishes every item, closing the period today."""
    staff = Browser(site.base)
    _, login, _ = staff.get("/login")
    status, _, _ = staff.post("/login", {"login": "publisher", "password": PASSWORD,
                                         "csrf_token": csrf(login)})
    assert status == 303
    _, queue, _ = staff.get(f"/staff/consultations/{consultation}")
    items = sorted(set(re.findall(r'href="/staff/items/(\d+)', queue)), key=int)
    assert items, queue
    for item in items:
        _, page, _ = staff.get(f"/staff/items/{item}")
        field = re.search(r'name="(field_\d+)"', page).group(1)
        section = re.search(r'name="(section_\d+)" value="([^"]+)"', page)
        status, body, _ = staff.post(f"/staff/items/{item}", {
            "csrf_token": csrf(page), field: "on", section.group(1): section.group(2),
            "response": "公園の緑の保全に取り組みます。", "status": "2"})
        assert status == 303, body
        status, _, _ = staff.post(f"/staff/items/{item}/approve", {"csrf_token": csrf(page)})
        assert status == 303
    _, page, _ = staff.get(f"/staff/consultations/{consultation}/publish")
    status, body, _ = staff.post(f"/staff/consultations/{consultation}/publish", {
        "csrf_token": csrf(page), "close_early": "1", "close_early_on": japan_date()})
    assert status == 303, body


class Backend:
    """A fresh database: a SQLite file, or a schema of its own in the test PostgreSQL cluster."""

    def __init__(self, kind):
        self.kind = kind
        self.directory = tempfile.mkdtemp(prefix="civicdesk-mail-")
        if kind == "sqlite":
            self.url = "sqlite:" + os.path.join(self.directory, "site.db")
        else:
            self.schema = f"mail_{os.getpid()}_{int(time.time() * 1000)}"
            subprocess.run(["psql", POSTGRES, "-q", "-c", f"CREATE SCHEMA {self.schema}"],
                           check=True)
            joiner = "&" if "?" in POSTGRES else "?"
            self.url = f"{POSTGRES}{joiner}options=-csearch_path%3D{self.schema}"
        cli(self.url, "db", "migrate")
        cli(self.url, "user", "add", "--login", "publisher", "--name", "公表 担当", "--role",
            "publisher", stdin=PASSWORD + "\n")

    def query(self, sql):
        if self.kind == "sqlite":
            with sqlite3.connect(self.url[len("sqlite:"):]) as connection:
                return connection.execute(sql).fetchall()
        out = subprocess.run(["psql", POSTGRES, "-At", "-c",
                              f"SET search_path TO {self.schema}; {sql}"],
                             capture_output=True, text=True, check=True).stdout
        # psql prints NULL as an empty field.
        return [tuple(None if value == "" else value for value in line.split("|"))
                for line in out.splitlines() if line and line != "SET"]

    def new_consultation(self, title):
        out = cli(self.url, "consultation", "create", "--title", title, "--opens",
                  japan_date(-1), "--closes", japan_date(40), "--fields", "緑のまち")
        return out.strip().split("\n")[-1]

    def close(self):
        if self.kind != "sqlite":
            subprocess.run(["psql", POSTGRES, "-q", "-c", f"DROP SCHEMA {self.schema} CASCADE"],
                           check=True, capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)


class MailTests:
    backend = "sqlite"

    def setUp(self):
        self.db = Backend(self.backend)
        self.sites = []
        self.relays = []

    def tearDown(self):
        for site in self.sites:
            site.stop()
        for relay in self.relays:
            relay.stop()
        self.db.close()

    def site(self, *args):
        site = Site(self.db.url, "--smtp-retry-seconds", "1", *args)
        self.sites.append(site)
        return site

    def relay(self, port=None):
        relay = Relay(port or free_port()).start()
        self.relays.append(relay)
        return relay

    def outbox(self):
        return self.db.query("SELECT reference, sent_at FROM mail_outbox ORDER BY id")

    def test_the_result_arrives_with_the_link_in_the_residents_language(self):
        relay = self.relay()
        site = self.site("--smtp-url", f"smtp://127.0.0.1:{relay.port}",
                         "--mail-from", "kouchou@city.example.jp")
        consultation = self.db.new_consultation("港区みどりの計画（素案）")
        receipt = submit_on_form(site, consultation, "公園の緑を増やしてほしい。",
                                 "taro@example.jp")
        status, body, _ = submit_on_api(site, consultation, {
            "text": "More trees in the parks, please.", "notify_email": "jane@example.com",
            "language": "en"})
        self.assertEqual(status, 201, body)
        # A header injection is refused, naming the field.
        status, body, _ = submit_on_api(site, consultation, {
            "text": "x", "notify_email": "eve@example.jp\r\nBcc: victim@example.com"})
        self.assertEqual(status, 400, body)
        self.assertIn('"field":"notify_email"', body)
        time.sleep(1)
        self.assertEqual(relay.messages, [], "nothing before publication")
        publish(site, consultation)
        messages = relay.wait_for(2)
        self.assertEqual(len(messages), 2, site.output())
        by_recipient = {message["To"]: message for message in messages}
        japanese = by_recipient["taro@example.jp"]
        self.assertEqual(japanese["Subject"],
                         "「港区みどりの計画（素案）」の意見募集の結果を公表しました")
        self.assertEqual(japanese["From"], "kouchou@city.example.jp")
        text = japanese.get_content()
        self.assertIn(f"{site.base}/consultations/{consultation}/result#item-1", text)
        self.assertIn(receipt, text)
        english = by_recipient["jane@example.com"]
        self.assertIn("has been published", english["Subject"])
        self.assertIn(f"{site.base}/consultations/{consultation}/result#item-2",
                      english.get_content())
        self.assertIn("the ward's answers to residents' opinions", english.get_content())
        # The link answers the item's anchor on the result page.
        status, page, _ = Browser(site.base).get(f"/consultations/{consultation}/result")
        self.assertEqual(status, 200)
        self.assertIn('id="item-1"', page)
        # Its link deletes this address, once; the page shows it masked only.
        link = japanese["List-Unsubscribe"].strip("<>")
        self.assertIn(link, text)
        path = link[len(site.base):]
        browser = Browser(site.base)
        status, page, _ = browser.get(path)
        self.assertEqual(status, 200)
        self.assertIn("t***@e***.jp", page)
        self.assertNotIn("taro@example.jp", page)
        status, _, _ = browser.post(path, {"csrf_token": csrf(page)})
        self.assertEqual(status, 200)
        status, _, _ = browser.post(path, {"csrf_token": csrf(page)})
        self.assertEqual(status, 404, "a link acts once")
        self.assertEqual(self.db.query("SELECT address FROM consultation_notify"),
                         [("jane@example.com",)])

    def test_starttls_and_auth(self):
        relay = Relay(free_port(), secure=self.db.directory).start()
        self.relays.append(relay)
        site = self.site("--smtp-url",
                         f"smtp://relay-user:relay-password@127.0.0.1:{relay.port}",
                         "--smtp-ca", os.path.join(self.db.directory, "cert.pem"))
        consultation = self.db.new_consultation("港区テスト計画（素案）")
        status, body, _ = submit_on_api(site, consultation, {
            "text": "緑を増やして", "notify_email": "saburo@example.jp"})
        self.assertEqual(status, 201, body)
        publish(site, consultation)
        messages = relay.wait_for(1)
        self.assertEqual(len(messages), 1, site.output())
        self.assertEqual(messages[0]["To"], "saburo@example.jp")
        self.assertEqual([login for _, login in relay.logins], [b"relay-user"])

    def test_a_relay_that_is_down_loses_nothing(self):
        port = free_port()  # nothing listens there yet
        site = self.site("--smtp-url", f"smtp://127.0.0.1:{port}")
        consultation = self.db.new_consultation("港区テスト計画（素案）")
        status, body, _ = submit_on_api(site, consultation, {
            "text": "緑を増やして", "notify_email": "hanako@example.jp"})
        self.assertEqual(status, 201, body)
        publish(site, consultation)
        deadline = time.time() + 30
        while time.time() < deadline and not self.attempted():
            time.sleep(0.2)
        self.assertTrue(self.attempted(), "the sender tried the relay that is down")
        self.assertEqual([row[1] for row in self.outbox()], [None])
        relay = self.relay(port)
        messages = relay.wait_for(1, seconds=60)
        self.assertEqual(len(messages), 1, site.output())
        self.assertEqual(messages[0]["To"], "hanako@example.jp")

    def attempted(self):
        rows = self.db.query("SELECT attempts FROM mail_outbox")
        return bool(rows) and int(rows[0][0]) > 0

    def test_no_relay_sends_nothing_and_kill9_after_enqueue_loses_nothing(self):
        relay = self.relay()
        site = self.site()  # no --smtp-url
        consultation = self.db.new_consultation("港区テスト計画（素案）")
        status, body, _ = submit_on_api(site, consultation, {
            "text": "緑を増やして", "notify_email": "jiro@example.jp"})
        self.assertEqual(status, 201, body)
        publish(site, consultation)
        deadline = time.time() + 30
        while time.time() < deadline and not self.outbox():
            time.sleep(0.2)
        self.assertEqual(len(self.outbox()), 1, "the notice waits in the outbox")
        time.sleep(3)
        self.assertEqual(relay.messages, [], "no relay configured: nothing sent")
        self.assertEqual(self.outbox()[0][1], None)
        site.kill9()
        self.site("--smtp-url", f"smtp://127.0.0.1:{relay.port}")
        messages = relay.wait_for(1)
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages[0]["To"], "jiro@example.jp")
        time.sleep(2.5)
        self.assertEqual(len(relay.messages), 1, "sent once")


class FeedTests:
    backend = "sqlite"

    def setUp(self):
        self.db = Backend(self.backend)
        cli(self.db.url, "kpi", "set-actual", "24-1-1", "--fiscal-year", "2023", "--value",
            "71.9")
        self.consultation = self.db.new_consultation("港区フィードの計画（素案）")
        self.site = Site(self.db.url)

    def tearDown(self):
        self.site.stop()
        self.db.close()

    def feed(self, path):
        status, body, headers = Browser(self.site.base).get(path)
        self.assertEqual(status, 200, path)
        self.assertTrue(headers["Content-Type"].startswith("application/atom+xml"), path)
        root = ElementTree.fromstring(body.encode())
        self.assertEqual(root.tag, ATOM + "feed")
        for name in ("id", "title", "updated"):
            self.assertTrue((root.findtext(ATOM + name) or "").strip(), f"{path}: feed {name}")
        self.assertTrue(root.findtext(ATOM + "id").startswith("tag:127.0.0.1,"), path)
        self.assertRegex(root.findtext(ATOM + "updated"), RFC3339)
        self.assertTrue(root.find(ATOM + "author/" + ATOM + "name").text)
        self.assertIsNotNone(root.find(ATOM + "link[@rel='self']"))
        entries = root.findall(ATOM + "entry")
        for entry in entries:
            for name in ("id", "title", "updated"):
                self.assertTrue((entry.findtext(ATOM + name) or "").strip(), f"{path}: {name}")
            self.assertRegex(entry.findtext(ATOM + "id"), r"^tag:[^,]+,\d{4}:\S+$")
            self.assertRegex(entry.findtext(ATOM + "updated"), RFC3339)
            link = entry.find(ATOM + "link")
            self.assertIsNotNone(link, path)
            self.assertTrue(link.get("href").startswith(self.site.base + "/"), path)
        ids = [entry.findtext(ATOM + "id") for entry in entries]
        self.assertEqual(len(ids), len(set(ids)), f"{path}: ids unique")
        return {entry.findtext(ATOM + "id"): entry for entry in entries}

    def test_every_feed_is_atom_with_stable_ids_and_the_pages_link_to_them(self):
        open_feed = self.feed("/consultations.atom")
        self.assertIn(f"tag:127.0.0.1,2024:civicdesk/consultation/{self.consultation}", open_feed)
        results = self.feed("/consultations/results.atom")
        self.assertIn("tag:127.0.0.1,2024:civicdesk/consultation/1/result", results)
        kpis = self.feed("/plan/kpis.atom")
        entry = kpis["tag:127.0.0.1,2024:civicdesk/plan/kpi/24-1-1/2023"]
        self.assertTrue(entry.find(ATOM + "link").get("href").endswith("/plan/kpis/24-1-1"))
        self.assertIn("71.9", entry.findtext(ATOM + "title"))
        self.assertIn("tag:127.0.0.1,2024:civicdesk/plan/kpi/24-1-1/2023",
                      self.feed("/plan/policies/24/kpis.atom"))
        self.assertEqual(self.feed("/plan/policies/3/kpis.atom"), {})
        # English feeds: the same ids.
        self.assertEqual(set(self.feed("/plan/kpis.atom?lang=en")), set(kpis))
        # The same entry, asked again, has the same id and time.
        again = self.feed("/plan/kpis.atom")
        self.assertEqual(again.keys(), kpis.keys())
        self.assertEqual(
            again["tag:127.0.0.1,2024:civicdesk/plan/kpi/24-1-1/2023"].findtext(ATOM + "updated"),
            entry.findtext(ATOM + "updated"))
        for page, feeds in (("/consultations", ["/consultations.atom",
                                                "/consultations/results.atom"]),
                            ("/consultations/1/result", ["/consultations/results.atom"]),
                            ("/plan", ["/plan/kpis.atom"]),
                            ("/plan/dashboard", ["/plan/kpis.atom"]),
                            ("/plan/policies/24", ["/plan/kpis.atom",
                                                   "/plan/policies/24/kpis.atom"])):
            _, html, _ = Browser(self.site.base).get(page)
            for feed in feeds:
                self.assertIn(f'<link rel="alternate" type="application/atom+xml" href="{feed}"',
                              html, page)
        status, _, _ = Browser(self.site.base).get("/plan/policies/99/kpis.atom")
        self.assertEqual(status, 404)


class SqliteMail(MailTests, unittest.TestCase):
    backend = "sqlite"


class SqliteFeeds(FeedTests, unittest.TestCase):
    backend = "sqlite"


@unittest.skipUnless(POSTGRES, "CIVICDESK_TEST_POSTGRES_URL not set")
class PostgresMail(MailTests, unittest.TestCase):
    backend = "postgres"


@unittest.skipUnless(POSTGRES, "CIVICDESK_TEST_POSTGRES_URL not set")
class PostgresFeeds(FeedTests, unittest.TestCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main(verbosity=2)
