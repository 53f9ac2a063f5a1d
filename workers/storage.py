"""Artifacts in any S3-compatible store (boto3, path-style addressing, Signature V4).

Keys are fixed per job (`{tenant}/{job}/resume.pdf`), so a retried stage overwrites rather
than duplicates."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from workers.settings import get_settings

ARTIFACTS = {
    "resume.pdf": "application/pdf",
    "resume.tex": "application/x-tex",
    "report.json": "application/json",
    "tailored.json": "application/json",
    "letter.pdf": "application/pdf",
    "letter.tex": "application/x-tex",
    "letter.md": "text/markdown; charset=utf-8",
}

_client: Any = None


def reset_client() -> None:
    global _client
    _client = None


def client() -> Any:
    global _client
    if _client is None:
        settings = get_settings()
        _client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key,
            region_name=settings.s3_region,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                # No CRC32 of every body and response unless the operation requires one
                # (SigV4 already covers the payload); about 0.3 ms of CPU per request.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )
    return _client


def artifact_prefix(tenant: str, job_id: uuid.UUID | str) -> str:
    return f"{tenant}/{job_id}/"


def artifact_key(tenant: str, job_id: uuid.UUID | str, name: str) -> str:
    if name not in ARTIFACTS:
        raise ValueError(f"artifact: unknown name {name!r}")
    return f"{artifact_prefix(tenant, job_id)}{name}"


def ensure_bucket() -> None:
    bucket = get_settings().s3_bucket
    try:
        client().head_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
        client().create_bucket(Bucket=bucket)


def put(key: str, body: bytes, content_type: str) -> None:
    client().put_object(Bucket=get_settings().s3_bucket, Key=key, Body=body,
                        ContentType=content_type)


def get(key: str) -> bytes:
    response = client().get_object(Bucket=get_settings().s3_bucket, Key=key)
    return bytes(response["Body"].read())


def exists(key: str) -> bool:
    try:
        client().head_object(Bucket=get_settings().s3_bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def list_keys(prefix: str) -> list[str]:
    paginator = client().get_paginator("list_objects_v2")
    keys: list[str] = []
    for page in paginator.paginate(Bucket=get_settings().s3_bucket, Prefix=prefix):
        keys += [obj["Key"] for obj in page.get("Contents", [])]
    return keys


def presigned_url(key: str, *, expires_s: int | None = None, filename: str | None = None) -> str:
    """A GET URL signed with the store's credentials, valid `presign_expiry_s` by default."""
    settings = get_settings()
    params: dict[str, str] = {"Bucket": settings.s3_bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
    return str(
        client().generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_s or settings.presign_expiry_s
        )
    )
