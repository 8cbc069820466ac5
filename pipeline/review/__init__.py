"""The editors' review room: a web page over a knowledge base where editors
check every fact against the article, correct it or add what was missed, and
their decisions become gold data (`zhnews kb export-gold`).

    zhnews review --db kb.sqlite                  # http://127.0.0.1:8000/

    from pipeline.review import Settings, create_app
    app = create_app(Settings(db=Path("kb.sqlite")))

The decisions themselves are plain functions of pipeline.kb.reviews; this
package is the FastAPI layer over them (app.py, api.py), its pages
(pages.py, views.py, templates/, static/) and its guard (security.py).
Nothing in the extraction stages or in pipeline.kb imports it.
"""

__all__ = ["Settings", "create_app"]


def __getattr__(name: str):
    """create_app and Settings load FastAPI on first use, so that `zhnews`'s
    other commands (which register `zhnews review`) start without it."""
    if name == "create_app":
        from pipeline.review.app import create_app

        return create_app
    if name == "Settings":
        from pipeline.review.security import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
