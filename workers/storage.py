"""Artifacts in any S3-compatible store (boto3, path-style addressing, Signature V4).

Keys are fixed per job (`{tenant}/{job}/resume.pdf`), so a retried stage overwrites rather
than duplicates; the tenant is checked against `workers.tenants` before it becomes part of one.
The bucket expires objects after the retention period where the store supports lifecycle rules
(`workers.retention` deletes them on time either way)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from workers.settings import get_settings
from workers.tenants import check_tenant

log = logging.getLogger(__name__)

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
    return f"{check_tenant(tenant)}/{uuid.UUID(str(job_id))}/"


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
    set_retention_rule(bucket, get_settings().retention_days)


def set_retention_rule(bucket: str, days: int) -> bool:
    """Expire every object `days` after it was written; False when the store has no lifecycle
    support (SeaweedFS answers NotImplemented), which only loses the backstop."""
    rule = {"ID": "resume-tailor-retention", "Status": "Enabled", "Filter": {"Prefix": ""},
            "Expiration": {"Days": days}}
    try:
        client().put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code not in ("NotImplemented", "MethodNotAllowed", "501"):
            raise
        log.warning("the S3 store has no lifecycle rules (%s); artifacts are deleted by the "
                    "retention sweep only", code)
        return False
    return True


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


def delete_prefix(prefix: str) -> int:
    """Delete every object under `prefix` (a job's artifacts); how many there were."""
    keys = list_keys(prefix)
    bucket = get_settings().s3_bucket
    for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1000 keys
        chunk = keys[start:start + 1000]
        answer = client().delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": key} for key in chunk], "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise RuntimeError(f"S3 refused to delete {first.get('Key')}: {first.get('Code')}")
    return len(keys)


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
