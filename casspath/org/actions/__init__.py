"""Every write to the org tree, the roster and logins, one module per concept (as Zulip's
`zerver/actions/`): callers import from the module, e.g. `casspath.org.actions.logins`.
Callers check scope through `org/access.py`; each action checks again that the target is in
the actor's scope (`scopes.require_scope`)."""
