# The test S3 server (moto's standalone server, tests/servers/s3/) in its own virtualenv.
# Source this file, then call s3_ensure_installed; the tests and scripts/cluster start it.
s3_ensure_installed() {
  local dir=tests/servers/s3
  if [ -x "$dir/.venv/bin/moto_server" ] && [ "$dir/.venv/.installed" -nt "$dir/requirements.txt" ]; then return; fi
  echo "installing the test S3 server (moto) into $dir/.venv" >&2
  python3 -m venv "$dir/.venv"
  "$dir/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt"
  touch "$dir/.venv/.installed"
}

# The server's program (after s3_ensure_installed).
s3_moto_server() {
  echo "$PWD/tests/servers/s3/.venv/bin/moto_server"
}
