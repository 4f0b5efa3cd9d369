"""Issue 13 point 5: signing key, production mode, HTTPS behind a proxy, Content-Security-Policy."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from codepusher.secret_key import secret_key_load_or_create

OLD_PUBLISHED_KEY = "codepusher-insecure-development-key-change-me-in-production-0123456789"
PRODUCTION_ENV = {
    "PRODUCTION": "1",
    "SECRET_KEY": "x7Jq2-" * 10,
    "ALLOWED_HOSTS": "code.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://code.example.org",
    "TRUST_X_FORWARDED_PROTO": "1",
}


def manage(*args: str, env: dict[str, str], var_dir) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "PRODUCTION", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**clean, "CODEPUSHER_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "data" / "secret_key"
    key = secret_key_load_or_create(path)
    assert len(key) >= 50 and key != OLD_PUBLISHED_KEY
    assert secret_key_load_or_create(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_load_or_create(tmp_path / "other" / "secret_key") != key


def test_without_secret_key_the_site_signs_with_its_own_random_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = manage("shell", "-c", code, env={"DEBUG": "0"}, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key == (tmp_path / "secret_key").read_text().strip() and key != OLD_PUBLISHED_KEY


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_its_settings(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env, var_dir=tmp_path)
    assert result.returncode != 0
    assert f"PRODUCTION=1 needs {missing} set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, var_dir=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout and "WARNING" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_invite_urls_use_https_behind_a_tls_proxy(client, api_client, user, challenge, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}
    api_client.force_authenticate(user)
    body = {"challenge": challenge.pk, "language": "python"}
    created = api_client.post("/api/sessions/", body, **proxied).json()
    assert created["invite_url"].startswith("https://testserver/s/")
    plain = api_client.get(f"/api/sessions/{created['id']}/", HTTP_HOST="testserver").json()
    assert plain["invite_url"].startswith("http://testserver/")  # no proxy said https
    client.force_login(user)
    html = client.get(f"/s/{created['id']}/", **proxied).content.decode()
    assert f'data-invite-url="{created["invite_url"]}"' in html


@pytest.mark.django_db
def test_every_page_has_a_strict_script_policy_with_a_fresh_nonce(client, user, challenge):
    policies = [client.get(path)["Content-Security-Policy"] for path in ("/", "/", "/healthz")]
    nonces = [re.search(r"'nonce-([^']+)'", policy).group(1) for policy in policies]
    assert len(set(nonces)) == 3
    script_src = re.search(r"script-src ([^;]+)", policies[0]).group(1)
    assert script_src.split() == ["'self'", f"'nonce-{nonces[0]}'"]
    assert "object-src 'none'" in policies[0] and "frame-ancestors 'none'" in policies[0]
    html = client.get("/").content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", html)  # no event-handler attributes
