"""The REST API's OpenAPI document says how it fails, as it does (Interfaces D11).

drf-spectacular documents what each view declares; the error family (geo/errors.py)
answers every operation's bad parameter (400), missing object (404), refusal
(401/403) and rate limit (429) in one shape. This post-processing hook
(SPECTACULAR_SETTINGS' POSTPROCESSING_HOOKS) adds those answers, with that shape's
schema, to every operation that does not declare them itself.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error: what was wrong (`error`, in the reader's language) and the "
                   "parameter or field it was about (`parameter`); the REST framework's "
                   "own refusals (authentication) say it in `detail`.",
    "properties": {"error": {"type": "string"}, "parameter": {"type": "string"},
                   "detail": {"type": "string"}},
}

ANSWERS = {
    "400": "A parameter or field is malformed, out of range or not one this operation "
           "takes",
    "401": "Not signed in, or the token is not valid",
    "403": "Signed in, but not allowed to do this",
    "404": "No such object",
    "429": "Over the rate limit: try again after Retry-After seconds",
}


def add_error_responses(result: dict[str, Any], generator: object, request: object,
                        public: bool) -> dict[str, Any]:
    """The hook: every operation gets 400 and 429; one with a path parameter 404; a
    write, or one that needs a sign-in, 401 and 403."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "429"]
            if "{" in path:
                codes.append("404")
            signed_in = bool(operation.get("security")) and {} not in operation["security"]
            if method not in ("get", "head") or signed_in:
                codes += ["401", "403"]
            for code in codes:
                operation["responses"].setdefault(
                    code, {"description": ANSWERS[code], "content": error})
    return result
