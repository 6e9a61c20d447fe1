"""Entry module for `flet build` and `flet run` (it must live at the app root)."""

from app.main import run

if __name__ == "__main__":
    run()
