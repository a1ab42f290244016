"""What happens to a login that the layers above core act on (the API ends its tokens).
Core imports no app above it, so it announces; they listen."""

from django.dispatch import Signal

# A login's password was set by its owner (`reset=False`) or by an admin (`reset=True`).
# Arguments: user, acting_user, reset.
password_changed = Signal()
# Logins were deactivated outside the org actions (the admin). Arguments: user_ids, acting_user.
logins_deactivated = Signal()
