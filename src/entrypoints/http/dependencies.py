"""What the routes get from the composition root: the objects of the container that serves the app."""

from typing import Any

from dependency_injector import providers
from fastapi import Depends, Request

from entrypoints.container import Container


def provided(provider: providers.Provider[Any]) -> Any:
    """A FastAPI dependency on what `provider`, a provider declared on `Container`, gives, taken from
    the container of the app that serves the request (tests build apps on containers of their own).

    It is an `async` callable so that FastAPI calls it on the event loop. dependency-injector's own
    `Depends(Provide[...])` markers are plain callables, which FastAPI runs in its thread pool: one
    thread hop per marker per request, about a quarter of a simple read's throughput.
    """
    name = _declared_name(provider)

    async def dependency(request: Request) -> Any:
        return getattr(request.app.state.container, name)()

    dependency.__name__ = name
    return Depends(dependency)


def _declared_name(provider: providers.Provider[Any]) -> str:
    for name, declared in Container.cls_providers.items():
        if declared is provider:
            return name
    raise LookupError(f"{provider!r} is not declared on Container")
