"""The campaign's data, contacts and letters, loaded once and kept by the app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from .contacts import Contacts, load_contacts
from .letters import Letters, load_letters


@dataclass(frozen=True)
class CampaignData:
    """Contacts and letters, parsed and checked."""

    contacts: Contacts
    letters: Letters


def load(contacts_path: str, letters_dir: str) -> CampaignData:
    """Read and check both data sources; raise DataError if either is broken."""
    return CampaignData(load_contacts(contacts_path), load_letters(letters_dir))


def current() -> CampaignData:
    """The data of the running app."""
    data: CampaignData = current_app.extensions["campaign_data"]
    return data


def init_app(app: Flask) -> None:
    """Load the data at start-up: a broken file stops the app with one clear error."""
    app.extensions["campaign_data"] = load(app.config["CONTACTS"], app.config["LETTERS"])
