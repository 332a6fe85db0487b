"""A Python relying party as Authlib's documentation writes one: OAuth2Session with PKCE (S256)
and offline_access in its default scope, the ID token checked against the provider's JWKS,
userinfo, and a refresh the way Authlib refreshes by default (sending the scope it was created
with). A client_credentials mode for services. Driven by test/http/authlib.test.ts: JSON lines
on stdout, the callback address on stdin. Runs in the virtual environment that
scripts/build-schemathesis.sh makes (Authlib pinned there).

    python rp.py code ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI
    python rp.py client_credentials ISSUER CLIENT_ID CLIENT_SECRET SCOPE
"""
import json
import sys

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt


def emit(value):
    print(json.dumps(value), flush=True)


def code_flow(meta, client_id, client_secret, redirect_uri):
    session = OAuth2Session(client_id, client_secret, scope="openid profile offline_access",
                            redirect_uri=redirect_uri, code_challenge_method="S256")
    verifier, nonce = generate_token(48), generate_token(20)
    url, _state = session.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    emit({"authorize": url})
    callback = sys.stdin.readline().strip()
    token = session.fetch_token(meta["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=30).json())
    claims = jwt.decode(token["id_token"], keys, claims_options={
        "iss": {"essential": True, "value": meta["issuer"]},
        "aud": {"essential": True, "value": client_id},
        "nonce": {"essential": True, "value": nonce},
    })
    claims.validate()
    userinfo = session.get(meta["userinfo_endpoint"], timeout=30).json()
    # Authlib's default refresh: the refresh token and the session's scope.
    refreshed = session.refresh_token(meta["token_endpoint"])
    emit({
        "alg": claims.header["alg"],
        "claims": dict(claims),
        "userinfo": userinfo,
        "scope": token.get("scope"),
        "refreshed": {"scope": refreshed.get("scope"), "rotated": refreshed.get("refresh_token") not in (None, token.get("refresh_token"))},
    })


def client_credentials(meta, client_id, client_secret, scope):
    session = OAuth2Session(client_id, client_secret, scope=scope)
    token = session.fetch_token(meta["token_endpoint"], grant_type="client_credentials")
    emit({"scope": token.get("scope"), "token_type": token.get("token_type"), "has_refresh_token": "refresh_token" in token})


def main():
    mode, issuer = sys.argv[1], sys.argv[2]
    meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=30).json()
    try:
        if mode == "code":
            code_flow(meta, *sys.argv[3:6])
        else:
            client_credentials(meta, *sys.argv[3:6])
    except Exception as err:  # the test prints what went wrong
        emit({"error": f"{type(err).__name__}: {err}"})
        sys.exit(1)


if __name__ == "__main__":
    main()
