"""The campaign's data: contacts.yaml and letters/ read and checked into typed objects (with
the line of every problem), the interface's catalogs, reloading when a file changes, and the
cache of what is rendered from one version of it."""
