"""Run a saved query on the local graph or on a remote endpoint: one call for every command that needs answers."""

from __future__ import annotations

from collections.abc import Callable

from gfmdkg.bounded import DEFAULT_TIMEOUT
from gfmdkg.project import Project
from gfmdkg.sparql.catalogue import SavedQuery, resolve
from gfmdkg.sparql.terms import Term
from gfmdkg.store.base import Result

#: answers a query text with bound values
Answer = Callable[[str, dict[str, Term]], Result]


def answerer(project: Project, *, timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None,
             method: str = "GET", user: str | None = None, engine: str = "oxigraph") -> Answer:
    """What answers queries: the remote ``endpoint`` when given, else the project's local graph."""
    if endpoint:
        from gfmdkg.sparql.remote import RemoteEndpoint
        return RemoteEndpoint(endpoint, method=method, user=user, timeout=timeout).query
    from gfmdkg.store import open_engine
    local = open_engine(project, engine=engine)
    return lambda text, bindings: local.query(text, bindings, timeout=timeout)


def checked_bindings(saved: SavedQuery, values: dict[str, str], answer: Answer) -> dict[str, Term]:
    """The bindings of ``values``, each parameter with a kind first checked against the graph ``answer`` asks."""
    from gfmdkg.sparql.params import checked_values

    return saved.bindings(checked_values(saved, values, lambda text, bindings: answer(text, bindings).rows))


def run_saved(project: Project, saved: SavedQuery | str, values: dict[str, str] | None = None, *,
              timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None, method: str = "GET",
              user: str | None = None, engine: str = "oxigraph") -> Result:
    """Answer of ``saved`` (a :class:`SavedQuery` or a saved query's name) with ``values`` for its parameters."""
    if isinstance(saved, str):
        saved = resolve(saved, project.query_files())
    answer = answerer(project, timeout=timeout, endpoint=endpoint, method=method, user=user, engine=engine)
    return answer(saved.text, checked_bindings(saved, values or {}, answer))
