"""`/api/v1/tokens`: a user's own API tokens. Creating one needs the login session (a leaked
token must not be able to mint more); listing and revoking work with either."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from casspath.api.access import access_token_by_prefix
from casspath.api.actions import do_create_token, do_revoke_token
from casspath.api.auth import api_user, session_auth
from casspath.api.queries import tokens_for

router = Router(tags=["tokens"])


class TokenOut(Schema):
    name: str
    prefix: str
    status: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = Field(
        default=None, description="At most API_TOKEN_MAX_AGE_DAYS (90 by default) from now, the default.")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret: shown in this response only.")


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def list_tokens(request):
    return list(tokens_for(api_user(request)))


@router.post("/tokens", response={201: TokenCreatedOut}, auth=[session_auth],
             summary="Create an API token (login session only)")
def create_token(request, payload: TokenIn):
    user = api_user(request)
    # A ValidationError (expiry in the past) becomes a 422 naming the field (errors.py).
    token, secret = do_create_token(user, payload.name, expires_at=payload.expires_at, acting_user=user)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": secret})


@router.delete("/tokens/{prefix}", response={204: None}, summary="Revoke one of my API tokens")
def revoke_token(request, prefix: str):
    user = api_user(request)
    do_revoke_token(access_token_by_prefix(user, prefix), acting_user=user)
    return Status(204, None)
