# SPDX-License-Identifier: EUPL-1.2
"""What the browser scripts share: starting headless Chromium (Debian's chromium and chromium-driver) through Selenium,
signing in through the test provider's login page, and printing the one JSON report line.

Only explicit waits (WebDriverWait), never sleeps.
"""

import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

CHROMIUM = os.environ.get("SLUITSTEEN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SLUITSTEEN_CHROMEDRIVER", "/usr/bin/chromedriver")


def report(obj, code=0):
    print(json.dumps(obj, ensure_ascii=False), flush=True)
    sys.exit(code)


def start_browser(profile, performance=False):
    """Headless Chromium with its console log (and, with `performance`, its network log: every request it makes).
    Reports {"skip": why} and exits when Chromium or chromedriver is missing or does not start."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            report({"skip": f"{path} is missing (make deps installs Debian's chromium and chromium-driver)"})
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync", "--lang=nl-NL",
                "--disable-component-update", "--disable-domain-reliability", "--no-pings",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    prefs = {"browser": "ALL"}
    if performance:
        prefs["performance"] = "ALL"
    options.set_capability("goog:loggingPrefs", prefs)
    try:
        return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except WebDriverException as error:
        report({"skip": f"headless Chromium did not start: {str(error.msg or error).splitlines()[0]}"})


def sign_in(driver, wait, service, user, path="/"):
    """Opens `path` on the service as nobody, which sends the browser to the provider's login page; signs in as `user`
    there and waits until the browser is back on the service."""
    driver.get(service + path)
    field = wait.until(EC.visibility_of_element_located((By.ID, "username")))
    field.send_keys(user)
    driver.find_element(By.ID, "aanmelden").click()
    wait.until(lambda d: d.current_url.startswith(service) and d.find_elements(By.TAG_NAME, "h1"))


def sign_out(driver, service):
    """Forgets the service's session (a new browser, as far as the service can tell)."""
    driver.get(service + "/healthz")
    driver.delete_all_cookies()


def requests_made(driver):
    """The URLs of the requests the browser made since the last call (Chromium's network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def page_text(driver):
    try:
        return driver.find_element(By.TAG_NAME, "body").text[:800]
    except Exception:
        return ""
