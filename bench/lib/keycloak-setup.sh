#!/usr/bin/env bash
# Configures a running Keycloak 26 for the benchmark through its admin REST API.
# Usage: keycloak-setup.sh BASE_URL ADMIN_USER ADMIN_PASSWORD REALM CLIENT_ID CLIENT_SECRET USERNAME USER_PASSWORD APP_SCOPE
#                          [PKCE_CLIENT_ID PKCE_REDIRECT_URI PKCE_SCOPE]
# Creates: realm, confidential client (service account + direct access grants), a user with a
# password, the legacy (V1) fine-grained permission that lets the client impersonate users
# through token exchange (requested_subject, "direct naked impersonation"), and, for the PKCE
# sign-in scenario, a public client (standard flow only, PKCE S256 required, no consent) with
# the delegated scope PKCE_SCOPE as an optional client scope.
set -euo pipefail

base=$1 admin_user=$2 admin_password=$3 realm=$4 client_id=$5 client_secret=$6 username=$7 user_password=$8 app_scope=$9
pkce_client_id=${10:-bench-spa} pkce_redirect_uri=${11:-http://127.0.0.1:9999/callback} pkce_scope=${12:-bench.read}

die() { echo "keycloak-setup: $*" >&2; exit 1; }

admin_token() {
  curl -sf -X POST "$base/realms/master/protocol/openid-connect/token" \
    --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
    --data-urlencode "username=$admin_user" --data-urlencode "password=$admin_password" | jq -r .access_token
}

TOKEN=$(admin_token) || die "cannot get an admin token"

# api METHOD PATH [JSON]: prints the response body; fails on HTTP >= 400.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -H "Authorization: Bearer $TOKEN" -w '\n%{http_code}')
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  local out code
  out=$(curl "${args[@]}" "$base/admin/realms$path") || die "$method $path: curl failed"
  code=${out##*$'\n'}; out=${out%$'\n'*}
  (( code < 400 )) || die "$method $path -> HTTP $code: $out"
  printf '%s' "$out"
}

create_realm() {
  # A leftover realm from an earlier run is removed (404 when there is none: fine).
  curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $TOKEN" "$base/admin/realms/$realm"
  api POST "" "$(jq -nc --arg r "$realm" '{realm:$r, enabled:true, sslRequired:"none",
    accessTokenLifespan:600, defaultSignatureAlgorithm:"RS256", bruteForceProtected:false}')" >/dev/null
}

create_client() {
  api POST "/$realm/clients" "$(jq -nc --arg c "$client_id" --arg s "$client_secret" '{
    clientId:$c, enabled:true, protocol:"openid-connect", publicClient:false,
    clientAuthenticatorType:"client-secret", secret:$s,
    serviceAccountsEnabled:true, directAccessGrantsEnabled:true,
    standardFlowEnabled:false, implicitFlowEnabled:false,
    attributes:{"standard.token.exchange.enabled":"false"}}')" >/dev/null
  CLIENT_UUID=$(api GET "/$realm/clients?clientId=$client_id" | jq -r '.[0].id')
  [[ -n $CLIENT_UUID && $CLIENT_UUID != null ]] || die "client $client_id not found after creation"
}

# The application scope the benchmark requests (scope=app.bench.read), as an optional client scope
# of the client, so client_credentials requests carry the same scope parameter as on the other servers.
create_app_scope() {
  local scope_id
  api POST "/$realm/client-scopes" "$(jq -nc --arg n "$app_scope" '{name:$n, protocol:"openid-connect",
    attributes:{"include.in.token.scope":"true", "display.on.consent.screen":"false"}}')" >/dev/null
  scope_id=$(api GET "/$realm/client-scopes" | jq -r --arg n "$app_scope" '.[] | select(.name == $n) | .id')
  [[ -n $scope_id ]] || die "client scope $app_scope not found after creation"
  api PUT "/$realm/clients/$CLIENT_UUID/optional-client-scopes/$scope_id" >/dev/null
}

# The PKCE sign-in client: public, authorization code flow only, PKCE S256 enforced, consent not
# required (as Portcullis' bench-spa with consent: skip), with the delegated scope as optional scope.
create_pkce_client() {
  local uuid scope_id
  api POST "/$realm/clients" "$(jq -nc --arg c "$pkce_client_id" --arg r "$pkce_redirect_uri" '{
    clientId:$c, enabled:true, protocol:"openid-connect", publicClient:true,
    standardFlowEnabled:true, implicitFlowEnabled:false, directAccessGrantsEnabled:false,
    serviceAccountsEnabled:false, consentRequired:false, redirectUris:[$r], webOrigins:[],
    attributes:{"pkce.code.challenge.method":"S256"}}')" >/dev/null
  uuid=$(api GET "/$realm/clients?clientId=$pkce_client_id" | jq -r '.[0].id')
  [[ -n $uuid && $uuid != null ]] || die "client $pkce_client_id not found after creation"
  api POST "/$realm/client-scopes" "$(jq -nc --arg n "$pkce_scope" '{name:$n, protocol:"openid-connect",
    attributes:{"include.in.token.scope":"true", "display.on.consent.screen":"false"}}')" >/dev/null
  scope_id=$(api GET "/$realm/client-scopes" | jq -r --arg n "$pkce_scope" '.[] | select(.name == $n) | .id')
  [[ -n $scope_id ]] || die "client scope $pkce_scope not found after creation"
  api PUT "/$realm/clients/$uuid/optional-client-scopes/$scope_id" >/dev/null
}

create_user() {
  api POST "/$realm/users" "$(jq -nc --arg u "$username" --arg p "$user_password" '{
    username:$u, enabled:true, email:($u + "@example.com"), emailVerified:true,
    firstName:"Bench", lastName:"User", requiredActions:[],
    credentials:[{type:"password", value:$p, temporary:false}]}')" >/dev/null
  # The stored hash's algorithm and parameters (credentialData only, never secretData), for the log:
  # the PKCE sign-in scenario verifies this password on every sign-in.
  local uid; uid=$(api GET "/$realm/users?username=$username&exact=true" | jq -r '.[0].id')
  echo "keycloak-setup: $username password hash: $(api GET "/$realm/users/$uid/credentials" | jq -c '[.[].credentialData]')"
}

# Legacy FGAP v1: enable users permissions, then attach a client policy (our client) to the
# 'impersonate' scope permission so that the client may impersonate any user of the realm.
grant_impersonation() {
  local perms impersonate_perm rm_uuid policy_id perm_json
  perms=$(api PUT "/$realm/users-management-permissions" '{"enabled":true}')
  impersonate_perm=$(jq -r '.scopePermissions.impersonate' <<<"$perms")
  [[ -n $impersonate_perm && $impersonate_perm != null ]] || die "no 'impersonate' permission: $perms"
  rm_uuid=$(api GET "/$realm/clients?clientId=realm-management" | jq -r '.[0].id')
  api POST "/$realm/clients/$rm_uuid/authz/resource-server/policy/client" \
    "$(jq -nc --arg c "$CLIENT_UUID" '{name:"bench-client-may-impersonate", logic:"POSITIVE", clients:[$c]}')" >/dev/null
  policy_id=$(api GET "/$realm/clients/$rm_uuid/authz/resource-server/policy?name=bench-client-may-impersonate" | jq -r '.[0].id')
  perm_json=$(api GET "/$realm/clients/$rm_uuid/authz/resource-server/permission/scope/$impersonate_perm")
  api PUT "/$realm/clients/$rm_uuid/authz/resource-server/permission/scope/$impersonate_perm" \
    "$(jq -c --arg p "$policy_id" '. + {policies:[$p], decisionStrategy:"UNANIMOUS"}' <<<"$perm_json")" >/dev/null
}

create_realm
create_client
create_app_scope
create_pkce_client
create_user
grant_impersonation
echo "keycloak-setup: realm '$realm' ready (client $client_id, PKCE client $pkce_client_id, user $username, impersonation granted)"
