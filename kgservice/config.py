"""Settings of the HTTP service, from the environment (KGSERVICE_*) or the `serve` command line.

Safe by default: no write token means writes are off; no SERVICE endpoint is allowed unless listed;
queries stop after `query_timeout` seconds, counted from their arrival, and wait in a bounded queue;
each query worker has a memory limit; request bodies and results are capped; CORS is closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_TOKEN_LENGTH = 16


class Settings(BaseSettings):
    """One place for every knob of the service."""

    model_config = SettingsConfigDict(env_prefix="KGSERVICE_", frozen=True)

    store_path: Path | None = Field(None, description="keep the graph on disk in this folder (default: in memory)")
    root: Path | None = Field(None, description="project folder with ontology/, data/, shapes/, queries/ (default: bundled)")
    user_data: Path | None = Field(
        None, description="the user's own data folder, loaded beside the bundled data (default: $XDG_DATA_HOME/kgservice)"
    )
    load_bundled_data: bool = Field(True, description="load the bundled ontology and data into an empty store")
    write_token: SecretStr | None = Field(None, description="bearer token for SPARQL Update and graph writes; none: writes off")
    validate_writes: bool = Field(True, description="validate every write with the SHACL shapes before committing it")
    service_allowlist: list[str] = Field(default_factory=list, description="SERVICE endpoints queries may call")
    query_timeout: float = Field(10.0, gt=0, le=3600, description="seconds before a query is stopped")
    workers: int = Field(2, ge=1, le=64, description="query worker processes")
    query_queue: int = Field(64, ge=1, le=10_000, description="queries that may wait for a worker; past it: 503 with Retry-After")
    worker_memory_mb: int = Field(
        1024, ge=128, le=1_048_576, description="memory (MiB) a query worker may allocate; past it the query fails"
    )
    max_request_bytes: int = Field(1_000_000, gt=0, description="largest query or update body")
    max_upload_bytes: int = Field(20_000_000, gt=0, description="largest graph store upload")
    max_result_bytes: int = Field(50_000_000, gt=0, description="largest serialized query result")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed by CORS (none by default)")
    remote_query_url: str | None = Field(None, description="use this remote SPARQL query endpoint instead of the embedded store")
    remote_update_url: str | None = Field(None, description="the remote store's SPARQL update endpoint")
    remote_store_url: str | None = Field(None, description="the remote store's graph store protocol endpoint")
    remote_user: str | None = Field(None, description="account on the remote store (with remote_password)")
    remote_password: SecretStr | None = Field(None, description="password of remote_user; never logged")
    remote_credentials: Path | None = Field(None, description="file whose first line is USER:PASSWORD for the remote store")
    remote_auth: Literal["basic", "digest"] = Field("basic", description="HTTP authentication scheme of the remote store")

    @model_validator(mode="after")
    def _remote_is_complete(self) -> Settings:
        urls = (self.remote_query_url, self.remote_update_url, self.remote_store_url)
        if any(urls) and not all(urls):
            raise ValueError("a remote store needs all three of remote_query_url, remote_update_url and remote_store_url")
        if any(urls) and self.store_path is not None:
            raise ValueError("store_path and a remote store exclude each other")
        if self.remote_credentials is not None and self.remote_user is not None:
            raise ValueError("remote_credentials and remote_user exclude each other: give the account in one place")
        return self

    @field_validator("write_token")
    @classmethod
    def _strong_token(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the write token must be at least {MIN_TOKEN_LENGTH} characters long")
        return token

    @property
    def writes_enabled(self) -> bool:
        return self.write_token is not None
