# The test OpenID provider (panva/node-oidc-provider, tests/servers/oidc/) and its node modules.
# Source this file, then call oidc_ensure_installed; the API tests start the provider themselves.
oidc_ensure_installed() {
  local dir=tests/servers/oidc
  if [ -d "$dir/node_modules/oidc-provider" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then return; fi
  echo "installing the test OpenID provider (oidc-provider) into $dir/node_modules" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}
