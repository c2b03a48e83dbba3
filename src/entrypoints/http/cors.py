"""CORS from configuration, refusing a preflight in the API's error model."""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response

from entrypoints.http.errors import error_body

_REFUSED = "Disallowed CORS "
_MESSAGES = {"origin": "origin is not allowed", "method": "method is not allowed",
             "headers": "headers are not allowed", "private-network": "private network access is not allowed"}


class Cors(CORSMiddleware):
    """Starlette's CORS, whose refused preflight is answered 403 in the error model instead of a plain-text
    400: the request was understood and the origin's access is refused by policy."""

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code < 400:
            return answer
        text = bytes(answer.body).decode()
        failures = text.removeprefix(_REFUSED).split(", ") if text.startswith(_REFUSED) else []
        messages = [_MESSAGES.get(failure, f"{failure} is not allowed") for failure in failures]
        headers = {name: value for name, value in answer.headers.items()
                   if name.lower().startswith(("access-control-", "vary"))}
        return JSONResponse(error_body("cors", *(messages or ["preflight request is not allowed"])),
                            status_code=403, headers=headers)
