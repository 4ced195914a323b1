"""The web layer: the blueprints and what only they use (forms, the script's data, headers,
errors, caching, logs). `context.py` is its one door to the settings, the data and the counter;
the layers below get what they need from here, as arguments."""
