# The test CAS server (django-cas-server, tests/servers/cas/) in its own virtualenv.
# Source this file, then call cas_ensure_installed; the API tests start the server themselves.
cas_ensure_installed() {
  local dir=tests/servers/cas
  if [ -x "$dir/.venv/bin/python" ] && [ "$dir/.venv/.installed" -nt "$dir/requirements.txt" ]; then return; fi
  echo "installing the test CAS server (django-cas-server) into $dir/.venv" >&2
  python3 -m venv "$dir/.venv"
  "$dir/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
  touch "$dir/.venv/.installed"
}
