"""Demo data of this app, built from the bulletins through the app's own actions."""


def load_demo() -> None:
    """Safe to run again."""
