# Shared by test.sh and run.sh: the web app builds with Vite 8, which needs Node.js 20.19 or later.
# Source it; it defines functions only.

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "The web app needs Node.js 20.19 or later (node and npm) on PATH." >&2
    return 1
  fi
  local version
  version=$(node --version)
  if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1)'; then
    echo "The web app needs Node.js 20.19 or later; this is $version." >&2
    return 1
  fi
}
