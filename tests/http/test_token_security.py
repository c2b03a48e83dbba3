"""Every forged, expired, revoked or misdirected token gets 401 in the error model."""

import base64
import json
import time
import uuid

import httpx
import jwt
import pytest

from tests.http.conftest import JWT_SECRET, auth, register

OTHER_KEY = "a-completely-different-key-long-enough-for-every-hmac-algorithm-01"


def _payload(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


def _signed(payload: dict[str, object], *, key: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


FORGERIES = ["expired", "wrong type", "wrong audience", "wrong issuer", "alg none", "other algorithm", "another key",
             "tampered payload", "missing jti", "not a jwt"]


def forged_tokens(token: str) -> dict[str, str]:
    claims = _payload(token)
    header, body, signature = token.split(".")
    tampered_claims = {**claims, "sub": str(uuid.uuid4())}
    return {
        "expired": _signed({**claims, "iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}),
        "wrong type": _signed({**claims, "type": "refresh"}),
        "wrong audience": _signed({**claims, "aud": "someone-else"}),
        "wrong issuer": _signed({**claims, "iss": "someone-else"}),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{body}.",
        "other algorithm": _signed(claims, algorithm="HS512"),
        "another key": _signed(claims, key=OTHER_KEY),
        "tampered payload": f"{header}.{_b64(tampered_claims)}.{signature}",
        "missing jti": _signed({k: v for k, v in claims.items() if k != "jti"}),
        "not a jwt": "abc.def.ghi",
    }


@pytest.mark.parametrize("case", FORGERIES)
async def test_a_forged_or_invalid_access_token_is_401(client: httpx.AsyncClient, case: str) -> None:
    user = await register(client)
    response = await client.get("/api/user", headers=auth(forged_tokens(user["token"])[case]))
    assert response.status_code == 401
    body = response.json()
    assert list(body) == ["errors"] and list(body["errors"]) == ["token"]


async def test_a_revoked_jti_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    await client.post("/api/auth/logout", headers=auth(user["token"]))
    response = await client.get("/api/user", headers=auth(user["token"]))
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is invalid"]}}


async def test_a_refresh_token_with_a_forged_signature_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    forged = _signed(_payload(user["refreshToken"]), key=OTHER_KEY)
    response = await client.post("/api/auth/refresh", json={"refresh_token": forged})
    assert response.status_code == 401
