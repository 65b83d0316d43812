# SPDX-License-Identifier: EUPL-1.2
"""A real OpenID Connect provider on loopback, for Sluitsteen's tests and the demo service.

Built on Flask and Authlib's authorization server (the same code a production provider on Authlib runs): discovery
(/.well-known/openid-configuration), the JWKS (RS256), the authorization code flow with PKCE required (S256 only),
state, nonce (required), client authentication at the token endpoint (client_secret_basic or client_secret_post),
one-time authorization codes, and per-user claims (name, email, groups, ...) from a JSON users file.

It is a test provider: its login page asks only for a user name (no password). For tests of the relying party, a
user in the users file may carry a "fault", which makes every ID token issued to that user wrong in one way:

  expired      exp (and iat) lie an hour in the past
  other-key    signed by a second RSA key that is not in the JWKS (same kid, so the signature itself fails)
  wrong-aud    aud names another client
  wrong-nonce  nonce is not the one the client sent
  wrong-iss    iss names another issuer

Usage (from the project's test virtualenv, see `make deps`):

  .venv-tests/bin/python Tests/Browser/oidc_provider.py --port 9400 --users Tests/Browser/demo-users.json \
      --client-id sluitsteen-demo --client-secret-file Fixtures/serve-demo-client-secret \
      --redirect-uri http://127.0.0.1:8080/auth/callback

It prints one line `oidc-provider listening on http://HOST:PORT` when it serves, and logs each request to stderr.
Stop it with Ctrl-C (or SIGTERM).
"""

import argparse
import html
import json
import os
import secrets
import signal
import sys
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, Response, jsonify, request
from joserfc import jwt
from joserfc.jwk import RSAKey

FAULTS = {"expired", "other-key", "wrong-aud", "wrong-nonce", "wrong-iss"}
CODE_LIFETIME = 300
TOKEN_LIFETIME = 600


class Client:
    """The one registered client (the Sluitsteen service): confidential, authorization code only."""

    def __init__(self, client_id, secret, redirect_uris):
        self.client_id = client_id
        self.secret = secret
        self.redirect_uris = redirect_uris

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        allowed = {"openid", "email", "profile", "groups"}
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret.encode(), self.secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class AuthorizationCode:
    def __init__(self, code, client_id, redirect_uri, scope, username, nonce, challenge, method):
        self.code = code
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.scope = scope
        self.username = username
        self.nonce = nonce
        self.code_challenge = challenge
        self.code_challenge_method = method
        self.auth_time = int(time.time())

    def is_expired(self):
        return time.time() > self.auth_time + CODE_LIFETIME

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class Provider:
    def __init__(self, issuer, client, users):
        self.issuer = issuer
        self.client = client
        self.users = users
        self.codes = {}
        self.used_nonces = set()
        self.key = RSAKey.generate_key(2048, parameters={"kid": "sleutel-1", "use": "sig", "alg": "RS256"})
        # The "other" key claims the same kid: a token signed with it must fail on its signature.
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "sleutel-1", "use": "sig", "alg": "RS256"})

    def id_token(self, user, client_id, nonce, auth_time):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": client_id, "iat": now, "exp": now + TOKEN_LIFETIME,
                  "auth_time": auth_time, "sub": user["sub"]}
        if nonce:
            claims["nonce"] = nonce
        for k, v in user.get("claims", {}).items():
            claims[k] = v
        fault = user.get("fault")
        key = self.key
        if fault == "expired":
            claims["iat"] = now - 7200
            claims["exp"] = now - 3600
            claims["auth_time"] = now - 7200
        elif fault == "other-key":
            key = self.other_key
        elif fault == "wrong-aud":
            claims["aud"] = "een-andere-client"
        elif fault == "wrong-nonce":
            claims["nonce"] = "niet-de-nonce-van-de-client"
        elif fault == "wrong-iss":
            claims["iss"] = "http://127.0.0.1:1/nep-uitgever"
        return jwt.encode({"alg": "RS256", "kid": "sleutel-1"}, claims, key, algorithms=["RS256"])


def build_app(provider):
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": TOKEN_LIFETIME}

    def query_client(client_id):
        return provider.client if client_id == provider.client.client_id else None

    def save_token(token, req):
        pass

    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)

    class CodeGrant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code, req):
            data = req.payload.data
            provider.codes[code] = AuthorizationCode(
                code, req.client.client_id, req.payload.redirect_uri, req.payload.scope, req.user["username"],
                data.get("nonce"), data.get("code_challenge"), data.get("code_challenge_method"))

        def query_authorization_code(self, code, client):
            item = provider.codes.get(code)
            if item and item.client_id == client.client_id and not item.is_expired():
                return item
            return None

        def delete_authorization_code(self, authorization_code):
            provider.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return provider.users.get(authorization_code.username)

    class RequiredS256(CodeChallenge):
        """PKCE for every client, confidential ones too, and only S256."""

        SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

        def validate_code_challenge(self, grant, redirect_uri):
            data = grant.request.payload.data
            if not data.get("code_challenge"):
                raise InvalidRequestError("PKCE is required: missing 'code_challenge'")
            if data.get("code_challenge_method") != "S256":
                raise InvalidRequestError("PKCE: 'code_challenge_method' must be S256")
            return super().validate_code_challenge(grant, redirect_uri)

        def validate_code_verifier(self, grant, result):
            if not grant.request.form.get("code_verifier"):
                raise InvalidRequestError("PKCE is required: missing 'code_verifier'")
            return super().validate_code_verifier(grant, result)

    class OpenIDCodeWithFaults(OpenIDCode):
        def exists_nonce(self, nonce, req):
            return nonce in provider.used_nonces

        def generate_user_info(self, user, scope):
            return dict(user.get("claims", {}), sub=user["sub"])

        def encode_id_token(self, token, req):
            code = req.authorization_code
            provider.used_nonces.add(code.nonce)
            return provider.id_token(req.user, req.client.client_id, code.nonce, code.auth_time)

    server.register_grant(CodeGrant, [RequiredS256(required=True), OpenIDCodeWithFaults(require_nonce=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        base = provider.issuer
        return jsonify({
            "issuer": base,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "jwks_uri": base + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": ["sub", "name", "email", "email_verified", "groups", "roles", "upn",
                                 "preferred_username"],
        })

    @app.get("/jwks")
    def jwks():
        return jsonify({"keys": [provider.key.as_dict(private=False)]})

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        if request.method == "GET":
            try:
                server.get_consent_grant(end_user=None)
            except Exception as error:  # an invalid request: say why, never redirect
                description = getattr(error, "description", None) or str(error)
                return Response(page("Ongeldig verzoek", f"<p>{html.escape(description)}</p>"), status=400,
                                mimetype="text/html")
            options = "".join(
                f'<option value="{html.escape(u)}">{html.escape(d.get("claims", {}).get("name", u))} ({html.escape(u)})</option>'
                for u, d in provider.users.items())
            body = (f'<form method="post" action="{html.escape(request.full_path)}">'
                    '<p><label for="username">Gebruikersnaam</label> '
                    f'<input id="username" name="username" autocomplete="username" list="gebruikers" required>'
                    f'<datalist id="gebruikers">{options}</datalist></p>'
                    '<p><button type="submit" id="aanmelden">Aanmelden</button></p></form>')
            return Response(page("Aanmelden bij de testaanmeldservice", body), mimetype="text/html")
        username = request.form.get("username", "")
        user = provider.users.get(username)
        if user is None:
            return Response(page("Onbekende gebruiker", f"<p>Geen gebruiker {html.escape(username)}.</p>"), status=400,
                            mimetype="text/html")
        return server.create_authorization_response(grant_user=user)

    @app.post("/token")
    def token():
        return server.create_token_response()

    return app


def page(title, body):
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>')


def load_users(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    users = {}
    for u in data["users"]:
        name = u["username"]
        fault = u.get("fault")
        if fault is not None and fault not in FAULTS:
            sys.exit(f"{path}: user {name}: unknown fault {fault!r}; known: {', '.join(sorted(FAULTS))}")
        users[name] = {"username": name, "sub": u.get("sub", name), "claims": u.get("claims", {}), "fault": fault}
    return users


def main():
    parser = argparse.ArgumentParser(description="OpenID Connect test provider on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", required=True, help="JSON file: {\"users\": [{\"username\", \"sub\", \"claims\", \"fault\"}]}")
    parser.add_argument("--client-id", required=True)
    secret = parser.add_mutually_exclusive_group(required=True)
    secret.add_argument("--client-secret-file")
    secret.add_argument("--client-secret-env")
    parser.add_argument("--redirect-uri", action="append", required=True)
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the test provider listens on loopback only")
    if args.client_secret_file:
        with open(args.client_secret_file, encoding="utf-8") as f:
            client_secret = f.read().strip()
    else:
        client_secret = os.environ.get(args.client_secret_env, "")
    if not client_secret:
        sys.exit("the client secret is empty")
    # Plain http is allowed on loopback only (checked above); Authlib refuses it unless told.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    issuer = f"http://{args.host}:{args.port}"
    provider = Provider(issuer, Client(args.client_id, client_secret, args.redirect_uri), load_users(args.users))
    app = build_app(provider)
    # Stop cleanly on SIGTERM and SIGINT, even when the parent process started us with them ignored or blocked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    print(f"oidc-provider listening on {issuer}", flush=True)
    # Werkzeug's own server, a thread per connection (a browser keeps idle and speculative connections open, which
    # would stall a single-threaded server): enough for tests and a demo on loopback.
    from werkzeug.serving import run_simple
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
