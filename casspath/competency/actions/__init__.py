"""Every write to a competency model, one module per concept (as Zulip's `zerver/actions/`):
`loading` (model data, the default model, imports), `versions` (new version, publish,
discard) and `edits` (the edits of a draft). Callers import from the module.

Versioning: a published version is in use (evidence points at it) and never changes in
place. Editing starts a draft copy (`do_start_new_version`), every edit refuses anything
but a draft, and `do_publish_model` puts the draft in use and archives the version before.
"""
