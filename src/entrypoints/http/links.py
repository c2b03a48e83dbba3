"""OpenAPI links: how the answer of one operation leads to the next (the article just created, read,
changed, favorited and commented on by its slug; the user just registered, looked up by name; the
refresh token just issued, used; the export job just queued, followed).

Clients and tools that follow links (schemathesis's stateful phase among them) walk from the value in
one response to the operations that take it, instead of guessing slugs and names.
"""

from typing import Any

# (method, path of the answering operation, status) -> {link name: (method, path, {parameter: expression})};
# a parameter named "requestBody" is the target's whole body.
Target = tuple[str, str, dict[str, Any]]
LINKS: dict[tuple[str, str, str], dict[str, Target]] = {
    ("post", "/api/articles", "201"): {
        "GetArticle": ("get", "/api/articles/{slug}", {"slug": "$response.body#/article/slug"}),
        "UpdateArticle": ("put", "/api/articles/{slug}", {"slug": "$response.body#/article/slug"}),
        "DeleteArticle": ("delete", "/api/articles/{slug}", {"slug": "$response.body#/article/slug"}),
        "FavoriteArticle": ("post", "/api/articles/{slug}/favorite", {"slug": "$response.body#/article/slug"}),
        "UnfavoriteArticle": ("delete", "/api/articles/{slug}/favorite", {"slug": "$response.body#/article/slug"}),
        "ListComments": ("get", "/api/articles/{slug}/comments", {"slug": "$response.body#/article/slug"}),
        "AddComment": ("post", "/api/articles/{slug}/comments", {"slug": "$response.body#/article/slug"}),
    },
    ("put", "/api/articles/{slug}", "200"): {
        "GetArticle": ("get", "/api/articles/{slug}", {"slug": "$response.body#/article/slug"}),
    },
    ("post", "/api/articles/{slug}/comments", "201"): {
        "DeleteComment": ("delete", "/api/articles/{slug}/comments/{comment_id}",
                          {"slug": "$request.path.slug", "comment_id": "$response.body#/comment/id"}),
    },
    ("post", "/api/users/login", "200"): {
        "Refresh": ("post", "/api/auth/refresh",
                    {"requestBody": {"refresh_token": "$response.body#/user/refreshToken"}}),
    },
    ("post", "/api/auth/token", "200"): {
        "Refresh": ("post", "/api/auth/refresh", {"requestBody": {"refresh_token": "$response.body#/refresh_token"}}),
    },
    ("post", "/api/auth/refresh", "200"): {
        "Refresh": ("post", "/api/auth/refresh", {"requestBody": {"refresh_token": "$response.body#/refresh_token"}}),
    },
    ("post", "/api/user/export", "202"): {
        "GetJob": ("get", "/api/jobs/{job_id}", {"job_id": "$response.body#/job/id"}),
        "DownloadExport": ("get", "/api/jobs/{job_id}/result", {"job_id": "$response.body#/job/id"}),
    },
    ("post", "/api/users", "201"): {
        "GetProfile": ("get", "/api/profiles/{username}", {"username": "$response.body#/user/username"}),
        "Follow": ("post", "/api/profiles/{username}/follow", {"username": "$response.body#/user/username"}),
        "Unfollow": ("delete", "/api/profiles/{username}/follow", {"username": "$response.body#/user/username"}),
    },
}


def declare(document: dict[str, Any]) -> None:
    """Add `LINKS` to the responses of `document`, naming their targets by operationId."""
    paths = document["paths"]
    for (method, path, status), links in LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = {
            name: _link(paths[target_path][target_method]["operationId"], parameters)
            for name, (target_method, target_path, parameters) in links.items()
        }


def _link(operation_id: str, parameters: dict[str, Any]) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id}
    if "requestBody" in parameters:
        link["requestBody"] = parameters["requestBody"]
    if rest := {name: value for name, value in parameters.items() if name != "requestBody"}:
        link["parameters"] = rest
    return link
