# SPDX-License-Identifier: EUPL-1.2
"""Signs in to the Sluitsteen web service over plain HTTP (no browser) through the test OpenID provider's login form,
and prints the service's session cookie as `name=value`: the test-only way for a load generator (wrk in
scripts/bench-web.sh) to be signed in. It uses the same code flow a browser does; nothing in the service is bypassed.

Usage:  python3 Tests/Browser/session_cookie.py --service http://127.0.0.1:PORT --user mirjam
"""

import argparse
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", required=True)
    parser.add_argument("--user", required=True)
    args = parser.parse_args()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # /login sends us to the provider's login page (following the redirect).
    page = opener.open(args.service + "/login", timeout=30)
    authorize = page.geturl()
    html = page.read().decode("utf-8")
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    if not action:
        sys.exit(f"no login form at {authorize}")
    target = urllib.parse.urljoin(authorize, action.group(1).replace("&amp;", "&"))
    # The form posted: the provider redirects to the service's callback, which signs us in and redirects to /.
    done = opener.open(target, data=urllib.parse.urlencode({"username": args.user}).encode(), timeout=30)
    body = done.read().decode("utf-8")
    if "Aangemeld als" not in body:
        sys.exit(f"the sign-in did not succeed (ended at {done.geturl()})")
    cookies = [c for c in jar if c.name in ("sluitsteen", "__Host-sluitsteen")]
    if not cookies:
        sys.exit("no session cookie was set")
    print(f"{cookies[0].name}={cookies[0].value}")


if __name__ == "__main__":
    main()
