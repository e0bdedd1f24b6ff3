#!/usr/bin/env python3
"""Seed a project on a real Infisical server through its API; print what a client needs as JSON.

Run by infisical-live.sh `up`. Uses the instance-admin machine identity token from the bootstrap answer
(POST /api/v1/admin/bootstrap). The live suite (InfisicalLiveSuiteTest) reads the site URL, the admin token and the
organization from the output and makes a fresh project per test the same way; this project is the one to look at by
hand.

Layout (the default project template creates the environments dev, staging and prod):
  prod:/        DB_HOST, DB_PASSWORD, API_URL
  prod:/app     APP_NAME, APP_PORT
  dev:/shared   SHARED_TOKEN, SHARED_ONLY_DEV
  prod:/ imports dev:/shared
  a machine identity "writer" (project role member) and one "viewer" (role viewer), both with Universal Auth
"""
import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid


def call(site, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(site + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path} -> HTTP {e.code}: {e.read().decode(errors='replace')}")


def identity(site, admin, org, pid, name, role):
    iid = call(site, admin, "POST", "/api/v1/identities",
               {"name": name, "organizationId": org, "role": "no-access"})["identity"]["id"]
    ua = call(site, admin, "POST", f"/api/v1/auth/universal-auth/identities/{iid}", {})["identityUniversalAuth"]
    secret = call(site, admin, "POST", f"/api/v1/auth/universal-auth/identities/{iid}/client-secrets",
                  {"description": "ovs live suite"})["clientSecret"]
    call(site, admin, "POST", f"/api/v1/projects/{pid}/memberships/identities/{iid}",
         {"roles": [{"role": role, "isTemporary": False}]})
    return {"identityId": iid, "clientId": ua["clientId"], "clientSecret": secret, "role": role}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", required=True)
    ap.add_argument("--bootstrap", required=True, help="the bootstrap answer (JSON)")
    a = ap.parse_args()
    boot = json.load(open(a.bootstrap))
    admin = boot["identity"]["credentials"]["token"]
    org = boot["organization"]["id"]
    site = a.site
    suffix = uuid.uuid4().hex[:8]

    project = call(site, admin, "POST", "/api/v1/projects",
                   {"projectName": f"ovs-seed-{suffix}", "slug": f"ovs-seed-{suffix}", "type": "secret-manager"})
    pid = project["project"]["id"]
    call(site, admin, "POST", "/api/v2/folders", {"projectId": pid, "environment": "prod", "name": "app", "path": "/"})
    call(site, admin, "POST", "/api/v2/folders", {"projectId": pid, "environment": "dev", "name": "shared", "path": "/"})
    for env, path, key, value in [("prod", "/", "DB_HOST", "db.internal"), ("prod", "/", "DB_PASSWORD", "s3cr3t-prod"),
                                  ("prod", "/", "API_URL", "https://api.example.com"),
                                  ("prod", "/app", "APP_NAME", "demo-app"), ("prod", "/app", "APP_PORT", "8080"),
                                  ("dev", "/shared", "SHARED_TOKEN", "shared-from-dev"),
                                  ("dev", "/shared", "SHARED_ONLY_DEV", "1")]:
        call(site, admin, "POST", f"/api/v4/secrets/{key}",
             {"projectId": pid, "environment": env, "secretPath": path, "secretValue": value})
    call(site, admin, "POST", "/api/v2/secret-imports",
         {"projectId": pid, "environment": "prod", "path": "/", "import": {"environment": "dev", "path": "/shared"}})
    out = {
        "siteUrl": site,
        "adminToken": admin,
        "organizationId": org,
        "projectId": pid,
        "projectSlug": project["project"]["slug"],
        "writer": identity(site, admin, org, pid, f"ovs-writer-{suffix}", "member"),
        "viewer": identity(site, admin, org, pid, f"ovs-viewer-{suffix}", "viewer"),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
