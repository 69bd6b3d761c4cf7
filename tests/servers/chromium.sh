# The viewer's tests: Debian's headless Chromium and its chromedriver for the browser tests
# (tests/Focus.IntegrationTests/Viewer/), and the viewer's npm packages for its unit tests, which
# ViewerScriptTests runs with `npm test` in Viewer/. No server to start: Chromium is started by
# each test with a profile of its own.
packages+=(chromium chromium-driver)

start_chromium() {
  echo "test.sh: installing the viewer's npm packages (Viewer/package-lock.json)"
  (cd "$root/Viewer" && npm ci --no-audit --no-fund --loglevel=error)
}

stop_chromium() {
  :
}
