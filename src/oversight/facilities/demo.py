"""Demo data of this app, built from the bulletins through the app's own actions."""


def load_demo() -> None:
    """Called by ``oversight demo`` after the campaigns are loaded; safe to run again."""
