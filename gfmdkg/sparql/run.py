"""Run a saved query on the local graph or on a remote endpoint: one call for every command that needs answers."""

from __future__ import annotations

from gfmdkg.bounded import DEFAULT_TIMEOUT
from gfmdkg.project import Project
from gfmdkg.sparql.catalogue import SavedQuery, resolve
from gfmdkg.store.base import Result


def run_saved(project: Project, saved: SavedQuery | str, values: dict[str, str] | None = None, *,
              timeout: float = DEFAULT_TIMEOUT, endpoint: str | None = None, method: str = "GET",
              user: str | None = None, engine: str = "oxigraph") -> Result:
    """Answer of ``saved`` (a :class:`SavedQuery` or a saved query's name) with ``values`` for its parameters."""
    if isinstance(saved, str):
        saved = resolve(saved, project.query_files())
    bindings = saved.bindings(values or {})
    if endpoint:
        from gfmdkg.sparql.remote import RemoteEndpoint
        return RemoteEndpoint(endpoint, method=method, user=user, timeout=timeout).query(saved.text, bindings)
    from gfmdkg.store import open_engine
    return open_engine(project, engine=engine).query(saved.text, bindings, timeout=timeout)
