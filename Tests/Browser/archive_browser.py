# SPDX-License-Identifier: EUPL-1.2
"""The archive's pages in headless Chromium (Selenium over WebDriver), as people use them: signed in through the test
OpenID provider's login page, by keyboard-reachable forms only (no script of the service runs: it has none).

Usage:  .venv-tests/bin/python Tests/Browser/archive_browser.py --service http://127.0.0.1:PORT SCENARIO [options]

Scenarios:
  read     --user U --query Q --subject S [--reason R]   search for Q, open the result whose subject holds S, read it
  optout   --user U --subject S                          mark the message S private on the opt-out page
  approve  --list ID --steps U:ROLE[,U:ROLE...]          each user in turn (a new session) approves list ID as ROLE
  hostile  --user U --copy ID --listen PORT              open message ID and read it, while a listener on PORT
                                                         (loopback) records every request that reaches it

Prints one JSON object on stdout: {"skip": why} (exit 0) when Chromium cannot run here, {"ok": true, ...} with what
the browser saw, or {"ok": false, "error": ..., "url": ..., "page": ...} (exit 1). Only explicit waits, no sleeps.
"""

import argparse
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from browser_support import page_text, report, requests_made, sign_in, sign_out, start_browser
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def console(driver, service):
    """The console's messages on the service's pages (CSP violations, errors)."""
    return [e["message"] for e in driver.get_log("browser") if service in e.get("message", "")]


def read(driver, wait, args):
    sign_in(driver, wait, args.service, args.user, "/zoeken")
    field = wait.until(EC.visibility_of_element_located((By.ID, "q")))
    field.send_keys(args.query)
    driver.find_element(By.CSS_SELECTOR, "form.zoekformulier button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.aantal")))
    count = driver.find_element(By.CSS_SELECTOR, "p.aantal").text
    link = wait.until(EC.element_to_be_clickable((By.PARTIAL_LINK_TEXT, args.subject)))
    link.click()
    wait.until(EC.presence_of_element_located((By.ID, "reden")))
    before = bool(driver.find_elements(By.CSS_SELECTOR, "pre.berichttekst"))
    if args.reason:
        driver.find_element(By.ID, "reden").send_keys(args.reason)
    driver.find_element(By.CSS_SELECTOR, "form[action$='/lezen'] button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.vastgelegd")))
    text = driver.find_element(By.CSS_SELECTOR, "pre.berichttekst").text if driver.find_elements(By.CSS_SELECTOR, "pre.berichttekst") else ""
    frames = driver.find_elements(By.CSS_SELECTOR, "iframe.htmlweergave")
    return {"count": count, "heading": driver.find_element(By.TAG_NAME, "h1").text, "contentBefore": before,
            "recorded": driver.find_element(By.CSS_SELECTOR, "p.vastgelegd").text, "text": text[:500],
            "frameSandbox": frames[0].get_attribute("sandbox") if frames else None, "url": driver.current_url,
            "explanation": [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ol.toelichting li")],
            "console": console(driver, args.service)}


def optout(driver, wait, args):
    sign_in(driver, wait, args.service, args.user, "/mijn-mail")
    row = wait.until(EC.presence_of_element_located(
        (By.XPATH, f"//tr[td/a[contains(normalize-space(.), '{args.subject}')]]")))
    closes = row.find_elements(By.TAG_NAME, "td")[4].text
    old_page = driver.find_element(By.TAG_NAME, "html")
    row.find_element(By.CSS_SELECTOR, "button[value=private]").click()
    wait.until(EC.staleness_of(old_page))

    def after(d):  # read in one go, again if the page was still being replaced
        row = d.find_element(By.XPATH, f"//tr[td/a[contains(normalize-space(.), '{args.subject}')]]")
        return {"notice": d.find_element(By.CSS_SELECTOR, "p.bericht").text, "status": row.find_elements(By.TAG_NAME, "td")[5].text,
                "undo": bool(row.find_elements(By.XPATH, ".//button[normalize-space(.)='Ongedaan maken']"))}
    return dict(wait.until(after), closes=closes, console=console(driver, args.service))


def approve(driver, wait, args):
    outcomes = []
    for step in args.steps.split(","):
        user, role = step.split(":")
        sign_out(driver, args.service)
        sign_in(driver, wait, args.service, user, f"/vernietigingslijsten/{args.list}")
        buttons = driver.find_elements(By.XPATH, f"//form[input[@name='rol' and @value='{role}']]//button")
        if not buttons:
            outcomes.append({"user": user, "role": role, "button": False, "heading": driver.find_element(By.TAG_NAME, "h1").text})
            continue
        label = buttons[0].text
        old_page = driver.find_element(By.TAG_NAME, "html")
        buttons[0].click()
        wait.until(EC.staleness_of(old_page))

        def after(d):  # read in one go, again if the page was still being replaced
            notices = d.find_elements(By.CSS_SELECTOR, "p.bericht")
            return {"heading": d.find_element(By.TAG_NAME, "h1").text, "notice": notices[0].text if notices else None}
        outcomes.append(dict(wait.until(after), user=user, role=role, button=True, label=label, page=page_text(driver)[:400]))
    driver.get(f"{args.service}/vernietigingslijsten/{args.list}")
    facts = {dt.text: dd.text for dt, dd in zip(driver.find_elements(By.CSS_SELECTOR, "dl.gegevens dt"),
                                                 driver.find_elements(By.CSS_SELECTOR, "dl.gegevens dd"))}
    return {"steps": outcomes, "facts": facts, "approvals": [li.text for li in driver.find_elements(By.CSS_SELECTOR, "main ol li")],
            "console": console(driver, args.service)}


class Listener:
    """A loopback HTTP server that records every request that reaches it (nothing ever should)."""

    def __init__(self, port):
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def hostile(driver, wait, args):
    listener = Listener(args.listen)
    try:
        sign_in(driver, wait, args.service, args.user, "/")
        requests_made(driver)  # the sign-in's requests (the provider's pages) are not the message's
        driver.get(f"{args.service}/berichten/{args.copy}")
        wait.until(EC.presence_of_element_located((By.ID, "reden")))
        heading = driver.find_element(By.TAG_NAME, "h1").text
        driver.find_element(By.CSS_SELECTOR, "form[action$='/lezen'] button[type=submit]").click()
        frame = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe.htmlweergave")))
        sandbox = frame.get_attribute("sandbox")
        pre = driver.find_element(By.CSS_SELECTOR, "pre.berichttekst").text
        # The top page: did anything of the mail run here?
        top = driver.execute_script("return [typeof window.__pwned, document.title, document.scripts.length]")
        driver.switch_to.frame(frame)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        inside = {
            "text": driver.find_element(By.TAG_NAME, "body").text[:1000],
            "elements": {tag: len(driver.find_elements(By.TAG_NAME, tag))
                         for tag in ("script", "img", "iframe", "object", "style", "link", "form", "a", "svg", "video", "base", "meta")},
            "attributes": len(driver.find_elements(By.CSS_SELECTOR, "[href], [src], [style], [onerror], [action], [poster]")),
        }
        try:
            inside["pwned"] = driver.execute_script("return typeof window.__pwned")
        except Exception as error:  # scripts are off in the sandbox: even the driver's may not run there
            inside["pwned"] = f"no script allowed ({type(error).__name__})"
        driver.switch_to.default_content()
        return {"heading": heading, "title": driver.title, "top": top, "frame": inside, "sandbox": sandbox, "pre": pre[:500],
                "requests": requests_made(driver), "hits": list(listener.hits), "console": console(driver, args.service)}
    finally:
        listener.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", required=True)
    parser.add_argument("--timeout", type=float, default=30)
    sub = parser.add_subparsers(dest="scenario", required=True)
    p = sub.add_parser("read")
    p.add_argument("--user", required=True)
    p.add_argument("--query", required=True)
    p.add_argument("--subject", required=True)
    p.add_argument("--reason", default="")
    p = sub.add_parser("optout")
    p.add_argument("--user", required=True)
    p.add_argument("--subject", required=True)
    p = sub.add_parser("approve")
    p.add_argument("--list", required=True)
    p.add_argument("--steps", required=True)
    p = sub.add_parser("hostile")
    p.add_argument("--user", required=True)
    p.add_argument("--copy", required=True)
    p.add_argument("--listen", type=int, required=True)
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="sluitsteen-chromium-")
    driver = start_browser(profile, performance=args.scenario == "hostile")
    try:
        # A page being replaced can also surface as chromedriver's "Node with given id does not belong to the document"
        # (a plain WebDriverException): the wait reads the page again; a real failure still ends in its timeout.
        wait = WebDriverWait(driver, args.timeout,
                             ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException))
        outcome = {"read": read, "optout": optout, "approve": approve, "hostile": hostile}[args.scenario](driver, wait, args)
        report(dict(outcome, ok=True))
    except Exception as error:  # report what the browser shows, for the test's failure message
        report({"ok": False, "error": f"{type(error).__name__}: {error}".splitlines()[0], "url": driver.current_url,
                "page": page_text(driver)}, 1)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
