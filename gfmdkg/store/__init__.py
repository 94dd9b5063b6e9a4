"""Storage: one small interface (:class:`gfmdkg.store.base.Engine`) with a fast embedded engine (pyoxigraph,
persisted as an on-disk index keyed by content hashes) and the naive rdflib baseline kept for comparison."""

from gfmdkg.store.base import Engine, Result

__all__ = ["Engine", "Result", "open_engine"]


def open_engine(project, *, engine: str = "oxigraph", progress: bool = True, memory: bool = False) -> Engine:
    """The engine holding ``project``'s graph: ``oxigraph`` (default, cached on disk; in memory with ``memory``,
    for long-lived processes) or ``rdflib`` (baseline); ``progress`` bars while loading, on a terminal only."""
    if engine == "rdflib":
        from gfmdkg.store.rdflib_engine import RdflibEngine
        return RdflibEngine.from_project(project)
    from gfmdkg.store.oxigraph_engine import OxigraphEngine
    return OxigraphEngine.from_project(project, progress=progress, memory=memory)
