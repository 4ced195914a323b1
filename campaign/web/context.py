"""What a request finds in the running app: its settings, its data and its counter.

The web layer's one door to them. `init_app` makes them, once, from the settings; everything
in web/ reads them through these accessors, and hands them to the layers below as arguments.
"""

from __future__ import annotations

import logging

from flask import Flask, abort, current_app

from ..counting.storage import Counter
from ..data.letters import Letter
from ..data.reloading import CampaignData, Reloader
from ..settings import Settings, check_organizers

SETTINGS, DATA, COUNTER = "campaign_settings", "campaign_data", "campaign_counter"


def settings(app: Flask | None = None) -> Settings:
    """The settings of an app (the running one, unless given)."""
    found: Settings = (app or current_app).extensions[SETTINGS]
    return found


def reloader() -> Reloader:
    """The running app's data files, reloaded when they change."""
    found: Reloader = current_app.extensions[DATA]
    return found


def data() -> CampaignData:
    """The running app's data: contacts, letters and catalogs, as they are now."""
    return reloader().data


def counter(app: Flask | None = None) -> Counter:
    """The counter of an app (the running one, unless given)."""
    found: Counter = (app or current_app).extensions[COUNTER]
    return found


def letter_or_404(slug: str) -> Letter:
    """The letter with this slug, or a 404 page."""
    found = data().letters.by_slug.get(slug)
    if found is None:
        abort(404)
    return found


def init_app(app: Flask, settings: Settings, serving: bool = False) -> None:
    """Keep the settings, load the data (a broken file stops start-up with one clear error;
    so does, when serving in production, a contacts.yaml that names no organizers), and open
    the counter's database (creating its tables)."""
    logger = logging.getLogger("campaign.data")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    app.extensions[SETTINGS] = settings
    app.extensions[DATA] = Reloader(settings.contacts, settings.letters, settings.reload_every)
    if serving:
        check_organizers(settings, app.extensions[DATA].data.contacts.organizers is not None)
    app.extensions[COUNTER] = Counter(settings.database_url)
