# SPDX-License-Identifier: EUPL-1.2
"""Signs in to the Sluitsteen web service in headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium over WebDriver), through the OpenID provider's real login page, and reports what the browser saw.

Usage:  .venv-tests/bin/python Tests/Browser/signin_browser.py --service http://127.0.0.1:PORT --user dora

Prints one JSON object on stdout:
  {"skip": "why"}                             Chromium or chromedriver cannot start here (exit 0)
  {"ok": true, "title": ..., "heading": ..., "roles": [...], "url": ..., "steps": [...], "console": [...]}
  {"ok": false, "error": "...", "url": ..., "steps": [...]}   (exit 1)
Only explicit waits (WebDriverWait), no sleeps.
"""

import argparse
import shutil
import tempfile

from browser_support import report, start_browser
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="sluitsteen-chromium-")
    steps = []
    driver = start_browser(profile)
    try:
        wait = WebDriverWait(driver, args.timeout)
        # The start page sends an anonymous visitor to the sign-in, which sends them to the provider's login page.
        driver.get(args.service + "/")
        field = wait.until(EC.visibility_of_element_located((By.ID, "username")))
        steps.append({"at": "provider-login", "url": driver.current_url.split("?")[0], "title": driver.title})
        field.send_keys(args.user)
        driver.find_element(By.ID, "aanmelden").click()
        # Back at the service, signed in: the start page greets the person by name.
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.rollen, main p")))
        wait.until(lambda d: d.current_url.rstrip("/") == args.service.rstrip("/") and d.find_element(By.TAG_NAME, "h1"))
        heading = driver.find_element(By.TAG_NAME, "h1").text
        roles = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.rollen li")]
        account = driver.find_element(By.CSS_SELECTOR, "header .account").text
        # The stylesheet loaded (served by the service itself): the header has its accent border.
        border = driver.execute_script(
            "return getComputedStyle(document.querySelector('header')).borderBottomStyle")
        console = [entry["message"] for entry in driver.get_log("browser")]
        steps.append({"at": "start-page", "url": driver.current_url})
        report({"ok": True, "title": driver.title, "heading": heading, "roles": roles, "account": account,
                "headerBorder": border, "url": driver.current_url, "lang": driver.find_element(By.TAG_NAME, "html").get_attribute("lang"),
                "steps": steps, "console": console})
    except Exception as error:  # report what the browser shows, for the test's failure message
        text = ""
        try:
            text = driver.find_element(By.TAG_NAME, "body").text[:500]
        except Exception:
            pass
        report({"ok": False, "error": f"{type(error).__name__}: {error}".splitlines()[0], "url": driver.current_url,
                "page": text, "steps": steps}, 1)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
