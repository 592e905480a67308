"""Small readers for settings taken from the environment.

Each one fails loudly with the variable's name on a value it cannot understand, so a typo in a
deployment's environment stops the process at start-up instead of silently falling back.
"""

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_cache(name: str, default: str = "locmem://") -> dict:
    """The default cache (Django's CACHES["default"]) from a URL: locmem:// (each process its own, bounded),
    dummy:// (no cache), redis://host:port/db or rediss://… (shared by every worker; needs the `redis` package)."""
    raw = os.environ.get(name) or default
    scheme, _, rest = raw.partition("://")
    # A backstop only: entries are keyed by the data's version, so a write never waits for one to expire.
    common = {"TIMEOUT": 600, "KEY_PREFIX": "zhaoshang"}
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "zhaoshang",
            "OPTIONS": {"MAX_ENTRIES": 1000},
            **common,
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in ("redis", "rediss"):
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: a Redis cache needs the `redis` package (pip install redis), which is not installed"
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw, **common}
    raise ImproperlyConfigured(f"{name}={raw!r}: expected locmem://, dummy://, redis://host:port/db or rediss://…")


S3_ADDRESSING_STYLES = ("path", "virtual", "auto")


def env_evidence_storage(location) -> dict:
    """The "evidence" storage (佐证材料): the var directory's disk (`location`) by default; an S3-compatible object
    store (MinIO, a cloud's OSS/COS through its S3 interface) when ZHAOSHANG_EVIDENCE_S3_BUCKET is set. Either way no
    file has a public URL: the bucket stays private (no ACL given, the bucket's own), no signed links are made, and
    the evidence app streams each file itself after its scope check."""
    bucket = env_str("ZHAOSHANG_EVIDENCE_S3_BUCKET").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}
    style = env_str("ZHAOSHANG_EVIDENCE_S3_ADDRESSING_STYLE", "path").strip() or "path"
    if style not in S3_ADDRESSING_STYLES:
        raise ImproperlyConfigured(f"ZHAOSHANG_EVIDENCE_S3_ADDRESSING_STYLE={style!r}: expected path, virtual or auto")
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "ZHAOSHANG_EVIDENCE_S3_BUCKET is set: an object store needs django-storages and boto3 (pip install -e .)"
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("ZHAOSHANG_EVIDENCE_S3_ENDPOINT_URL").strip() or None,
        "access_key": env_str("ZHAOSHANG_EVIDENCE_S3_ACCESS_KEY") or None,
        "secret_key": env_str("ZHAOSHANG_EVIDENCE_S3_SECRET_KEY") or None,
        "region_name": env_str("ZHAOSHANG_EVIDENCE_S3_REGION").strip() or None,
        "addressing_style": style,
        "location": env_str("ZHAOSHANG_EVIDENCE_S3_PREFIX").strip().strip("/"),
        "default_acl": None,  # the bucket's own (private): never public-read
        "querystring_auth": False,  # no signed links are made; the app streams the bytes
        "file_overwrite": False,  # two uploads never share a key
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
