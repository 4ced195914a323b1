"""The baseline: a minimal Flask app, served the same way as the campaign."""

from flask import Flask


def create_app() -> Flask:
    """A Flask app that says hello."""
    app = Flask(__name__)

    @app.route("/")
    def hello() -> str:
        return "Hello, world!"

    return app
